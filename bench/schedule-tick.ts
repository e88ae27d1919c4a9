import { DynamoReportStore } from '../shared/adapters/dynamodb/report-store.ts';
import { DynamoRunLedger } from '../shared/adapters/dynamodb/run-ledger.ts';
import { nextOccurrence } from '../shared/domain/reports/periods.ts';
import { REPORT_QUOTA, type StoredReport } from '../shared/domain/reports/report.ts';
import {
  type DispatchDeps,
  dispatchDueSchedules,
  type TickDeps,
} from '../shared/use-cases/reports/dispatch.ts';
import type { AccessChecker, Person, RunQueue } from '../shared/use-cases/reports/ports.ts';
import type { BenchContext } from './lib/context.ts';
import type { Section } from './lib/report.ts';

/**
 * Issue 13 item 7: how many runs one dispatcher tick can start. T tenants × S due daily schedules
 * in DynamoDB Local (the real report store, due index and run ledger); owner and recipients are
 * faked (the directory is cached per tenant in the real tick).
 * - baseline: the tick as it was — claims and runs each export and e-mail inline, 4 at a time
 *   (export and mailer stubbed to answer at once, so the figure is the ledger's own cost);
 * - fan-out: the tick as deployed — claims every due run and hands it to the run queue (an SQS
 *   stand-in that counts messages ten to a batch, as SendMessageBatch does).
 * Each measures its own fresh tenants; the figure is runs started per minute of tick time.
 */
const T0 = '2031-06-01T07:00:00.000Z';
const TICK = '2031-06-02T06:05:00.000Z';

const people: AccessChecker = {
  async people(_tenantId, ids) {
    const out = new Map<string, Person>();
    for (const id of ids) {
      out.set(id, {
        id,
        name: id,
        email: `${id}@example.com`,
        active: true,
        role: 'admin',
        reporting: false,
        managers: [],
      });
    }
    return out;
  },
};

async function seed(store: DynamoReportStore, prefix: string, tenants: number, perTenant: number) {
  const timing = { frequency: 'daily' as const, timeZone: 'UTC', hour: 6 };
  const writes: Promise<void>[] = [];
  for (let t = 0; t < tenants; t++) {
    for (let r = 0; r < perTenant; r++) {
      const report: StoredReport = {
        tenantId: `${prefix}-${t}`,
        id: `r${r}`,
        name: `Report ${r}`,
        log: 'audit',
        filters: {},
        visibility: 'private',
        ownerId: 'owner',
        createdAt: T0,
        updatedAt: T0,
        schedule: {
          version: 'v1',
          ...timing,
          recipients: ['reader'],
          nextRunAt: nextOccurrence(timing, new Date(T0)).toISOString(),
          paused: false,
          createdAt: T0,
          updatedAt: T0,
        },
      };
      writes.push(
        store.save(report, { ...report }, REPORT_QUOTA).catch(() => store.create(report, REPORT_QUOTA)),
      );
    }
  }
  await Promise.all(writes);
}

export async function scheduleTick(ctx: BenchContext): Promise<Section> {
  const tenants = ctx.quick ? 20 : 100;
  const perTenant = 10;
  const runs = tenants * perTenant;
  const title = 'Schedules: runs one dispatcher tick can start';
  const baseline =
    'the same tick running every claimed run inline, 4 at a time (export and mailer stubbed), in the same run';
  if (!ctx.config)
    return {
      id: 'schedule-tick',
      title,
      baseline,
      columns: [],
      rows: [],
      notes: ['needs the bench’s own tables'],
    };
  const table = ctx.config.STATE_TABLE;
  const store = new DynamoReportStore(ctx.client, { tableName: table });
  const ledger = new DynamoRunLedger(ctx.client, { tableName: table });
  const clock = { now: () => new Date(TICK) };
  const stamp = Date.now().toString(36);
  // Only this run's tenants: other data in the table is not due at TICK anyway.
  const only = (prefix: string): DispatchDeps['schedules'] => ({
    due: async (now, limit) => (await store.due(now, limit)).filter((d) => d.tenantId.startsWith(prefix)),
    advance: (...args) => store.advance(...args),
  });

  const measure = async (label: string, make: (prefix: string) => TickDeps | DispatchDeps) => {
    const prefix = `bt${label}${stamp}`;
    await seed(store, prefix, tenants, perTenant);
    const started = performance.now();
    const outcomes = await dispatchDueSchedules(make(prefix));
    const ms = performance.now() - started;
    const startedRuns = outcomes.filter((o) => o.status === 'sent' || o.status === 'queued').length;
    return { startedRuns, ms, perMinute: (startedRuns / ms) * 60_000 };
  };

  const inline = await measure('i', (prefix) => ({
    reports: store,
    schedules: only(prefix),
    runs: ledger,
    people,
    clock,
    mailer: { send: async () => ({ messageId: 'm' }) },
    exports: { run: async () => ({ exportId: 'x', rowCount: 0, downloadUrl: 'http://localhost/d' }) },
    audit: { record: async () => undefined },
    linkDays: 7,
  }));
  let messages = 0;
  let batches = 0;
  const queue: RunQueue = {
    enqueue: async (tasks) => {
      messages += tasks.length;
      batches += Math.ceil(tasks.length / 10);
      return tasks.map(() => 'queued' as const);
    },
  };
  const fanOut = await measure('f', (prefix) => ({
    reports: store,
    schedules: only(prefix),
    runs: ledger,
    people,
    clock,
    queue,
  }));
  return {
    id: 'schedule-tick',
    title,
    baseline,
    columns: ['tick', 'due runs', 'runs started', 'tick s', 'runs started / min', 'ratio'],
    rows: [
      ['inline (baseline)', runs, inline.startedRuns, inline.ms / 1000, inline.perMinute, 1],
      [
        'claim + fan-out',
        runs,
        fanOut.startedRuns,
        fanOut.ms / 1000,
        fanOut.perMinute,
        fanOut.perMinute / inline.perMinute,
      ],
    ],
    notes: [
      `${tenants} tenants × ${perTenant} due daily schedules each; DynamoDB Local on this machine, so absolute figures are the emulator's.`,
      `fan-out handed ${messages} runs to the queue in ${batches} SendMessageBatch-sized batches; the run workers (one Lambda per message) then export and e-mail in parallel.`,
    ],
    data: { tenants, perTenant, inline, fanOut },
  };
}

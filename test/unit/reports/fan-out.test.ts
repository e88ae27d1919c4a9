import { describe, expect, it } from 'vitest';
import { nextOccurrence } from '../../../shared/domain/reports/periods.ts';
import type { StoredReport } from '../../../shared/domain/reports/report.ts';
import {
  type DispatchDeps,
  dispatchDueSchedules,
  executeRun,
  fairOrder,
  type TickDeps,
} from '../../../shared/use-cases/reports/dispatch.ts';
import type { RunTask } from '../../../shared/use-cases/reports/ports.ts';
import { FakeAudit, FakeClock, FakeExports, FakeMailer, FakePeople, MemoryState } from './fakes.ts';

/**
 * The tick only claims and fans out; run workers do the rest. Many tenants' due runs complete
 * exactly once, in an order where no tenant's many schedules hold back another's one.
 */
const START = '2026-05-10T07:00:00.000Z';
const DUE_AT = '2026-05-11T06:05:00.000Z';

function manyTenants(tenants: number, perTenant: (t: number) => number) {
  const clock = new FakeClock(new Date(START));
  const state = new MemoryState();
  const people = new FakePeople();
  const mailer = new FakeMailer(clock);
  const exports = new FakeExports();
  const timing = { frequency: 'daily' as const, timeZone: 'UTC', hour: 6 };
  for (let t = 0; t < tenants; t++) {
    const tenantId = `t${String(t).padStart(3, '0')}`;
    people.add(tenantId, { id: 'owner', email: `owner@${tenantId}.example.com` });
    people.add(tenantId, { id: 'reader', email: `reader@${tenantId}.example.com` });
    for (let r = 0; r < perTenant(t); r++) {
      const report: StoredReport = {
        tenantId,
        id: `r${String(r).padStart(2, '0')}`,
        name: `Report ${r}`,
        log: 'audit',
        filters: {},
        visibility: 'private',
        ownerId: 'owner',
        createdAt: START,
        updatedAt: START,
        schedule: {
          version: 'v1',
          ...timing,
          recipients: ['reader'],
          nextRunAt: nextOccurrence(timing, new Date(START)).toISOString(),
          paused: false,
          createdAt: START,
          updatedAt: START,
        },
      };
      state.reports.set(`${tenantId}|${report.id}`, report);
    }
  }
  const deps: DispatchDeps = {
    reports: state,
    schedules: state,
    runs: state.ledger(),
    mailer,
    exports,
    people,
    audit: new FakeAudit(),
    clock,
    linkDays: 7,
  };
  return { clock, state, mailer, exports, deps };
}

describe('fanning out due runs', () => {
  it('completes 1,000 due runs over 100 tenants exactly once, even with two ticks at the same moment', async () => {
    const w = manyTenants(100, () => 10);
    w.clock.set(DUE_AT);
    const [a, b] = await Promise.all([dispatchDueSchedules(w.deps), dispatchDueSchedules(w.deps)]);
    const sent = [...(a ?? []), ...(b ?? [])].filter((o) => o.status === 'sent');
    expect(sent).toHaveLength(1000);
    expect(new Set(sent.map((o) => `${o.tenantId}|${o.reportId}`)).size).toBe(1000);
    expect(w.exports.calls).toHaveLength(1000);
    expect(w.mailer.sent).toHaveLength(1000);
    expect(new Set(w.mailer.sent.map((m) => `${m.to}|${m.subject}`)).size).toBe(1000);
    const runs = [...w.state.runs.values()];
    expect(runs).toHaveLength(1000);
    expect(runs.every((r) => r.status === 'complete' && r.outcome === 'sent' && r.attempts === 1)).toBe(true);
    expect(
      [...w.state.reports.values()].every((r) => r.schedule?.nextRunAt === '2026-05-12T06:00:00.000Z'),
    ).toBe(true);
    // A later tick finds nothing due and sends nothing more.
    expect(await dispatchDueSchedules(w.deps)).toEqual([]);
    expect(w.mailer.sent).toHaveLength(1000);
  }, 120_000);

  it('hands runs out round-robin by tenant: a tenant’s one schedule is not behind another’s fifty', async () => {
    // Tenant t000 has 50 schedules due since yesterday; 99 others have one each, due later.
    const w = manyTenants(100, (t) => (t === 0 ? 50 : 1));
    for (const r of w.state.reports.values()) {
      if (r.tenantId !== 't000' && r.schedule) r.schedule.nextRunAt = '2026-05-11T06:00:00.000Z';
      else if (r.schedule) r.schedule.nextRunAt = '2026-05-10T06:00:00.000Z';
    }
    w.clock.set(DUE_AT);
    const queued: RunTask[] = [];
    const tick: TickDeps = {
      ...w.deps,
      queue: {
        enqueue: async (tasks) => {
          queued.push(...tasks);
          return tasks.map(() => 'queued' as const);
        },
      },
    };
    const outcomes = await dispatchDueSchedules(tick);
    expect(outcomes.every((o) => o.status === 'queued')).toBe(true);
    // The first 100 tasks serve all 100 tenants; t000's other schedules come after.
    expect(new Set(queued.slice(0, 100).map((t) => t.tenantId)).size).toBe(100);
    expect(queued.filter((t) => t.tenantId === 't000')).toHaveLength(100); // 50 schedules × 2 days due
    expect(queued.findIndex((t) => t.tenantId === 't099')).toBeLessThan(100);
    expect(w.mailer.sent).toHaveLength(0);
  });

  it('runs a queued run once however often its message is delivered, then moves the schedule on', async () => {
    const w = manyTenants(1, () => 1);
    w.clock.set(DUE_AT);
    const queued: RunTask[] = [];
    const tick: TickDeps = {
      ...w.deps,
      queue: {
        enqueue: async (tasks) => {
          queued.push(...tasks);
          return tasks.map(() => 'queued' as const);
        },
      },
    };
    expect((await dispatchDueSchedules(tick)).map((o) => o.status)).toEqual(['queued']);
    // The schedule stays at the claimed run until it completes; a second tick does not claim it again.
    expect((await dispatchDueSchedules(tick)).map((o) => o.status)).toEqual(['skipped']);
    expect(queued).toHaveLength(1);
    const task = queued[0] as RunTask;
    const statuses = await Promise.all([executeRun(w.deps, task), executeRun(w.deps, task)]);
    expect(statuses.sort()).toEqual(['sent', 'skipped']);
    expect(await executeRun(w.deps, task)).toBe('skipped');
    expect(w.mailer.sent).toHaveLength(1);
    expect(w.state.reports.get('t000|r00')?.schedule?.nextRunAt).toBe('2026-05-12T06:00:00.000Z');
  });

  it('orders by each tenant’s oldest first and stops at the limit', () => {
    const d = (tenantId: string, reportId: string, nextRunAt: string) => ({ tenantId, reportId, nextRunAt });
    const order = fairOrder(
      [
        d('a', '1', '2026-01-01T06:00:00Z'),
        d('a', '2', '2026-01-01T06:00:00Z'),
        d('a', '3', '2026-01-02T06:00:00Z'),
        d('b', '1', '2026-01-03T06:00:00Z'),
        d('c', '1', '2026-01-02T06:00:00Z'),
        d('c', '2', '2026-01-04T06:00:00Z'),
      ],
      5,
    );
    expect(order.map((x) => `${x.tenantId}${x.reportId}`)).toEqual(['a1', 'c1', 'b1', 'a2', 'c2']);
  });
});

import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { DynamoReportStore } from '../../shared/adapters/dynamodb/report-store.ts';
import { DynamoRunLedger } from '../../shared/adapters/dynamodb/run-ledger.ts';
import { LOCAL_CREDENTIALS } from '../../shared/adapters/local-credentials.ts';
import { nextOccurrence } from '../../shared/domain/reports/periods.ts';
import { REPORT_QUOTA, type StoredReport } from '../../shared/domain/reports/report.ts';
import { type DispatchDeps, dispatchDueSchedules } from '../../shared/use-cases/reports/dispatch.ts';
import { FakeAudit, FakeClock, FakeExports, FakeMailer, FakePeople } from '../unit/reports/fakes.ts';
import { uniqueTenant } from './helpers.ts';

/**
 * The dispatcher against DynamoDB Local: the byDue index, conditional claims of runs and sends,
 * and the versioned advance, with real conditional writes (mailer, exports and people faked).
 */
const client = DynamoDBDocumentClient.from(
  new DynamoDBClient({
    endpoint: inject('dynamoEndpoint'),
    region: 'eu-west-1',
    credentials: LOCAL_CREDENTIALS,
  }),
  { marshallOptions: { removeUndefinedValues: true } },
);
const table = inject('tables').state;
afterAll(() => client.destroy());

function setup(startIso: string) {
  const tenant = uniqueTenant('sched');
  const clock = new FakeClock(new Date(startIso));
  const store = new DynamoReportStore(client, { tableName: table });
  const runs = new DynamoRunLedger(client, { tableName: table });
  const people = new FakePeople();
  for (const id of ['u-owner', 'u-a', 'u-b'])
    people.add(tenant, { id, email: `${id}.${tenant}@example.com` });
  const mailer = new FakeMailer(clock);
  const exports = new FakeExports();
  const deps: DispatchDeps = {
    reports: store,
    // Other test files share the table: this dispatcher only sees this file's tenant.
    schedules: {
      due: async (now, limit) => (await store.due(now, limit)).filter((d) => d.tenantId === tenant),
      advance: (...args) => store.advance(...args),
    },
    runs,
    mailer,
    exports,
    people,
    audit: new FakeAudit(),
    clock,
    linkDays: 7,
  };
  const save = async (id: string, frequency: 'daily' | 'weekly', recipients: string[]) => {
    const timing = { frequency, timeZone: 'Europe/London', hour: 6 };
    const now = clock.now().toISOString();
    const report: StoredReport = {
      tenantId: tenant,
      id,
      name: `Report ${id}`,
      log: 'audit',
      filters: {},
      visibility: 'private',
      ownerId: 'u-owner',
      createdAt: now,
      updatedAt: now,
      schedule: {
        version: `v-${id}`,
        ...timing,
        recipients,
        nextRunAt: nextOccurrence(timing, clock.now()).toISOString(),
        paused: false,
        createdAt: now,
        updatedAt: now,
      },
    };
    await store.create(report, REPORT_QUOTA);
    return report;
  };
  const mine = (outcomes: Awaited<ReturnType<typeof dispatchDueSchedules>>) =>
    outcomes.filter((o) => o.tenantId === tenant);
  return { tenant, clock, store, runs, people, mailer, exports, deps, save, mine };
}

describe('the dispatcher against DynamoDB Local', () => {
  it('sends once when two dispatchers run at the same moment, and twice more never', async () => {
    const w = setup('2031-02-01T12:00:00.000Z');
    await w.save('r1', 'daily', ['u-a', 'u-b']);
    await w.save('r2', 'weekly', ['u-a']);
    w.clock.set('2031-02-03T06:05:00.000Z'); // Monday: both due
    const [a, b] = await Promise.all([dispatchDueSchedules(w.deps), dispatchDueSchedules(w.deps)]);
    const all = [...w.mine(a ?? []), ...w.mine(b ?? [])];
    expect(
      all
        .filter((o) => o.status === 'sent')
        .map((o) => o.reportId)
        .sort(),
    ).toEqual(['r1', 'r1', 'r2']);
    // r1 makes up 2 and 3 Feb; r2 runs its Monday.
    const sentTo = w.mailer.sent.map((m) => `${m.subject.split(', ')[0]} → ${m.to.split('.')[0]}`).sort();
    expect(sentTo).toEqual([
      'Scheduled report: Report r1 → u-a',
      'Scheduled report: Report r1 → u-a',
      'Scheduled report: Report r1 → u-b',
      'Scheduled report: Report r1 → u-b',
      'Scheduled report: Report r2 → u-a',
    ]);
    await Promise.all([dispatchDueSchedules(w.deps), dispatchDueSchedules(w.deps)]);
    expect(w.mailer.sent).toHaveLength(5);
    expect((await w.store.get(w.tenant, 'r1'))?.schedule?.nextRunAt).toBe('2031-02-04T06:00:00.000Z');
  });

  it('retries only the failed recipient on the next tick', async () => {
    const w = setup('2031-03-01T12:00:00.000Z');
    await w.save('r1', 'daily', ['u-a', 'u-b']);
    w.mailer.failures.set(`u-b.${w.tenant}@example.com`, 1);
    w.clock.set('2031-03-02T06:01:00.000Z');
    expect(w.mine(await dispatchDueSchedules(w.deps)).map((o) => o.status)).toEqual(['retrying']);
    w.clock.set('2031-03-02T06:16:00.000Z');
    expect(w.mine(await dispatchDueSchedules(w.deps)).map((o) => o.status)).toEqual(['sent']);
    expect(w.mailer.sent.map((m) => m.to.split('.')[0])).toEqual(['u-a', 'u-b']);
    const items = await client.send(
      new QueryCommand({
        TableName: table,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': `RUNS#${w.tenant}#r1` },
      }),
    );
    const run = items.Items?.find((i) => !String(i.sk).includes('#SEND#'));
    expect(run).toMatchObject({ status: 'complete', outcome: 'sent', attempts: 2 });
    expect(items.Items?.filter((i) => String(i.sk).includes('#SEND#')).map((i) => i.status)).toEqual([
      'sent',
      'sent',
    ]);
  });

  it('takes a paused schedule out of the due index', async () => {
    const w = setup('2031-04-01T12:00:00.000Z');
    await w.save('r1', 'daily', ['u-a']);
    w.people.update(w.tenant, 'u-owner', { active: false });
    w.clock.set('2031-04-02T06:01:00.000Z');
    expect(w.mine(await dispatchDueSchedules(w.deps)).map((o) => o.status)).toEqual(['paused']);
    const stored = await w.store.get(w.tenant, 'r1');
    expect(stored?.schedule).toMatchObject({
      paused: true,
      pausedReason: expect.stringMatching(/deactivated/),
    });
    const due = await w.store.due(new Date('2031-04-03T00:00:00.000Z'), 1000);
    expect(due.filter((d) => d.tenantId === w.tenant)).toEqual([]);
    expect(w.mailer.sent).toEqual([]);
  });
});

import { GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { DynamoReportStore, reportKeys } from '../../shared/adapters/dynamodb/report-store.ts';
import { ConflictError } from '../../shared/domain/errors.ts';
import { REPORT_QUOTA, type StoredReport } from '../../shared/domain/reports/report.ts';
import { api } from './helpers.ts';
import { rawDynamo } from './support/raw-dynamo.ts';
import { scheduleTenant } from './support/schedule-tenant.ts';

/**
 * Quotas (issue 13): at most 200 saved reports and 50 schedules per tenant, one more a 409. The
 * store moves a counter in the same transaction as each write, so concurrent writes never pass it.
 */
const client = rawDynamo();
const table = inject('tables').state;
afterAll(() => client.destroy());
const ctx = scheduleTenant('quota');

const at = '2031-01-01T00:00:00.000Z';
const report = (tenantId: string, id: string, scheduled = false): StoredReport => ({
  tenantId,
  id,
  name: `Report ${id}`,
  log: 'audit',
  filters: {},
  visibility: 'private',
  ownerId: 'u-admin',
  createdAt: at,
  updatedAt: at,
  ...(scheduled
    ? {
        schedule: {
          version: `v-${id}`,
          frequency: 'daily' as const,
          recipients: ['u-admin'],
          timeZone: 'UTC',
          hour: 6,
          nextRunAt: '2031-01-02T06:00:00.000Z',
          paused: false,
          createdAt: at,
          updatedAt: at,
        },
      }
    : {}),
});
const settle = async (writes: Promise<unknown>[]) => {
  const results = await Promise.allSettled(writes);
  const rejected = results
    .filter((r) => r.status === 'rejected')
    .map((r) => (r as PromiseRejectedResult).reason);
  expect(rejected.every((e) => e instanceof ConflictError)).toBe(true);
  return { ok: results.length - rejected.length, conflicts: rejected.length };
};

describe('report quotas in the state table', () => {
  const store = new DynamoReportStore(client, { tableName: table });
  const quota = { reports: 5, schedules: 2 };

  it('lets exactly the quota of 12 concurrent creates through, and one more after a delete', async () => {
    const tenant = `${ctx.tenant}-a`;
    const outcome = await settle(
      Array.from({ length: 12 }, (_, i) => store.create(report(tenant, `r${i}`), quota)),
    );
    expect(outcome).toEqual({ ok: 5, conflicts: 7 });
    expect(await store.listByTenant(tenant)).toHaveLength(5);
    const [first] = await store.listByTenant(tenant);
    await store.delete(first!);
    await store.create(report(tenant, 'again'), quota);
    await expect(store.create(report(tenant, 'one-more'), quota)).rejects.toBeInstanceOf(ConflictError);
  });

  it('lets exactly the schedule quota through when schedules are added at once, and frees one on removal', async () => {
    const tenant = `${ctx.tenant}-b`;
    const plain = Array.from({ length: 4 }, (_, i) => report(tenant, `s${i}`));
    for (const r of plain) await store.create(r, quota);
    const outcome = await settle(plain.map((r) => store.save({ ...report(tenant, r.id, true) }, r, quota)));
    expect(outcome).toEqual({ ok: 2, conflicts: 2 });
    const scheduled = (await store.listByTenant(tenant)).filter((r) => r.schedule);
    expect(scheduled).toHaveLength(2);
    const { schedule: _s, ...unscheduled } = scheduled[0]!;
    await store.save(unscheduled, scheduled[0]!, quota);
    const waiting = (await store.listByTenant(tenant)).find((r) => !r.schedule && r.id !== unscheduled.id)!;
    await store.save(report(tenant, waiting.id, true), waiting, quota);
    const counter = await client.send(new GetCommand({ TableName: table, Key: reportKeys.quota(tenant) }));
    expect(counter.Item).toMatchObject({ reports: 4, schedules: 2 });
  });

  it('refuses a write over a report that changed meanwhile, so the counts never drift', async () => {
    const tenant = `${ctx.tenant}-c`;
    const r = report(tenant, 'x');
    await store.create(r, quota);
    await store.save(report(tenant, 'x', true), r, quota);
    // A second writer still holding the unscheduled copy.
    await expect(store.save(report(tenant, 'x', true), r, quota)).rejects.toBeInstanceOf(ConflictError);
    await expect(store.delete(r)).rejects.toBeInstanceOf(ConflictError);
    const counter = await client.send(new GetCommand({ TableName: table, Key: reportKeys.quota(tenant) }));
    expect(counter.Item).toMatchObject({ reports: 1, schedules: 1 });
  });

  it('counts the reports a tenant had before the counter existed', async () => {
    const tenant = `${ctx.tenant}-d`;
    for (const id of ['old1', 'old2', 'old3']) {
      await client.send(
        new PutCommand({
          TableName: table,
          Item: { ...reportKeys.report(tenant, id), r: report(tenant, id, id === 'old1') },
        }),
      );
    }
    await store.create(report(tenant, 'new1'), quota);
    await store.create(report(tenant, 'new2'), quota);
    await expect(store.create(report(tenant, 'new3'), quota)).rejects.toBeInstanceOf(ConflictError);
    const counter = await client.send(new GetCommand({ TableName: table, Key: reportKeys.quota(tenant) }));
    expect(counter.Item).toMatchObject({ reports: 5, schedules: 1 });
  });
});

describe('report quotas over HTTP', () => {
  it(`answers 409 problem+json for the tenant’s report number ${REPORT_QUOTA.reports + 1} and schedule number ${REPORT_QUOTA.schedules + 1}`, async () => {
    const create = (name: string) =>
      api('/v1/reports', {
        token: ctx.tokens.admin,
        body: { name, log: 'audit', filters: {}, visibility: 'private' },
      });
    const first = await create('First');
    expect(first.status).toBe(201);
    // Instead of 198 more requests: the counter as if the tenant had 199 reports and 50 schedules.
    await client.send(
      new UpdateCommand({
        TableName: table,
        Key: reportKeys.quota(ctx.tenant),
        UpdateExpression: 'SET reports = :r, schedules = :s',
        ExpressionAttributeValues: { ':r': REPORT_QUOTA.reports - 1, ':s': REPORT_QUOTA.schedules },
      }),
    );
    expect((await create('Two hundredth')).status).toBe(201);
    const over = await create('One too many');
    expect(over.status).toBe(409);
    expect(over.headers.get('content-type')).toMatch(/application\/problem\+json/);
    expect(over.body.detail).toMatch(/200 saved reports/);

    const scheduled = await api(`/v1/reports/${first.body.id}/schedule`, {
      token: ctx.tokens.admin,
      method: 'PUT',
      body: { frequency: 'daily', recipients: ['u-admin'] },
    });
    expect(scheduled.status).toBe(409);
    expect(scheduled.body.detail).toMatch(/50 report schedules/);
    const read = await api(`/v1/reports/${first.body.id}`, { token: ctx.tokens.admin });
    expect(read.body.schedule).toBeUndefined();
  });
});

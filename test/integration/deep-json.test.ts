import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { type ApiResponse, api, tokensFor, uniqueTenant } from './helpers.ts';
import { rawDynamo, scanAll } from './support/raw-dynamo.ts';

/**
 * JSON nested deeper than 32 levels (API.md Conventions) is a 400 naming the path, on every
 * route that takes a body, however deep (3,000 and 100,000 levels included: no walker
 * overflows the stack), and nothing of the batch is stored. A batch at exactly 32 levels is
 * stored and reads back whole. Before the fix a 40-level `details` answered 503 "safe to
 * retry" for ever while the rest of the batch was stored, and 3,000 levels answered 500.
 */
const tenant = uniqueTenant('deep');
let tokens: Awaited<ReturnType<typeof tokensFor>>;
const raw = rawDynamo();
beforeAll(async () => {
  tokens = await tokensFor(tenant);
});
afterAll(() => raw.destroy());

const minutesAgo = (n: number) => new Date(Date.now() - n * 60_000).toISOString();
const auditEvent = (id: string, extra: Record<string, unknown> = {}) => ({
  id,
  tenantId: tenant,
  occurredAt: minutesAgo(5),
  actor: { type: 'user', id: 'u-1', name: 'Ada' },
  action: 'Updated',
  object: { type: 'Item', id: 'item-1' },
  source: { kind: 'web' },
  ...extra,
});
const activityEvent = (id: string) => ({
  id,
  tenantId: tenant,
  occurredAt: minutesAgo(5),
  userId: 'u-1',
  action: 'Completed',
  content: { type: 'Quiz', id: 'q-1', title: 'Fire safety' },
});
/** `{"a":…{"a":1}…}` with `levels` objects, as text (JSON.stringify recurses). */
const deepText = (levels: number) => `${'{"a":'.repeat(levels)}1${'}'.repeat(levels)}`;
/** `[[…[]…]]`: 2 bytes a level, so 30,000 levels fit the 64 KB body of exports and reports. */
const deepArrayText = (levels: number) => `${'['.repeat(levels)}${']'.repeat(levels)}`;
/** `json` with `"<key>": <deep>` added as its last member. */
const withDeep = (json: object, key: string, levels: number, deep = deepText) =>
  `${JSON.stringify(json).slice(0, -1)},${JSON.stringify(key)}:${deep(levels)}}`;
const send = (path: string, body: string, token: string) =>
  api(path, { token, rawBody: body, headers: { 'content-type': 'application/json' } });
const aPath = (prefix: string, n: number) => prefix + '.a'.repeat(n);
const zeroPath = (prefix: string, n: number) => prefix + '[0]'.repeat(n);

function expectTooDeep(res: ApiResponse, path: string) {
  expect(res.status, res.text).toBe(400);
  expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  expect(res.body).toMatchObject({ errors: [{ path, message: 'is nested deeper than 32 levels' }] });
}

async function storedIds(prefix: string): Promise<string[]> {
  const items = await scanAll(raw, inject('tables').audit, `${tenant}#${prefix}`);
  return items.map((i) => String(i.pk).slice(tenant.length + 1)).sort();
}

describe('JSON nested deeper than 32 levels', () => {
  it('rejects an audit batch whose details are 33 levels deep, naming the path, and stores none of it', async () => {
    let details: unknown = 1;
    for (let i = 0; i < 30; i++) details = { a: details };
    const res = await api('/v1/audit-events', {
      token: tokens.service,
      body: { events: [auditEvent('d33-ok-1'), auditEvent('d33-deep', { details }), auditEvent('d33-ok-2')] },
    });
    // body (1) → events (2) → event (3) → details (4) … the 30th object is level 33.
    expectTooDeep(res, aPath('events[1].details', 29));
    expect(await storedIds('d33-')).toEqual([]);
  });

  it('stores a batch nested exactly 32 levels deep, in details and in changes, and reads it back whole', async () => {
    let details: unknown = 'leaf';
    for (let i = 0; i < 29; i++) details = { a: details };
    let after: unknown = 'leaf';
    for (let i = 0; i < 27; i++) after = [after];
    const res = await api('/v1/audit-events', {
      token: tokens.service,
      body: { events: [auditEvent('d32-1', { details, changes: [{ field: 'f', after }] })] },
    });
    expect(res.status, res.text).toBe(200);
    const got = await api('/v1/audit-events/d32-1', { token: tokens.admin });
    expect(got.status, got.text).toBe(200);
    expect(got.body.details).toEqual(details);
    expect(got.body.changes).toEqual([{ field: 'f', after }]);
  });

  // Exports and reports take at most 64 KB, so their deepest body is 30,000 levels (a deeper one
  // is a 413 before it is parsed); ingest takes 1 MB, enough for 100,000 levels of objects.
  for (const levels of [3_000, 100_000]) {
    it(`answers ${levels.toLocaleString('en')} levels with a 400 naming the path on audit and activity ingest, exports and reports`, async () => {
      const small = Math.min(levels, 30_000);
      const audit = await send(
        '/v1/audit-events',
        `{"events":[${JSON.stringify(auditEvent('deep-ok'))},${withDeep(auditEvent(`deep-${levels}`), 'details', levels)}]}`,
        tokens.service,
      );
      expectTooDeep(audit, aPath('events[1].details', 29));
      const activity = await send(
        '/v1/activity-events',
        `{"events":[${withDeep(activityEvent(`deep-${levels}`), 'extra', levels)}]}`,
        tokens.service,
      );
      expectTooDeep(activity, aPath('events[0].extra', 29));
      const exportFilters = await send(
        '/v1/exports',
        `{"log":"audit","format":"csv","filters":${withDeep({ action: 'Created' }, 'objectName', small, deepArrayText)}}`,
        tokens.admin,
      );
      expectTooDeep(exportFilters, zeroPath('filters.objectName', 30));
      const report = await send(
        '/v1/reports',
        `{"name":"Deep","log":"audit","visibility":"private","filters":${withDeep({}, 'objectName', small, deepArrayText).replace('{,', '{')}}`,
        tokens.admin,
      );
      expectTooDeep(report, zeroPath('filters.objectName', 30));
      expect(await storedIds('deep-')).toEqual([]);
    });
  }
});

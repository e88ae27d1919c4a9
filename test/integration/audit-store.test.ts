import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { DynamoAuditStore } from '../../shared/adapters/dynamodb/audit-store.ts';
import { auditFiltersSchema } from '../../shared/domain/audit/filters.ts';
import type { UserCaller } from '../../shared/domain/caller.ts';
import { ingestAuditEvents } from '../../shared/use-cases/audit/ingest.ts';
import { iterateAuditEvents, listAuditEvents } from '../../shared/use-cases/audit/query.ts';
import { auditDataset } from '../fixtures/audit-dataset.ts';
import { uniqueTenant } from './helpers.ts';

/**
 * The store against DynamoDB Local for a hot tenant with 4 write shards (the HTTP stack runs
 * with one): every read merges all shards behind one cursor, and exports hydrate full entries.
 */
const tenant = uniqueTenant('auds');
const now = new Date();
const events = auditDataset(tenant, now, 150, 7);
const client = DynamoDBDocumentClient.from(
  new DynamoDBClient({
    region: 'eu-west-1',
    endpoint: inject('dynamoEndpoint'),
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  }),
  { marshallOptions: { removeUndefinedValues: true } },
);
const store = new DynamoAuditStore(client, { tableName: inject('tables').audit, shardsFor: () => 4 });
const deps = {
  store,
  clock: { now: () => now },
  retentionMonths: 18,
  signingKey: async () => new TextEncoder().encode('s'.repeat(32)),
};
const caller: UserCaller = { kind: 'user', tenantId: tenant, userId: 'u-a', role: 'owner', reporting: false };
const from = new Date(now.getTime() - 120 * 86_400_000).toISOString();
const newestFirst = (xs: typeof events) =>
  [...xs].sort((a, b) => (`${a.occurredAt}#${a.id}` < `${b.occurredAt}#${b.id}` ? 1 : -1)).map((e) => e.id);

beforeAll(async () => {
  await ingestAuditEvents(deps, events.slice(0, 100));
  await ingestAuditEvents(deps, events.slice(100));
});
afterAll(() => client.destroy());

describe('a sharded tenant', () => {
  it.each([
    ['the time index', {}, () => true],
    [
      'an action (sharded index)',
      { action: 'Created,Deleted' },
      (e: (typeof events)[0]) => ['Created', 'Deleted'].includes(e.action),
    ],
    [
      'object type + action',
      { objectType: 'Task', action: 'Deleted' },
      (e: (typeof events)[0]) => e.object.type === 'Task' && e.action === 'Deleted',
    ],
    ['non-person actors', { system: 'true' }, (e: (typeof events)[0]) => e.actor.type !== 'user'],
  ])('merges every shard of %s, page by page, in order', async (_name, raw, keep) => {
    const filters = auditFiltersSchema.parse({ ...raw, from });
    const ids: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await listAuditEvents(deps, caller, filters, { limit: 9, cursor });
      ids.push(...page.items.map((i) => i.id));
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    const want = newestFirst(events.filter(keep));
    expect(want.length).toBeGreaterThan(0);
    expect(ids).toEqual(want);
  });

  it('iterates every entry oldest first with changes, for exports', async () => {
    const filters = auditFiltersSchema.parse({ from, order: 'asc' });
    const seen = [];
    for await (const e of iterateAuditEvents(deps, caller, filters, 40)) seen.push(e);
    expect(seen.map((e) => e.id)).toEqual(newestFirst(events).reverse());
    const withChanges = events.find((e) => e.changes)!;
    expect(seen.find((e) => e.id === withChanges.id)!.changes).toEqual(withChanges.changes);
  });
});

describe('a tenant with 16 write shards', () => {
  const tenant16 = uniqueTenant('aud16');
  const events16 = auditDataset(tenant16, now, 150, 11);
  const store16 = new DynamoAuditStore(client, { tableName: inject('tables').audit, shardsFor: () => 16 });
  const deps16 = { ...deps, store: store16 };
  const caller16: UserCaller = { ...caller, tenantId: tenant16 };

  beforeAll(async () => {
    await ingestAuditEvents(deps16, events16.slice(0, 100));
    await ingestAuditEvents(deps16, events16.slice(100));
  });

  it.each([
    ['the time index', {}, () => true],
    [
      'an action (sharded index)',
      { action: 'Created,Deleted' },
      (e: (typeof events16)[0]) => ['Created', 'Deleted'].includes(e.action),
    ],
    ['an actor (unsharded index)', { actorId: 'u-ada' }, (e: (typeof events16)[0]) => e.actor.id === 'u-ada'],
  ])('merges all 16 shards of %s, page by page, in order', async (_name, raw, keep) => {
    const filters = auditFiltersSchema.parse({ ...raw, from });
    const ids: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await listAuditEvents(deps16, caller16, filters, { limit: 9, cursor });
      ids.push(...page.items.map((i) => i.id));
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    const want = newestFirst(events16.filter(keep));
    expect(want.length).toBeGreaterThan(9);
    expect(ids).toEqual(want);
  });
});

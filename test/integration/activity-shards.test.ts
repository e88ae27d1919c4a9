import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { DynamoActivityStore } from '../../shared/adapters/dynamodb/activity-store.ts';
import type { ActivityCriteria } from '../../shared/domain/activity/criteria.ts';
import { ingestActivityEvents } from '../../shared/use-cases/activity/ingest.ts';
import { uniqueTenant } from './helpers.ts';

/**
 * The activity store against DynamoDB Local for hot tenants with 1, 4 and 16 write shards:
 * every read of a sharded index (time, action, content type) merges all shards behind one
 * position, and a walk page by page returns every match exactly once, newest first.
 */
const SHARDS = [1, 4, 16] as const;
const base = uniqueTenant('acts');
const tenantOf = (n: number) => `${base}-n${n}`;
const now = new Date();
const client = DynamoDBDocumentClient.from(
  new DynamoDBClient({
    region: 'eu-west-1',
    endpoint: inject('dynamoEndpoint'),
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  }),
  { marshallOptions: { removeUndefinedValues: true } },
);
const store = new DynamoActivityStore(client, {
  tableName: inject('tables').activity,
  shardsFor: (t) => Number(t.slice(t.lastIndexOf('-n') + 2)),
});
const ACTIONS = ['Viewed', 'Started', 'Completed', 'Failed'] as const;
const TYPES = ['Item', 'Quiz', 'Event'] as const;
const COUNT = 120;

function events(tenantId: string) {
  return Array.from({ length: COUNT }, (_, i) => ({
    id: `e${String(i).padStart(3, '0')}`,
    tenantId,
    // Pairs share a timestamp: ties are ordered by id.
    occurredAt: new Date(now.getTime() - 60_000 - Math.floor(i / 2) * 3_600_000).toISOString(),
    userId: `u${i % 9}`,
    action: ACTIONS[i % ACTIONS.length]!,
    content: { type: TYPES[i % TYPES.length]!, id: `c${i % 5}`, title: `Content ${i % 5}` },
  }));
}

beforeAll(async () => {
  for (const n of SHARDS) {
    await ingestActivityEvents(
      { store, clock: { now: () => now }, retentionMonths: 84 },
      events(tenantOf(n)),
    );
  }
});
afterAll(() => client.destroy());

async function walk(tenantId: string, criteria: Omit<ActivityCriteria, 'expiredAsOf'>) {
  const ids: string[] = [];
  let after: string | undefined;
  let pages = 0;
  do {
    const page = await store.query({
      tenantId,
      criteria: { ...criteria, expiredAsOf: now.toISOString() },
      from: new Date(now.getTime() - 30 * 86_400_000).toISOString(),
      to: now.toISOString(),
      order: 'desc',
      limit: 7,
      after,
      nowEpochSeconds: Math.floor(now.getTime() / 1000),
    });
    ids.push(...page.items.map((e) => e.id));
    after = page.nextPosition ?? undefined;
    pages++;
  } while (after && pages < 100);
  return ids;
}

describe.each(SHARDS)('a tenant with %i write shard(s)', (n) => {
  const all = events(tenantOf(n)).sort((a, b) =>
    `${a.occurredAt}#${a.id}` < `${b.occurredAt}#${b.id}` ? 1 : -1,
  );
  it.each([
    ['the time index', {}, () => true],
    ['an action', { actions: ['Failed'] }, (e: (typeof all)[0]) => e.action === 'Failed'],
    [
      'two content types',
      { contentTypes: ['Quiz', 'Event'] },
      (e: (typeof all)[0]) => e.content.type !== 'Item',
    ],
    ['a user set', { userIds: ['u1', 'u4'] }, (e: (typeof all)[0]) => ['u1', 'u4'].includes(e.userId)],
  ])('returns every match of %s once, newest first, across pages', async (_name, criteria, keep) => {
    const want = all.filter(keep).map((e) => e.id);
    expect(want.length).toBeGreaterThan(7);
    expect(await walk(tenantOf(n), criteria as Omit<ActivityCriteria, 'expiredAsOf'>)).toEqual(want);
  });
});

import { randomUUID } from 'node:crypto';
import { CreateTableCommand, DeleteTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { BatchWriteCommand, DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { type Item, mergeQuery, type Stream } from '../../shared/adapters/dynamodb/merge-query.ts';
import { LOCAL_CREDENTIALS } from '../../shared/adapters/local-credentials.ts';
import type { ReadBudget } from '../../shared/query/budget.ts';
import { allShards, shardOf } from '../../shared/query/shards.ts';

/**
 * The read budget of mergeQuery, against DynamoDB Local: with a small budget every call stops
 * within it, and a cursor walk of a sparse filter (pages that end inside a DynamoDB page, pages
 * with no item at all) returns exactly what a walk without a budget returns, in order.
 */
const TABLE = `budget-test-${randomUUID().slice(0, 8)}`;
const raw = new DynamoDBClient({
  endpoint: inject('dynamoEndpoint'),
  region: 'eu-west-1',
  credentials: LOCAL_CREDENTIALS,
});
const doc = DynamoDBDocumentClient.from(raw);
const NOW = Math.floor(Date.parse('2026-11-22T00:00:00Z') / 1000);
const FROM = '2026-01-01T00:00:00.000Z';
const TO = '2026-12-01T00:00:00.000Z';
const COUNT = 600;
const SHARDS = 4;

interface Row {
  id: string;
  ts: string;
  actor: string;
  kind: string;
}
const rows: Row[] = Array.from({ length: COUNT }, (_, i) => {
  const id = `e${String(i).padStart(4, '0')}`;
  // Ties on the timestamp (ordered by id), and rare matches in clusters and alone.
  const at = new Date(Date.parse('2026-02-01T00:00:00Z') + Math.floor(i / 3) * 3_600_000).toISOString();
  return {
    id,
    ts: `${at}#${id}`,
    actor: `a${i % 5}`,
    kind: i % 37 === 0 || (i > 300 && i < 306) ? 'rare' : 'common',
  };
});

const byTime = allShards(SHARDS).map((s) => ({
  indexName: 'by-tp',
  partitionKeyName: 'tp',
  partitionKeyValue: `T#${s}`,
}));
const oneStream = [{ indexName: 'by-one', partitionKeyName: 'op', partitionKeyValue: 'T' }];
const byActor = ['a1', 'a3'].map((a) => ({
  indexName: 'by-ap',
  partitionKeyName: 'ap',
  partitionKeyValue: `T#${a}`,
}));

async function walk(opts: {
  streams: Stream[];
  order: 'asc' | 'desc';
  limit: number;
  kind?: string;
  budget?: ReadBudget;
}) {
  const seen: string[] = [];
  const pages: { scanned: number; queries: number; items: number }[] = [];
  let after: string | undefined;
  for (let page = 0; page < 2000; page++) {
    const res = await mergeQuery(doc, {
      tableName: TABLE,
      streams: opts.streams,
      from: FROM,
      to: TO,
      order: opts.order,
      limit: opts.limit,
      after,
      filter: opts.kind ? (x) => x.add(`${x.path('f.kind')} = ${x.value(opts.kind)}`) : undefined,
      baseKeyOf: (position) => ({ pk: position.split('#')[1]! }),
      nowEpochSeconds: NOW,
      ...(opts.budget ? { budget: opts.budget } : {}),
    });
    pages.push({ scanned: res.scanned, queries: res.queries, items: res.items.length });
    expect(res.items.length).toBeLessThanOrEqual(opts.limit);
    seen.push(...res.items.map((i: Item) => (i.e as { id: string }).id));
    if (!res.nextPosition) return { seen, pages };
    after = res.nextPosition;
  }
  throw new Error('the walk did not end');
}

const expectedIds = (keep: (r: Row) => boolean, order: 'asc' | 'desc') => {
  const ids = rows
    .filter(keep)
    .sort((a, b) => (a.ts < b.ts ? -1 : 1))
    .map((r) => r.id);
  return order === 'desc' ? ids.reverse() : ids;
};

beforeAll(async () => {
  await raw.send(
    new CreateTableCommand({
      TableName: TABLE,
      BillingMode: 'PAY_PER_REQUEST',
      AttributeDefinitions: ['pk', 'ts', 'tp', 'ap', 'op'].map((a) => ({
        AttributeName: a,
        AttributeType: 'S' as const,
      })),
      KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
      GlobalSecondaryIndexes: [
        ['by-tp', 'tp'],
        ['by-ap', 'ap'],
        ['by-one', 'op'],
      ].map(([name, pk]) => ({
        IndexName: name!,
        KeySchema: [
          { AttributeName: pk!, KeyType: 'HASH' as const },
          { AttributeName: 'ts', KeyType: 'RANGE' as const },
        ],
        Projection: { ProjectionType: 'INCLUDE' as const, NonKeyAttributes: ['e', 'f', 'ttl'] },
      })),
    }),
  );
  const items = rows.map((r) => ({
    pk: r.id,
    ts: r.ts,
    tp: `T#${shardOf(r.id, SHARDS)}`,
    ap: `T#${r.actor}`,
    op: 'T',
    e: { id: r.id },
    f: { kind: r.kind },
    ttl: NOW + 86_400,
  }));
  for (let i = 0; i < items.length; i += 25) {
    await doc.send(
      new BatchWriteCommand({
        RequestItems: { [TABLE]: items.slice(i, i + 25).map((Item) => ({ PutRequest: { Item } })) },
      }),
    );
  }
});

afterAll(async () => {
  await raw.send(new DeleteTableCommand({ TableName: TABLE }));
});

describe('mergeQuery under a read budget', () => {
  const budget: ReadBudget = { items: 40, queries: 12 };
  const cases = [
    { label: 'one stream', streams: oneStream, keep: (_: Row) => true },
    { label: `${SHARDS} shards`, streams: byTime, keep: (_: Row) => true },
    { label: 'two filter values', streams: byActor, keep: (r: Row) => r.actor === 'a1' || r.actor === 'a3' },
  ];
  for (const c of cases) {
    for (const order of ['desc', 'asc'] as const) {
      it(`${c.label}, ${order}: a sparse filter walked with cursors equals the whole answer, each call within budget`, async () => {
        const full = await walk({ streams: c.streams, order, limit: 200, kind: 'rare' });
        const budgeted = await walk({ streams: c.streams, order, limit: 3, kind: 'rare', budget });
        const expected = expectedIds((r) => c.keep(r) && r.kind === 'rare', order);
        expect(full.seen).toEqual(expected);
        expect(budgeted.seen).toEqual(expected);
        // A round split by the budget reads at least one item per stream.
        for (const p of budgeted.pages) {
          expect(p.scanned).toBeLessThanOrEqual(budget.items + c.streams.length - 1);
          expect(p.queries).toBeLessThanOrEqual(Math.max(budget.queries, c.streams.length));
        }
        // Short pages (fewer than the limit, some empty) with a cursor: the budget stopped them.
        expect(budgeted.pages.slice(0, -1).some((p) => p.items < 3)).toBe(true);
      });
    }
  }

  it('stops inside a DynamoDB page and resumes right after the last item it read', async () => {
    const small: ReadBudget = { items: 7, queries: 10 };
    const { seen, pages } = await walk({ streams: oneStream, order: 'desc', limit: 50, budget: small });
    expect(seen).toEqual(expectedIds(() => true, 'desc'));
    expect(pages[0]).toMatchObject({ scanned: 7, items: 7 });
  });

  it('a filter nothing matches stops at the budget with a cursor, not at the end of the partition', async () => {
    // 600 entries, none matching: the whole partition would be one call's read without a budget.
    const res = await mergeQuery(doc, {
      tableName: TABLE,
      streams: oneStream,
      from: FROM,
      to: TO,
      order: 'desc',
      limit: 1,
      filter: (x) => x.add(`${x.path('f.kind')} = ${x.value('never')}`),
      baseKeyOf: (position) => ({ pk: position.split('#')[1]! }),
      nowEpochSeconds: NOW,
      budget: { items: 100, queries: 256 },
    });
    expect(res.items).toEqual([]);
    expect(res.scanned).toBe(100);
    expect(res.nextPosition).not.toBeNull();
  });
});

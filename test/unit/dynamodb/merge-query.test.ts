import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { mergeQuery } from '../../../shared/adapters/dynamodb/merge-query.ts';

/**
 * The merge's I/O loop: each planned read becomes one Query on its stream's partition, bounded
 * by the planned range, resuming after the stream's key. (Order and completeness are the
 * planner's, test/unit/query/merge-planner.test.ts; against DynamoDB Local,
 * test/integration/merge-shards.test.ts.)
 */
const doc = DynamoDBDocumentClient.from(new DynamoDBClient({ region: 'eu-west-1' }));
const ddb = mockClient(doc);

beforeEach(() => ddb.reset());

const stream = { indexName: 'byActor', partitionKeyName: 'ap', partitionKeyValue: 't1#a1' };
const base = {
  tableName: 'audit',
  from: '2026-01-01T00:00:00.000Z',
  to: '2026-02-01T00:00:00.000Z',
  limit: 2,
  baseKeyOf: (position: string) => ({ pk: `t1#${position.split('#')[1]}` }),
  nowEpochSeconds: 1_700_000_000,
};
const item = (ts: string) => ({ ts, e: { id: ts.split('#')[1] } });

describe('mergeQuery', () => {
  it('reads a stream with one Query: key range, TTL and caller filters, order, limit, resume key', async () => {
    ddb.on(QueryCommand).resolves({
      Items: [item('2026-01-20T00:00:00.000Z#c'), item('2026-01-10T00:00:00.000Z#b')],
      ScannedCount: 3,
    });
    const out = await mergeQuery(doc, {
      ...base,
      streams: [stream],
      order: 'desc',
      after: '2026-01-25T00:00:00.000Z#d',
      filter: (x) => x.add(`${x.path('f.kind')} = ${x.value('rare')}`),
    });
    const input = ddb.commandCalls(QueryCommand)[0]!.args[0].input;
    expect(input).toMatchObject({
      TableName: 'audit',
      IndexName: 'byActor',
      ScanIndexForward: false,
      Limit: 3,
      ExclusiveStartKey: { pk: 't1#d', ap: 't1#a1', ts: '2026-01-25T00:00:00.000Z#d' },
    });
    const values = Object.values(input.ExpressionAttributeValues ?? {});
    // The partition, both ends of the window (resuming by key), the TTL and the caller's filter.
    expect(values).toEqual(
      expect.arrayContaining(['t1#a1', base.from, base.to, base.nowEpochSeconds, 'rare']),
    );
    expect(input.KeyConditionExpression).toMatch(/ = .+ AND .+ BETWEEN .+ AND /);
    expect(input.FilterExpression).toMatch(/ >= .+ AND .+ = /);
    expect(out).toEqual({
      items: [item('2026-01-20T00:00:00.000Z#c'), item('2026-01-10T00:00:00.000Z#b')],
      nextPosition: null,
      scanned: 3,
      queries: 1,
    });
  });

  it('keeps only what `accept` accepts, and resumes a stream after its LastEvaluatedKey', async () => {
    const lastKey = { pk: 't1#b', ap: 't1#a1', ts: '2026-01-10T00:00:00.000Z#b' };
    ddb
      .on(QueryCommand)
      .resolvesOnce({
        Items: [item('2026-01-05T00:00:00.000Z#a'), item('2026-01-10T00:00:00.000Z#b')],
        ScannedCount: 2,
        LastEvaluatedKey: lastKey,
      })
      .resolves({ Items: [item('2026-01-15T00:00:00.000Z#c')], ScannedCount: 1 });
    const out = await mergeQuery(doc, {
      ...base,
      streams: [stream],
      order: 'asc',
      accept: (i) => !i.ts.endsWith('#a'),
    });
    const calls = ddb.commandCalls(QueryCommand).map((c) => c.args[0].input);
    expect(calls).toHaveLength(2);
    expect(calls[0]!.ScanIndexForward).toBe(true);
    expect(calls[1]!.ExclusiveStartKey).toEqual(lastKey);
    expect(out.items.map((i) => i.ts)).toEqual(['2026-01-10T00:00:00.000Z#b', '2026-01-15T00:00:00.000Z#c']);
    expect(out.scanned).toBe(3);
    expect(out.queries).toBe(2);
  });

  it('stops at the read budget and answers the frontier, where the next call resumes by key', async () => {
    const lastKey = { pk: 't1#b', ap: 't1#a1', ts: '2026-01-10T00:00:00.000Z#b' };
    ddb.on(QueryCommand).resolves({
      Items: [item('2026-01-05T00:00:00.000Z#a')],
      ScannedCount: 2,
      LastEvaluatedKey: lastKey,
    });
    const out = await mergeQuery(doc, {
      ...base,
      limit: 5,
      streams: [stream],
      order: 'asc',
      accept: (i) => !i.ts.endsWith('#b'),
      budget: { items: 2, queries: 10 },
    });
    const calls = ddb.commandCalls(QueryCommand).map((c) => c.args[0].input);
    // The first round reads what the budget holds (2 items), and no second round follows.
    expect(calls.map((c) => c.Limit)).toEqual([2]);
    expect(out).toEqual({
      items: [item('2026-01-05T00:00:00.000Z#a')],
      nextPosition: '2026-01-10T00:00:00.000Z#b',
      scanned: 2,
      queries: 1,
    });
  });
});

import { ConditionalCheckFailedException, DynamoDBClient, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { BatchWriteCommand, DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { DynamoActivityStore } from '../../../shared/adapters/dynamodb/activity-store.ts';
import {
  clearDirectoryCache,
  DynamoDirectoryStore,
} from '../../../shared/adapters/dynamodb/directory-store.ts';
import type { StoredActivity } from '../../../shared/domain/activity/event.ts';
import { ThrottledError, UnavailableError } from '../../../shared/domain/errors.ts';

const doc = DynamoDBDocumentClient.from(new DynamoDBClient({ region: 'eu-west-1' }));
const ddb = mockClient(doc);

const entry: StoredActivity = {
  id: 'e1',
  tenantId: 't1',
  occurredAt: '2026-11-01T10:00:00.000Z',
  recordedAt: '2026-11-01T10:00:01.000Z',
  userId: 'u1',
  action: 'Failed',
  completed: false,
  content: { type: 'Quiz', id: 'q1', title: 'Fire Safety', tags: ['Compliance'] },
  bulkImportId: 'b1',
  cpdLabels: ['Health'],
};

beforeEach(() => {
  ddb.reset();
  clearDirectoryCache();
});

describe('DynamoActivityStore', () => {
  const store = new DynamoActivityStore(doc, { tableName: 'activity', shardsFor: () => 4 });

  it('writes with a condition on the base key, every index key, the helpers and the TTL', async () => {
    ddb.on(PutItemCommand).resolves({});
    expect(await store.put(entry, 123)).toBe('created');
    const input = ddb.commandCalls(PutItemCommand)[0]!.args[0].input;
    expect(input.ConditionExpression).toBe('attribute_not_exists(pk)');
    const item = unmarshall(input.Item!);
    expect(item).toMatchObject({
      pk: 't1#e1',
      ts: '2026-11-01T10:00:00.000Z#e1',
      up: 't1#u1',
      cp: 't1#q1',
      bip: 't1#b1',
      ttl: 123,
      e: entry,
      f: {
        u: 'u1',
        a: 'Failed',
        ct: 'Quiz',
        ci: 'q1',
        t: 'fire safety',
        tg: ['compliance'],
        cpd: ['health'],
        c: false,
      },
    });
    expect(item.tp).toMatch(/^t1#[0-3]$/);
    expect(item.acp).toMatch(/^t1#[0-3]#Failed$/);
  });

  it('answers duplicate when the id is already stored', async () => {
    ddb.on(PutItemCommand).rejects(new ConditionalCheckFailedException({ message: 'exists', $metadata: {} }));
    expect(await store.put(entry, 1)).toBe('duplicate');
  });

  it('maps throttling to 429 and other failures to 503', async () => {
    ddb
      .on(PutItemCommand)
      .rejects(Object.assign(new Error('slow'), { name: 'ProvisionedThroughputExceededException' }));
    await expect(store.put(entry, 1)).rejects.toBeInstanceOf(ThrottledError);
    ddb.on(PutItemCommand).rejects(Object.assign(new Error('boom'), { name: 'InternalServerError' }));
    await expect(store.put(entry, 1)).rejects.toBeInstanceOf(UnavailableError);
  });

  it('queries one byUser stream per user and resumes after the cursor position', async () => {
    ddb.on(QueryCommand).resolves({ Items: [], ScannedCount: 0 });
    await store.query({
      tenantId: 't1',
      criteria: { userIds: ['u1', 'u2'], completed: true, expiredAsOf: 'x' },
      from: '2026-08-01T00:00:00.000Z',
      to: '2026-11-01T00:00:00.000Z',
      order: 'desc',
      limit: 10,
      after: '2026-10-01T00:00:00.000Z#e9',
      nowEpochSeconds: 1,
    });
    // Two streams, read in time slices until the window is exhausted.
    const calls = ddb.commandCalls(QueryCommand).map((c) => c.args[0].input);
    expect(calls.length % 2).toBe(0);
    expect(new Set(calls.map((c) => c.IndexName))).toEqual(new Set(['byUser']));
    expect(calls.flatMap((c) => Object.values(c.ExpressionAttributeValues!))).toEqual(
      expect.arrayContaining(['t1#u1', 't1#u2', true, 1]),
    );
    expect(calls[0]!.ExclusiveStartKey).toEqual({
      pk: 't1#e9',
      up: 't1#u1',
      ts: '2026-10-01T00:00:00.000Z#e9',
    });
    expect(calls[0]!.ScanIndexForward).toBe(false);
  });

  it('reads a person × action partition when the criteria name actions', async () => {
    ddb.on(QueryCommand).resolves({ Items: [], ScannedCount: 0 });
    await store.query({
      tenantId: 't1',
      criteria: { userIds: ['u1', 'u2'], actions: ['Failed'], expiredAsOf: 'x' },
      from: '2026-08-01T00:00:00.000Z',
      to: '2026-11-01T00:00:00.000Z',
      order: 'desc',
      limit: 10,
      nowEpochSeconds: 1,
    });
    const calls = ddb.commandCalls(QueryCommand).map((c) => c.args[0].input);
    expect(new Set(calls.map((c) => c.IndexName))).toEqual(new Set(['byUserAction']));
    expect(calls.flatMap((c) => Object.values(c.ExpressionAttributeValues!))).toEqual(
      expect.arrayContaining(['t1#u1#Failed', 't1#u2#Failed']),
    );
  });
});

describe('DynamoDirectoryStore', () => {
  const user = {
    id: 'u1',
    firstName: 'A',
    lastName: 'B',
    email: 'a@b.io',
    role: 'Learner',
    status: 'active',
  };

  it('loads a tenant’s directory across pages', async () => {
    ddb
      .on(QueryCommand)
      .resolvesOnce({
        Items: [{ pk: 't1', sk: 'USER#u1', r: user }],
        LastEvaluatedKey: { pk: 't1', sk: 'USER#u1' },
      })
      .resolvesOnce({ Items: [{ pk: 't1', sk: 'TEAM#x', r: { id: 'x', name: 'X' } }] });
    const store = new DynamoDirectoryStore(doc, { tableName: 'dir' });
    const snap = await store.snapshot('t1');
    expect(snap.displayName('u1')).toBe('A B');
    expect(snap.team('x')?.name).toBe('X');
    expect(ddb.commandCalls(QueryCommand)[1]!.args[0].input.ExclusiveStartKey).toEqual({
      pk: 't1',
      sk: 'USER#u1',
    });
  });

  it('serves a recent snapshot from memory and reloads after the cache time or a write', async () => {
    let clock = 0;
    ddb.on(QueryCommand).resolves({ Items: [] });
    ddb.on(BatchWriteCommand).resolves({});
    const store = new DynamoDirectoryStore(doc, { tableName: 'dir', cacheMs: 30_000, now: () => clock });
    await store.snapshot('t1');
    clock = 29_000;
    await store.snapshot('t1');
    expect(ddb.commandCalls(QueryCommand)).toHaveLength(1);
    clock = 31_000;
    await store.snapshot('t1');
    expect(ddb.commandCalls(QueryCommand)).toHaveLength(2);
    await store.upsert('t1', 'users', [user]);
    await store.snapshot('t1');
    expect(ddb.commandCalls(QueryCommand)).toHaveLength(3);
  });

  it('writes records under their kind’s sort key, retrying unprocessed items', async () => {
    ddb
      .on(BatchWriteCommand)
      .resolvesOnce({ UnprocessedItems: { dir: [{ PutRequest: { Item: { pk: 't1', sk: 'GROUP#g1' } } }] } })
      .resolves({});
    const store = new DynamoDirectoryStore(doc, { tableName: 'dir' });
    expect(
      await store.upsert('t1', 'groups', [
        { id: 'g1', name: 'G' },
        { id: 'g1', name: 'G2' },
      ]),
    ).toBe(1);
    const calls = ddb.commandCalls(BatchWriteCommand);
    expect(calls).toHaveLength(2);
    expect(calls[0]!.args[0].input.RequestItems!.dir).toEqual([
      { PutRequest: { Item: { pk: 't1', sk: 'GROUP#g1', r: { id: 'g1', name: 'G2' } } } },
    ]);
  });
});

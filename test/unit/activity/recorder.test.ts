import { randomBytes } from 'node:crypto';
import { DynamoDBClient, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { DynamoActivityStore } from '../../../shared/adapters/dynamodb/activity-store.ts';
import { describeActivity } from '../../../shared/domain/activity/description.ts';
import type { StoredActivity } from '../../../shared/domain/activity/event.ts';
import { openRecorder, sealRecorder } from '../../../shared/domain/activity/recorder.ts';
import type { PersonKey } from '../../../shared/domain/audit/personal.ts';
import type { PersonKeys } from '../../../shared/use-cases/audit/ports.ts';

const entry: StoredActivity = {
  id: 'e1',
  tenantId: 't1',
  occurredAt: '2026-11-01T10:00:00.000Z',
  recordedAt: '2026-11-01T10:00:01.000Z',
  userId: 'u1',
  action: 'Completed',
  completed: true,
  content: { type: 'Item', id: 'c1', title: 'Fire Safety' },
  recordedBy: { id: 'm1', name: 'Mia Manager' },
};

/** An in-memory key store: `erase` deletes a person's key as an erasure does. */
function memoryKeys(): PersonKeys & { erase(person: string): void; calls: string[] } {
  const keys = new Map<string, PersonKey>();
  const calls: string[] = [];
  return {
    cacheSeconds: 0,
    calls,
    async current(tenantId, personId) {
      calls.push(`current ${personId}`);
      const id = `${tenantId}#${personId}`;
      if (!keys.has(id))
        keys.set(id, { version: randomBytes(9).toString('base64url'), key: randomBytes(32) });
      return keys.get(id)!;
    },
    async find(tenantId, personId, version) {
      calls.push(`find ${personId}`);
      const k = keys.get(`${tenantId}#${personId}`);
      return k && k.version === version ? k.key : null;
    },
    async version(tenantId, personId) {
      return keys.get(`${tenantId}#${personId}`)?.version ?? null;
    },
    async retire() {},
    async destroy(tenantId, personId) {
      keys.delete(`${tenantId}#${personId}`);
    },
    erase(person) {
      keys.delete(`t1#${person}`);
    },
  };
}

describe('the recorder of an activity entry, sealed', () => {
  const key: PersonKey = { version: 'v1', key: randomBytes(32) };

  it('stores no plaintext name and opens to the same entry with the key', () => {
    const stored = sealRecorder(entry, key);
    expect(JSON.stringify(stored)).not.toContain('Mia');
    expect(stored.recordedBy).toMatchObject({ id: 'm1', k: 'v1' });
    expect(openRecorder(stored, key.key)).toEqual(entry);
  });

  it('reads "[erased]" without the key, with a wrong key, or when moved to another entry', () => {
    const stored = sealRecorder(entry, key);
    expect(openRecorder(stored, null).recordedBy).toEqual({ id: 'm1', name: '[erased]' });
    expect(openRecorder(stored, randomBytes(32)).recordedBy).toEqual({ id: 'm1', name: '[erased]' });
    expect(openRecorder({ ...stored, id: 'e2' }, key.key).recordedBy).toEqual({ id: 'm1', name: '[erased]' });
  });

  it('leaves entries without a recorder, and plain names stored before sealing, as they are', () => {
    const { recordedBy: _, ...none } = entry;
    expect(sealRecorder(none, key)).toEqual(none);
    expect(openRecorder(entry as unknown as Record<string, unknown>, null)).toEqual(entry);
  });
});

describe('DynamoActivityStore with person keys', () => {
  const doc = DynamoDBDocumentClient.from(new DynamoDBClient({ region: 'eu-west-1' }));
  const ddb = mockClient(doc);
  beforeEach(() => ddb.reset());

  it('writes the recorder sealed under their key and reads it back, then "[erased]" once the key is gone', async () => {
    const keys = memoryKeys();
    const store = new DynamoActivityStore(doc, { tableName: 'activity', shardsFor: () => 1, keys });
    ddb.on(PutItemCommand).resolves({});
    await store.put(entry, 123);
    const item = unmarshall(ddb.commandCalls(PutItemCommand)[0]!.args[0].input.Item!);
    expect(JSON.stringify(item)).not.toContain('Mia');
    expect(keys.calls).toEqual(['current m1']);

    ddb.on(QueryCommand).resolves({ Items: [item] });
    const query = {
      tenantId: 't1',
      criteria: { expiredAsOf: '2026-12-01T00:00:00.000Z' },
      from: '2026-01-01T00:00:00.000Z',
      to: '2026-12-01T00:00:00.000Z',
      order: 'desc' as const,
      limit: 10,
      nowEpochSeconds: 100,
    };
    const read = await store.query(query);
    expect(read.items).toEqual([entry]);
    expect(describeActivity(read.items[0]!, 'Lee Learner', false)).toContain('(recorded by Mia Manager)');

    keys.erase('m1');
    const after = await store.query(query);
    expect(after.items[0]!.recordedBy).toEqual({ id: 'm1', name: '[erased]' });
    expect(describeActivity(after.items[0]!, 'Lee Learner', false)).toContain('(recorded by [erased])');
    expect(JSON.stringify(after.items)).not.toContain('Mia');
  });

  it('asks for no key when an entry has no recorder', async () => {
    const keys = memoryKeys();
    const store = new DynamoActivityStore(doc, { tableName: 'activity', shardsFor: () => 1, keys });
    ddb.on(PutItemCommand).resolves({});
    const { recordedBy: _, ...plain } = entry;
    await store.put(plain, 123);
    expect(keys.calls).toEqual([]);
  });
});

import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConditionalCheckFailedException, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DeleteCommand, DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { DynamoPersonKeys, forgetPersonKeys } from '../../../shared/adapters/dynamodb/person-keys.ts';
import { localKeyWrapper } from '../../../shared/adapters/kms/data-keys.ts';

const ddb = mockClient(DynamoDBDocumentClient);
const client = DynamoDBDocumentClient.from(new DynamoDBClient({ region: 'eu-west-1' }));
const wrapper = localKeyWrapper(join(mkdtempSync(join(tmpdir(), 'keys-')), 'master.key'));
let now = 0;
const keys = () =>
  new DynamoPersonKeys(client, wrapper, { tableName: 'keys', cacheSeconds: 300, now: () => now });

beforeEach(() => {
  ddb.reset();
  forgetPersonKeys();
  now = 1_000_000;
});

describe('person keys', () => {
  it('makes a key on first use, stores it wrapped, and serves it from the cache until its max age', async () => {
    ddb.on(GetCommand).resolves({});
    ddb.on(PutCommand).resolves({});
    const first = await keys().current('t1', 'u1');
    const put = ddb.commandCalls(PutCommand)[0]!.args[0].input;
    expect(put.ConditionExpression).toBe('attribute_not_exists(pk)');
    expect(Buffer.from(put.Item!.w as Uint8Array).equals(first.key)).toBe(false);
    ddb.on(GetCommand).resolves({ Item: put.Item });
    now += 299_000;
    expect((await keys().current('t1', 'u1')).key.equals(first.key)).toBe(true);
    expect(ddb.commandCalls(GetCommand)).toHaveLength(1);
    now += 2_000;
    const again = await keys().find('t1', 'u1', first.version);
    expect(again?.equals(first.key)).toBe(true);
    expect(ddb.commandCalls(GetCommand)).toHaveLength(2);
  });

  it('reads the winner’s key when another writer made it first', async () => {
    ddb.on(PutCommand).resolves({});
    ddb.on(GetCommand).resolves({});
    const winner = await keys().current('t1', 'u2');
    const item = ddb.commandCalls(PutCommand)[0]!.args[0].input.Item;
    forgetPersonKeys();
    ddb.reset();
    ddb.on(GetCommand).resolvesOnce({}).resolves({ Item: item });
    ddb.on(PutCommand).rejects(new ConditionalCheckFailedException({ message: 'exists', $metadata: {} }));
    const loser = await keys().current('t1', 'u2');
    expect(loser.version).toBe(winner.version);
    expect(loser.key.equals(winner.key)).toBe(true);
  });

  it('answers null for a destroyed key, and a new version after', async () => {
    ddb.on(GetCommand).resolves({});
    ddb.on(PutCommand).resolves({});
    ddb.on(DeleteCommand).resolves({});
    const k = keys();
    const old = await k.current('t1', 'u3');
    await k.destroy('t1', 'u3');
    expect(await k.find('t1', 'u3', old.version)).toBeNull();
    const fresh = await k.current('t1', 'u3');
    expect(fresh.version).not.toBe(old.version);
    expect(await k.find('t1', 'u3', old.version)).toBeNull();
  });

  it('peeks synchronously at a held key only: never before it is read, never stale, never destroyed', async () => {
    ddb.on(GetCommand).resolves({});
    ddb.on(PutCommand).resolves({});
    ddb.on(DeleteCommand).resolves({});
    const k = keys();
    expect(k.peek('t1', 'u4')).toBeUndefined();
    const pending = k.current('t1', 'u4');
    expect(k.peek('t1', 'u4')).toBeUndefined();
    const made = await pending;
    expect(k.peek('t1', 'u4')).toEqual(made);
    expect(ddb.commandCalls(GetCommand)).toHaveLength(1);
    now += 301_000;
    expect(k.peek('t1', 'u4')).toBeUndefined();
    ddb.on(GetCommand).resolves({ Item: ddb.commandCalls(PutCommand)[0]!.args[0].input.Item });
    expect((await k.current('t1', 'u4')).version).toBe(made.version);
    expect(k.peek('t1', 'u4')?.version).toBe(made.version);
    await k.destroy('t1', 'u4');
    expect(k.peek('t1', 'u4')).toBeUndefined();
    ddb.on(GetCommand).resolves({});
    const uncached = new DynamoPersonKeys(client, wrapper, { tableName: 'keys', cacheSeconds: 0 });
    await uncached.current('t1', 'u5');
    expect(uncached.peek('t1', 'u5')).toBeUndefined();
  });
});

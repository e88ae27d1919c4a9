import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConditionalCheckFailedException, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DeleteCommand, DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { DynamoPersonKeys, forgetPersonKeys, keyPk } from '../../../shared/adapters/dynamodb/person-keys.ts';
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

describe('retiring a person key (the first step of an erasure)', () => {
  // The Keys table in memory, with the conditions the store writes.
  function table() {
    const items = new Map<string, Record<string, unknown>>();
    ddb.on(GetCommand).callsFake(async (input) => {
      const item = items.get(input.Key.pk);
      return item ? { Item: structuredClone(item) } : {};
    });
    ddb.on(PutCommand).callsFake(async (input) => {
      if (input.ConditionExpression === 'attribute_not_exists(pk)' && items.has(input.Item.pk))
        throw new ConditionalCheckFailedException({ message: 'exists', $metadata: {} });
      items.set(input.Item.pk, structuredClone(input.Item));
      return {};
    });
    ddb.on(DeleteCommand).callsFake(async (input) => {
      const item = items.get(input.Key.pk);
      if (input.ConditionExpression && item?.v !== input.ExpressionAttributeValues[':v'])
        throw new ConditionalCheckFailedException({ message: 'changed', $metadata: {} });
      items.delete(input.Key.pk);
      return {};
    });
    return items;
  }

  it('keeps the retired version readable, gives writers a new one, and destroys only the retired one', async () => {
    const items = table();
    const writer = keys();
    const old = await writer.current('t1', 'u4');
    expect(await writer.version('t1', 'u4')).toBe(old.version);
    const job = keys();
    await job.retire('t1', 'u4', old.version);
    // Locally every function shares this process: their cached copies go with the retirement.
    const fresh = await writer.current('t1', 'u4');
    expect(fresh.version).not.toBe(old.version);
    expect((await writer.find('t1', 'u4', old.version))?.equals(old.key)).toBe(true);
    expect((await writer.find('t1', 'u4', fresh.version))?.equals(fresh.key)).toBe(true);
    // Repeated (a redelivered step): the new version stays current.
    await job.retire('t1', 'u4', old.version);
    expect(await job.version('t1', 'u4')).toBe(fresh.version);
    await job.destroy('t1', 'u4', old.version);
    expect(await writer.find('t1', 'u4', old.version)).toBeNull();
    expect((await writer.find('t1', 'u4', fresh.version))?.equals(fresh.key)).toBe(true);
    expect([...items.keys()]).toEqual(['t1#u4']);
  });

  it('never lets a person id name another person’s retired copy', async () => {
    const items = table();
    const alice = await keys().current('t1', 'alice');
    await keys().retire('t1', 'alice', alice.version);
    // A platform sends the id `alice#retired#<version>`: it gets a key of its own, and erasing it
    // leaves alice's retired copy (which a legal hold may be keeping) where it is.
    const impostor = `alice#retired#${alice.version}`;
    const theirs = await keys().current('t1', impostor);
    expect(theirs.version).not.toBe(alice.version);
    expect(theirs.key.equals(alice.key)).toBe(false);
    await keys().destroy('t1', impostor);
    expect((await keys().find('t1', 'alice', alice.version))?.equals(alice.key)).toBe(true);
    expect(keyPk('t1', impostor)).toMatch(/^t1#~[0-9a-f]{64}$/);
    expect(keyPk('t1', '~x')).not.toBe('t1#~x');
    expect(keyPk('t1', 'u-1', 'v')).toBe('t1#u-1#retired#v');
    expect([...items.keys()].sort()).toEqual([`t1#alice#retired#${alice.version}`]);
  });

  it('leaves a newer version current when the delete finds it changed', async () => {
    const items = table();
    const old = await keys().current('t1', 'u5');
    items.set('t1#u5', { ...items.get('t1#u5')!, v: 'newer' });
    await keys().retire('t1', 'u5', old.version);
    expect(items.get('t1#u5')?.v).toBe('newer');
    await keys().retire('t1', 'u5', 'newer-still');
    expect(items.get('t1#u5')?.v).toBe('newer');
  });

  it('serves a warm cache of the retired version until its max age (what the erasure waits out)', async () => {
    const items = table();
    const writer = keys();
    const old = await writer.current('t1', 'u6');
    // Another process retires it (this process's cache is not dropped).
    items.set(`t1#u6#retired#${old.version}`, { ...items.get('t1#u6')!, pk: `t1#u6#retired#${old.version}` });
    items.delete('t1#u6');
    now += 299_999;
    expect((await writer.current('t1', 'u6')).version).toBe(old.version);
    now += 1;
    expect((await writer.current('t1', 'u6')).version).not.toBe(old.version);
  });
});

describe('a reader’s cache after an erasure', () => {
  it('finds a version made after it cached "no key" (a person erased, then seen again), once per max age', async () => {
    const items = new Map<string, Record<string, unknown>>();
    ddb.on(GetCommand).callsFake(async (input) => {
      const item = items.get(input.Key.pk);
      return item ? { Item: structuredClone(item) } : {};
    });
    const reader = keys();
    expect(await reader.find('t1', 'u7', 'erased-version')).toBeNull();
    const gets = ddb.commandCalls(GetCommand).length;
    // Gone stays gone from the cache: no more reads.
    expect(await reader.find('t1', 'u7', 'erased-version')).toBeNull();
    expect(ddb.commandCalls(GetCommand)).toHaveLength(gets);
    // A writer in another process makes the person's new key; this reader still caches "no key".
    const { plain, wrapped } = await wrapper.generate({ tenantId: 't1', personId: 'u7' });
    items.set('t1#u7', { pk: 't1#u7', v: 'made-later', w: wrapped });
    const made = { version: 'made-later', key: plain };
    expect((await reader.find('t1', 'u7', made.version))?.equals(made.key)).toBe(true);
  });

  it('never takes a version being retired for gone: a warm reader reads the current key before the retired copy', async () => {
    // The person's key V, made elsewhere; this process cached "no key" for them earlier.
    ddb.on(PutCommand).resolves({});
    ddb.on(GetCommand).resolves({});
    const made = await keys().current('t1', 'u9');
    const item = ddb.commandCalls(PutCommand)[0]!.args[0].input.Item!;
    forgetPersonKeys();
    ddb.reset();
    ddb.on(GetCommand).resolves({});
    const k = keys();
    expect(await k.find('t1', 'u9', 'older')).toBeNull(); // caches the current key as none
    // An erasure retires V right after the reader's first read: the copy appears, the current
    // item goes. Whichever item the reader reads first answers as the table stood then.
    let retired = false;
    ddb.on(GetCommand).callsFake((input: { Key: { pk: string } }) => {
      const isRetiredCopy = input.Key.pk.includes('#retired#');
      const answer = isRetiredCopy === retired ? { Item: item } : {};
      retired = true;
      return answer;
    });
    const found = await k.find('t1', 'u9', made.version);
    expect(found?.equals(made.key)).toBe(true);
  });
});

import { DynamoDBClient, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { marshall } from '@aws-sdk/util-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import fc from 'fast-check';
import { beforeEach, describe, expect, it } from 'vitest';
import { demoActivity } from '../../../local/seed/activity.ts';
import { demoAuditEvents } from '../../../local/seed/audit.ts';
import { activityItem } from '../../../shared/adapters/dynamodb/activity-keys.ts';
import { DynamoActivityStore } from '../../../shared/adapters/dynamodb/activity-store.ts';
import { toAttributeMap, toAttributeValue } from '../../../shared/adapters/dynamodb/attributes.ts';
import { toAuditItem } from '../../../shared/adapters/dynamodb/audit-keys.ts';
import { DynamoAuditStore } from '../../../shared/adapters/dynamodb/audit-store.ts';
import { MARSHALL_OPTIONS } from '../../../shared/adapters/dynamodb/client.ts';
import type { StoredActivity } from '../../../shared/domain/activity/event.ts';
import type { AuditEntry } from '../../../shared/domain/audit/schema.ts';
import { ingestActivityEvents } from '../../../shared/use-cases/activity/ingest.ts';
import { ingestAuditEvents } from '../../../shared/use-cases/audit/ingest.ts';

/** What the function returns or throws, so "both reject" compares too. */
function outcome(fn: () => unknown): { value: unknown } | { error: string } {
  try {
    return { value: fn() };
  } catch (err) {
    return { error: String((err as Error)?.message ?? err) };
  }
}

const viaMarshall = (item: object) => outcome(() => marshall(item, MARSHALL_OPTIONS));
const viaLean = (item: object) => outcome(() => toAttributeMap(item));

class Money {
  constructor(readonly amount: number) {}
}

describe('the lean marshaller (toAttributeMap)', () => {
  it('produces exactly what marshall produces, or rejects what it rejects, for any JS value', () => {
    const values = fc.anything({
      withBoxedValues: true,
      withMap: true,
      withSet: true,
      withNullPrototype: true,
      withBigInt: true,
      withDate: true,
      withTypedArray: true,
      withSparseArray: true,
      withObjectString: true,
    });
    fc.assert(
      fc.property(fc.dictionary(fc.string(), values), (item) => {
        expect(viaLean(item)).toEqual(viaMarshall(item));
      }),
      { seed: 20261122, numRuns: 3000 },
    );
  });

  it('matches marshall on plain JSON, the shape of every stored item', () => {
    fc.assert(
      fc.property(fc.dictionary(fc.string(), fc.jsonValue()), (item) => {
        expect(viaLean(item)).toEqual(viaMarshall(item));
      }),
      { seed: 7, numRuns: 3000 },
    );
  });

  it.each([
    ['NaN', Number.NaN],
    ['Infinity', Number.POSITIVE_INFINITY],
    ['-Infinity', Number.NEGATIVE_INFINITY],
    ['an unsafe integer', 2 ** 53],
    ['a negative unsafe integer', -(2 ** 53)],
    ['an empty set', new Set()],
    ['a symbol', Symbol('s')],
  ])('rejects %s as marshall does', (_name, value) => {
    const lean = viaLean({ v: value });
    expect(lean).toHaveProperty('error');
    expect(lean).toEqual(viaMarshall({ v: value }));
  });

  it.each([
    ['a map with its own constructor key', { constructor: 'x', k: 1 }],
    ['a map whose constructor key mimics a class', { constructor: { name: 'Set' } }],
    ['a null-prototype map', Object.assign(Object.create(null), { a: 'b' })],
    ['a class instance', new Money(3)],
    ['a Date', new Date(0)],
    ['a Map', new Map([['a', 1]])],
    ['a string set', new Set(['a', 'b'])],
    ['a Buffer', Buffer.from('hi')],
    ['an empty Buffer', Buffer.alloc(0)],
    ['a Uint8Array', new Uint8Array([2, 0, 255])],
    ['an empty Uint8Array', new Uint8Array(0)],
    ['a view into a larger buffer', Buffer.from('abcdef').subarray(2, 4)],
    ['a map whose constructor key is Buffer', { constructor: Buffer, length: 1 }],
    ['another typed array', new Int8Array([1, -1])],
    ['a bigint', 12n],
    ['-0, safe bounds and fractions', [-0, 2 ** 53 - 1, -(2 ** 53 - 1), 0.1, 1e-7, 1e21]],
    ['boxed values', [Object('s'), Object(1), Object(true)]],
    // biome-ignore lint/suspicious/noSparseArray: a hole is the case under test
    ['undefined, functions and holes in lists', [1, undefined, () => 1, , 2]],
    ['undefined and functions in maps', { a: undefined, b: () => 1, c: 'kept' }],
    ['empty strings, lists and maps', { s: '', l: [], m: {} }],
  ])('handles %s exactly as marshall does', (_name, value) => {
    expect(viaLean({ v: value })).toEqual(viaMarshall({ v: value }));
  });

  it('drops an own `__proto__` key from parsed JSON as marshall does (never stored, never a prototype)', () => {
    const item = JSON.parse('{"details":{"__proto__":{"polluted":true},"k":"v"}}') as object;
    const lean = toAttributeMap(item);
    expect(lean).toEqual(marshall(item, MARSHALL_OPTIONS));
    expect(Object.keys(lean.details?.M ?? {})).toEqual(['k']);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('returns single attribute values as marshall does at the top level', () => {
    for (const v of ['a', 1, true, null, [1], { a: 1 }]) {
      expect(toAttributeValue(v)).toEqual(
        marshall(v, { ...MARSHALL_OPTIONS, convertTopLevelContainer: true }),
      );
    }
  });
});

describe('the stores send the items the DocumentClient would have sent', () => {
  const doc = DynamoDBDocumentClient.from(new DynamoDBClient({ region: 'eu-west-1' }));
  const ddb = mockClient(doc);
  const now = new Date('2026-11-22T10:00:00.000Z');
  beforeEach(() => {
    ddb.reset();
    ddb.on(PutItemCommand).resolves({});
  });

  it('audit: every demo event is sent as marshall(toAuditItem(entry))', async () => {
    const entries: { entry: AuditEntry; ttl: number }[] = [];
    const store = new DynamoAuditStore(doc, { tableName: 'audit', shardsFor: () => 4 });
    const spy = {
      put: (entry: AuditEntry, ttl: number) => {
        entries.push({ entry, ttl });
        return store.put(entry, ttl);
      },
    };
    const events = demoAuditEvents(now);
    for (let i = 0; i < events.length; i += 100) {
      await ingestAuditEvents(
        { store: spy, clock: { now: () => now }, retentionMonths: 18 },
        events.slice(i, i + 100),
      );
    }
    const sent = ddb.commandCalls(PutItemCommand).map((c) => c.args[0].input.Item);
    expect(sent.length).toBe(events.length);
    expect(sent).toEqual(
      entries.map(({ entry, ttl }) => marshall(toAuditItem(entry, 4, ttl), MARSHALL_OPTIONS)),
    );
  });

  it('activity: every demo event is sent as marshall(activityItem(entry))', async () => {
    const entries: { entry: StoredActivity; ttl: number }[] = [];
    const store = new DynamoActivityStore(doc, { tableName: 'activity', shardsFor: () => 4 });
    const spy = {
      put: (entry: StoredActivity, ttl: number) => {
        entries.push({ entry, ttl });
        return store.put(entry, ttl);
      },
    };
    const events = demoActivity(now, 600);
    for (let i = 0; i < events.length; i += 100) {
      await ingestActivityEvents(
        { store: spy, clock: { now: () => now }, retentionMonths: 84 },
        events.slice(i, i + 100),
      );
    }
    const sent = ddb.commandCalls(PutItemCommand).map((c) => c.args[0].input.Item);
    expect(sent.length).toBeGreaterThan(500);
    expect(sent).toEqual(
      entries.map(({ entry, ttl }) => marshall(activityItem(entry, 4, ttl), MARSHALL_OPTIONS)),
    );
  });
});

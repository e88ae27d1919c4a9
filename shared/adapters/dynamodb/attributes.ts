// A lean marshaller for the ingest hot path: the stored audit and activity items are plain JSON
// (strings, safe numbers, booleans, null, arrays, plain objects) plus bytes (an audit entry's
// sealed personal fields), and `marshall` from @aws-sdk/util-dynamodb spends most of its time
// asking every value what class it is (`constructor.name` checks, a binary-type list built per
// string). This handles exactly the plain-JSON cases and non-empty Buffers and Uint8Arrays, and
// hands every other value (a class instance, a Set, another typed array, a bigint,
// a non-finite or unsafe number, an object with its own `constructor` key…) to `marshall` with
// the DocumentClient's options, so the result — or the error — is always what the
// DocumentClient would have produced. test/unit/dynamodb/attributes.test.ts checks that
// equality on generated values.

import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { marshall } from '@aws-sdk/util-dynamodb';
import { MARSHALL_OPTIONS } from './client.ts';

const MAX = Number.MAX_SAFE_INTEGER;
const MIN = Number.MIN_SAFE_INTEGER;
const TOP_LEVEL = { ...MARSHALL_OPTIONS, convertTopLevelContainer: true } as const;

function slow(value: unknown): AttributeValue {
  return marshall(value, TOP_LEVEL) as unknown as AttributeValue;
}

export function toAttributeValue(value: unknown): AttributeValue {
  switch (typeof value) {
    case 'string':
      return { S: value };
    case 'number':
      // NaN fails both comparisons: marshall rejects it, as it does ±Infinity and unsafe integers.
      return value <= MAX && value >= MIN ? { N: String(value) } : slow(value);
    case 'boolean':
      return { BOOL: value };
    case 'object':
      if (value === null) return { NULL: true };
      if (Array.isArray(value)) return { L: toList(value) };
      if ((value as { constructor?: unknown }).constructor === Object) {
        return { M: toAttributeMap(value) };
      }
      // Bytes (the sealed personal fields of an audit entry, domain/audit/personal.ts): a binary.
      if (isBytes(value)) return { B: value };
      return slow(value);
    default:
      return slow(value);
  }
}

/** A non-empty Buffer or Uint8Array, which marshall makes `{ B: value }` (the same object). */
function isBytes(value: object): value is Uint8Array {
  const ctor = (value as { constructor?: unknown }).constructor;
  return value instanceof Uint8Array && (ctor === Buffer || ctor === Uint8Array) && value.length > 0;
}

function toList(values: readonly unknown[]): AttributeValue[] {
  const out: AttributeValue[] = [];
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (v !== undefined && typeof v !== 'function') out.push(toAttributeValue(v));
  }
  return out;
}

/** `marshall(item, MARSHALL_OPTIONS)` for a plain item: undefined and function values are left out. */
export function toAttributeMap(item: object): Record<string, AttributeValue> {
  const out: Record<string, AttributeValue> = {};
  // for…in, as marshall walks a map (inherited enumerable keys included).
  for (const key in item) {
    const v = (item as Record<string, unknown>)[key];
    if (v !== undefined && typeof v !== 'function') out[key] = toAttributeValue(v);
  }
  return out;
}

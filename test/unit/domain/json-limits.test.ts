import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  dynamoSizeEstimate,
  jsonByteLength,
  MAX_JSON_DEPTH,
  tooDeep,
  unstorable,
} from '../../../shared/domain/json-limits.ts';

/** `{a: {a: … leaf}}` with `levels` objects, built without recursion. */
function nestedObjects(levels: number, leaf: unknown = 1): unknown {
  let v = leaf;
  for (let i = 0; i < levels; i++) v = { a: v };
  return v;
}
function nestedArrays(levels: number): unknown {
  let v: unknown = 1;
  for (let i = 0; i < levels; i++) v = [v];
  return v;
}

describe('tooDeep', () => {
  it('accepts 32 levels and names the 33rd', () => {
    expect(tooDeep(nestedObjects(32))).toEqual([]);
    expect(tooDeep(nestedObjects(33))).toEqual([Array(32).fill('a')]);
    expect(tooDeep(nestedArrays(33))).toEqual([Array(32).fill(0)]);
    expect(tooDeep('scalar')).toEqual([]);
  });

  it('counts the levels a value sits inside', () => {
    expect(tooDeep(nestedObjects(30), MAX_JSON_DEPTH, 2)).toEqual([]);
    expect(tooDeep(nestedObjects(31), MAX_JSON_DEPTH, 2)).toEqual([Array(30).fill('a')]);
  });

  it('names every too-deep branch in document order, up to the limit', () => {
    const body = { x: nestedObjects(2), y: [nestedObjects(2), 1, nestedObjects(2)] };
    expect(tooDeep(body, 2)).toEqual([
      ['x', 'a'],
      ['y', 0],
      ['y', 2],
    ]);
    expect(tooDeep(body, 2, 0, 2)).toHaveLength(2);
  });

  it('walks 100,000 levels without overflowing the stack', () => {
    const deep = JSON.parse(`${'{"a":'.repeat(100_000)}1${'}'.repeat(100_000)}`);
    expect(tooDeep(deep)).toEqual([Array(32).fill('a')]);
    expect(tooDeep(JSON.parse(`${'['.repeat(100_000)}${']'.repeat(100_000)}`))).toHaveLength(1);
  });
});

describe('jsonByteLength', () => {
  it('equals the UTF-8 length of JSON.stringify for any JSON value', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (v) => {
        expect(jsonByteLength(v)).toBe(Buffer.byteLength(JSON.stringify(v)));
      }),
      { numRuns: 500 },
    );
    const odd = { s: '\u0000"\\\ud800é😀', n: -0.5e-7, u: undefined, l: [undefined, null], __x: true };
    expect(jsonByteLength(odd)).toBe(Buffer.byteLength(JSON.stringify(odd)));
  });

  it('measures 100,000 levels, where JSON.stringify gives up', () => {
    const deep = nestedObjects(100_000);
    expect(() => JSON.stringify(deep)).toThrow(RangeError);
    expect(jsonByteLength(deep)).toBe(100_000 * '{"a":}'.length + 1);
  });
});

describe('unstorable', () => {
  it('names empty keys, overlong keys and numbers DynamoDB or the SDK refuse', () => {
    const value = JSON.parse(
      `{"ok": {"": 1}, "list": [1e400, 12345678901234567890, 1e-200, 0, -0, 9007199254740991, 1.5e-130], "k": {"${'x'.repeat(65_536)}": 1}}`,
    );
    expect(unstorable(value).map(([path, message]) => [path.join('.'), message])).toEqual([
      ['ok.', 'must not have an empty name'],
      ['list.0', 'must be a number between -9007199254740991 and 9007199254740991'],
      ['list.1', 'must be a number between -9007199254740991 and 9007199254740991'],
      ['list.2', 'must be 0 or at least 1e-130 in magnitude'],
      [`k.${'x'.repeat(65_536)}`, 'must have a name of at most 65,535 bytes'],
    ]);
  });

  it('finds nothing in ordinary JSON', () => {
    fc.assert(
      fc.property(
        fc.jsonValue().filter((v) => !JSON.stringify(v).includes('""')),
        (v) => {
          const issues = unstorable(v).filter(([, m]) => !m.startsWith('must be'));
          expect(issues).toEqual([]);
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('dynamoSizeEstimate', () => {
  it('bounds what DynamoDB counts: strings by bytes, containers with overheads, numbers at 21', () => {
    expect(dynamoSizeEstimate('héllo')).toBe(6);
    expect(dynamoSizeEstimate({ ab: [1, true, null] })).toBe(3 + 1 + 2 + 3 + 3 + 21 + 1 + 1);
  });
});

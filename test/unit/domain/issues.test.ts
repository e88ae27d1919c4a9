import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ValidationError } from '../../../shared/domain/errors.ts';
import { parseInput } from '../../../shared/domain/issues.ts';

describe('parseInput', () => {
  it('names each unknown key of a strict object as its own path', () => {
    const schema = z.object({ limit: z.number(), nested: z.object({ a: z.string() }).strict() }).strict();
    let error: unknown;
    try {
      parseInput(schema, { limit: 1, LIMIT: 2, constructor: 3, nested: { a: 'x', b: 1 } }, 'q');
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).errors.map((e) => e.path).sort()).toEqual([
      'q.LIMIT',
      'q.constructor',
      'q.nested.b',
    ]);
  });
});

describe('parseInput and keys named __proto__', () => {
  const errorsOf = (fn: () => unknown) => {
    try {
      fn();
    } catch (err) {
      if (err instanceof ValidationError) return err.errors;
      throw err;
    }
    return [];
  };

  it('names one inside a record, which zod drops silently', () => {
    const schema = z.strictObject({ filters: z.record(z.string(), z.string()) });
    const body = JSON.parse('{"filters":{"__proto__":"x","action":"Created"}}');
    expect(schema.safeParse(body).success).toBe(true);
    expect(errorsOf(() => parseInput(schema, body))).toEqual([
      { path: 'filters.__proto__', message: 'is not a recognised field' },
    ]);
  });

  it('names it once where zod names it too, beside the other bad fields', () => {
    const schema = z.strictObject({ limit: z.number() });
    expect(errorsOf(() => parseInput(schema, JSON.parse('{"__proto__":1,"limit":"x"}')))).toEqual([
      { path: 'limit', message: expect.any(String) },
      { path: '__proto__', message: 'is not a recognised field' },
    ]);
  });

  it('leaves array items to their own validation, and does not walk deep nesting', () => {
    const events = z.strictObject({ events: z.array(z.unknown()) });
    expect(() => parseInput(events, JSON.parse('{"events":[{"__proto__":1}]}'))).not.toThrow();
    let deep: unknown = 'leaf';
    for (let i = 0; i < 100_000; i++) deep = { a: deep };
    expect(() => parseInput(z.unknown(), deep)).not.toThrow();
  });
});

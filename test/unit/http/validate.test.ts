import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ValidationError } from '../../../shared/domain/errors.ts';
import { parseInput } from '../../../shared/http/validate.ts';

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

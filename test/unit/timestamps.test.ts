import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { utcIso } from '../../shared/domain/timestamps.ts';

const accepted = z.iso.datetime({ offset: true });

describe('utcIso', () => {
  it('gives what new Date(s).toISOString() gives for every timestamp the validator accepts', () => {
    const offsets = fc.constantFrom('Z', '+00:00', '+05:30', '-08:00', '+14:00', '-12:00');
    const fraction = fc.constantFrom('', '.1', '.12', '.123', '.1234', '.000', '.999999');
    fc.assert(
      fc.property(
        fc.date({
          min: new Date('0001-01-01T00:00:00Z'),
          max: new Date('9999-12-30T00:00:00Z'),
          noInvalidDate: true,
        }),
        fraction,
        offsets,
        (d, frac, offset) => {
          const s = `${d.toISOString().slice(0, 19)}${frac}${offset}`;
          fc.pre(accepted.safeParse(s).success);
          expect(utcIso(s)).toBe(new Date(s).toISOString());
        },
      ),
      { seed: 20261122, numRuns: 5000 },
    );
  });

  it('returns an already-normalised timestamp unchanged, and normalises offsets and precision', () => {
    expect(utcIso('2026-02-28T23:59:59.999Z')).toBe('2026-02-28T23:59:59.999Z');
    expect(utcIso('2024-02-29T00:00:00.000Z')).toBe('2024-02-29T00:00:00.000Z');
    expect(utcIso('2026-11-22T10:15:30+01:00')).toBe('2026-11-22T09:15:30.000Z');
    expect(utcIso('2026-11-22T10:15:30.1234Z')).toBe('2026-11-22T10:15:30.123Z');
  });
});

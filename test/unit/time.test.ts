import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../shared/domain/errors.ts';
import {
  FUTURE_TIMESTAMP_MESSAGE,
  isTooFarAhead,
  resolveWindow,
  systemClock,
} from '../../shared/domain/time.ts';
import { ingestActivityEvents } from '../../shared/use-cases/activity/ingest.ts';
import { ingestAuditEvents } from '../../shared/use-cases/audit/ingest.ts';

const now = new Date('2026-11-22T10:00:00.000Z');
const clock = { now: () => now };
const ahead = (ms: number) => new Date(now.getTime() + ms).toISOString();

describe('the one future-timestamp rule', () => {
  it('allows five minutes of clock skew and not a millisecond more', () => {
    expect(isTooFarAhead(ahead(5 * 60_000), now)).toBe(false);
    expect(isTooFarAhead(ahead(5 * 60_000 + 1), now)).toBe(true);
  });

  it('answers the same message from both logs', async () => {
    const messages = async (run: () => Promise<unknown>) => {
      const err = await run().catch((e: unknown) => e);
      expect(err).toBeInstanceOf(ValidationError);
      return (err as ValidationError).errors
        .filter((e) => e.path === 'events[0].occurredAt')
        .map((e) => e.message);
    };
    const store = { put: async () => 'created' as const };
    const audit = await messages(() =>
      ingestAuditEvents({ store, clock, retentionMonths: 18 }, [
        {
          tenantId: 't1',
          occurredAt: ahead(6 * 60_000),
          actor: { type: 'user', id: 'u1', name: 'A' },
          action: 'Created',
          object: { type: 'Course', id: 'c1' },
          source: { kind: 'web' },
        },
      ]),
    );
    const activity = await messages(() =>
      ingestActivityEvents({ store, clock, retentionMonths: 84 }, [{ occurredAt: ahead(6 * 60_000) }]),
    );
    expect(audit).toEqual([FUTURE_TIMESTAMP_MESSAGE]);
    expect(activity).toEqual([FUTURE_TIMESTAMP_MESSAGE]);
  });
});

describe('the one window resolver', () => {
  it('defaults to the three calendar months up to now', () => {
    expect(resolveWindow({}, now)).toEqual({ from: '2026-08-22T10:00:00.000Z', to: now.toISOString() });
    expect(resolveWindow({ to: '2026-05-31T00:00:00.000Z' }, now)).toEqual({
      from: '2026-02-28T00:00:00.000Z',
      to: '2026-05-31T00:00:00.000Z',
    });
  });

  it('refuses a from after to, naming from', () => {
    expect(() =>
      resolveWindow({ from: '2026-02-01T00:00:00.000Z', to: '2026-01-01T00:00:00.000Z' }, now),
    ).toThrow(ValidationError);
  });

  it('clamps to the retention start when given one, and empties a window wholly before it', () => {
    expect(resolveWindow({ from: '2020-01-01T00:00:00.000Z' }, now, 18).from).toBe(
      '2025-05-22T10:00:00.000Z',
    );
    expect(
      resolveWindow({ from: '2020-01-01T00:00:00.000Z', to: '2021-01-01T00:00:00.000Z' }, now, 18),
    ).toEqual({ from: '2025-05-22T10:00:00.000Z', to: '2025-05-22T10:00:00.000Z' });
  });

  it('reads the system clock by default', () => {
    expect(systemClock.now()).toBeInstanceOf(Date);
  });
});

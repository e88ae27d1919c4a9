import { describe, expect, it } from 'vitest';
import { localMidnight, nextOccurrence, previousPeriod } from '../../../shared/domain/reports/periods.ts';
import { resolveRange } from '../../../shared/domain/reports/range.ts';

const at = new Date('2026-05-13T10:30:00.000Z'); // a Wednesday

describe('range resolution', () => {
  it('counts lastNd back from the moment the report runs', () => {
    expect(resolveRange({ range: 'last7d', action: 'Created' }, { at })).toEqual({
      action: 'Created',
      from: '2026-05-06T10:30:00.000Z',
      to: '2026-05-13T10:30:00.000Z',
    });
    expect(resolveRange({ range: 'last30d' }, { at }).from).toBe('2026-04-13T10:30:00.000Z');
    expect(resolveRange({ range: 'last90d' }, { at }).from).toBe('2026-02-12T10:30:00.000Z');
  });

  it('makes previousPeriod the previous complete UTC week for an unscheduled report', () => {
    expect(resolveRange({ range: 'previousPeriod' }, { at })).toEqual({
      from: '2026-05-04T00:00:00.000Z',
      to: '2026-05-11T00:00:00.000Z',
    });
  });

  it('makes previousPeriod the schedule’s previous period in its zone', () => {
    const schedule = { frequency: 'monthly' as const, timeZone: 'America/New_York' };
    expect(resolveRange({ range: 'previousPeriod' }, { at, schedule })).toEqual({
      from: '2026-04-01T04:00:00.000Z',
      to: '2026-05-01T04:00:00.000Z',
    });
  });

  it('covers previousPeriod when a scheduled report says nothing about time, and keeps explicit windows', () => {
    const schedule = { frequency: 'daily' as const, timeZone: 'UTC' };
    expect(resolveRange({}, { at, schedule })).toEqual({
      from: '2026-05-12T00:00:00.000Z',
      to: '2026-05-13T00:00:00.000Z',
    });
    const fixed = { from: '2026-01-01T00:00:00.000Z', to: '2026-02-01T00:00:00.000Z' };
    expect(resolveRange(fixed, { at, schedule })).toEqual(fixed);
    expect(resolveRange({ action: 'Created' }, { at })).toEqual({ action: 'Created' });
  });
});

describe('schedule calendar', () => {
  it('finds local midnight on both sides of a clock change', () => {
    expect(localMidnight(2026, 3, 29, 'Europe/London').toISOString()).toBe('2026-03-29T00:00:00.000Z');
    expect(localMidnight(2026, 3, 30, 'Europe/London').toISOString()).toBe('2026-03-29T23:00:00.000Z');
    expect(localMidnight(2026, 11, 2, 'America/New_York').toISOString()).toBe('2026-11-02T05:00:00.000Z');
    expect(localMidnight(2026, 13, 1, 'Asia/Kolkata').toISOString()).toBe('2026-12-31T18:30:00.000Z');
  });

  it('runs weekly on Mondays, monthly on the 1st and quarterly on 1 Jan/Apr/Jul/Oct at the hour', () => {
    const tz = 'Europe/London';
    expect(nextOccurrence({ frequency: 'weekly', timeZone: tz, hour: 6 }, at).toISOString()).toBe(
      '2026-05-18T05:00:00.000Z',
    );
    expect(nextOccurrence({ frequency: 'monthly', timeZone: tz, hour: 9 }, at).toISOString()).toBe(
      '2026-06-01T08:00:00.000Z',
    );
    expect(nextOccurrence({ frequency: 'quarterly', timeZone: tz, hour: 0 }, at).toISOString()).toBe(
      '2026-06-30T23:00:00.000Z',
    );
    expect(nextOccurrence({ frequency: 'daily', timeZone: 'UTC', hour: 6 }, at).toISOString()).toBe(
      '2026-05-14T06:00:00.000Z',
    );
  });

  it('takes the previous quarter across a year boundary', () => {
    const p = previousPeriod('quarterly', new Date('2027-01-01T06:00:00.000Z'), 'UTC');
    expect([p.from.toISOString(), p.to.toISOString()]).toEqual([
      '2026-10-01T00:00:00.000Z',
      '2027-01-01T00:00:00.000Z',
    ]);
  });
});

import { describe, expect, it } from 'vitest';
import {
  adhocFileName,
  MAX_SLUG_LENGTH,
  reportFileName,
  slugify,
} from '../../../shared/domain/exports/file-names.ts';
import { previousPeriod } from '../../../shared/domain/reports/periods.ts';

describe('export file names', () => {
  it('names a weekly report by its slug and the Monday–Sunday it covers in the schedule’s zone', () => {
    // Run on Monday 7 Dec 2026, 06:00 in London: the week of Mon 30 Nov – Sun 6 Dec.
    const period = previousPeriod('weekly', new Date('2026-12-07T06:00:00Z'), 'Europe/London');
    expect(reportFileName('Weekly deletions', period, 'Europe/London', 'csv')).toBe(
      'weekly-deletions_2026-11-30_2026-12-06.csv',
    );
  });

  it('uses the local dates of the zone, not UTC ones', () => {
    // A New York day is 05:00Z–05:00Z: in UTC its last instant falls on the next day.
    const period = previousPeriod('daily', new Date('2026-05-11T10:00:00Z'), 'America/New_York');
    expect(reportFileName('Daily', period, 'America/New_York', 'csv')).toBe(
      'daily_2026-05-10_2026-05-10.csv',
    );
    const month = previousPeriod('monthly', new Date('2026-04-01T05:00:00Z'), 'Europe/London');
    expect(reportFileName('Month end', month, 'Europe/London', 'csv')).toBe(
      'month-end_2026-03-01_2026-03-31.csv',
    );
  });

  it('folds accents, drops punctuation and never yields an empty or overlong slug', () => {
    expect(slugify('Défauts & Änderungen (EU) — Q4')).toBe('defauts-anderungen-eu-q4');
    expect(slugify('日本語')).toBe('report');
    expect(slugify('../../etc/passwd')).toBe('etc-passwd');
    const long = slugify('word '.repeat(100));
    expect(long.length).toBeLessThanOrEqual(MAX_SLUG_LENGTH);
    expect(long.endsWith('-')).toBe(false);
  });

  it('names an ad-hoc export by its window in UTC, or by the day asked when there is none', () => {
    const asked = new Date('2026-12-02T21:50:00Z');
    expect(
      adhocFileName(
        'audit-log',
        { from: new Date('2026-11-01T00:00:00Z'), to: new Date('2026-12-01T00:00:00Z') },
        asked,
        'csv',
      ),
    ).toBe('audit-log_2026-11-01_2026-11-30.csv');
    expect(adhocFileName('audit-log', { to: asked }, asked, 'ndjson')).toBe('audit-log_2026-12-02.ndjson');
    expect(adhocFileName('audit-log', { from: new Date('nope'), to: asked }, asked, 'csv')).toBe(
      'audit-log_2026-12-02.csv',
    );
  });
});

// Calendar arithmetic of schedules, in the schedule's IANA time zone. Occurrences come from
// croner (DST-aware); local midnights are found with Intl offsets, never a hand-written table.

import { Cron } from 'croner';

export const FREQUENCIES = ['daily', 'weekly', 'monthly', 'quarterly'] as const;
export type Frequency = (typeof FREQUENCIES)[number];

export interface ScheduleTiming {
  frequency: Frequency;
  timeZone: string;
  hour: number;
}

export interface Period {
  from: Date;
  to: Date;
}

export function isValidTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en-GB', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

function cronPattern({ frequency, hour }: ScheduleTiming): string {
  switch (frequency) {
    case 'daily':
      return `0 ${hour} * * *`;
    case 'weekly':
      return `0 ${hour} * * 1`;
    case 'monthly':
      return `0 ${hour} 1 * *`;
    case 'quarterly':
      return `0 ${hour} 1 1,4,7,10 *`;
  }
}

/** The first occurrence strictly after `after`. */
export function nextOccurrence(timing: ScheduleTiming, after: Date): Date {
  const next = new Cron(cronPattern(timing), { timezone: timing.timeZone }).nextRun(after);
  if (!next) throw new Error(`no next run for ${cronPattern(timing)} in ${timing.timeZone}`);
  return next;
}

const formatters = new Map<string, Intl.DateTimeFormat>();
function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(timeZone, f);
  }
  return f;
}

export interface LocalDate {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

export function localParts(instant: Date, timeZone: string): LocalDate {
  const out: Record<string, number> = {};
  for (const p of formatter(timeZone).formatToParts(instant)) {
    if (p.type !== 'literal') out[p.type] = Number(p.value);
  }
  return {
    year: out.year ?? 0,
    month: out.month ?? 1,
    day: out.day ?? 1,
    hour: out.hour ?? 0,
    minute: out.minute ?? 0,
    second: out.second ?? 0,
  };
}

/** The zone's offset from UTC at `instant`, in ms (local − UTC). */
function offsetAt(instant: number, timeZone: string): number {
  const p = localParts(new Date(instant), timeZone);
  const asUtc = Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second);
  return asUtc - Math.floor(instant / 1000) * 1000;
}

/**
 * The instant of local 00:00 on the given calendar day (month/day may overflow, as Date.UTC
 * normalises them). Where midnight falls in a DST gap, the first instant after it.
 */
export function localMidnight(year: number, month: number, day: number, timeZone: string): Date {
  const wall = Date.UTC(year, month - 1, day);
  let guess = wall - offsetAt(wall, timeZone);
  const second = wall - offsetAt(guess, timeZone);
  if (second !== guess) {
    // The offset changed between the two guesses: keep the one that maps back to 00:00 local,
    // or, in a gap, the later one (the first instant of that day).
    const p = localParts(new Date(second), timeZone);
    guess = p.hour === 0 && p.minute === 0 ? second : Math.max(guess, second);
  }
  return new Date(guess);
}

function weekdayOf(year: number, month: number, day: number): number {
  const d = new Date(Date.UTC(year, month - 1, day)).getUTCDay();
  return d === 0 ? 7 : d; // Monday = 1 … Sunday = 7
}

/**
 * The previous complete period before `at`, in the zone: daily → yesterday; weekly → the
 * previous Monday–Monday week; monthly → the previous month; quarterly → the previous quarter.
 */
export function previousPeriod(frequency: Frequency, at: Date, timeZone: string): Period {
  const { year, month, day } = localParts(at, timeZone);
  const mid = (y: number, m: number, d: number) => localMidnight(y, m, d, timeZone);
  switch (frequency) {
    case 'daily':
      return { from: mid(year, month, day - 1), to: mid(year, month, day) };
    case 'weekly': {
      const monday = day - (weekdayOf(year, month, day) - 1);
      return { from: mid(year, month, monday - 7), to: mid(year, month, monday) };
    }
    case 'monthly':
      return { from: mid(year, month - 1, 1), to: mid(year, month, 1) };
    case 'quarterly': {
      const qStart = Math.floor((month - 1) / 3) * 3 + 1;
      return { from: mid(year, qStart - 3, 1), to: mid(year, qStart, 1) };
    }
  }
}

/** "1 Mar 2026 – 31 Mar 2026": the days a period covers, as the recipient reads them in the zone. */
export function describePeriod(period: Period, timeZone: string): string {
  const fmt = new Intl.DateTimeFormat('en-GB', { timeZone, day: 'numeric', month: 'short', year: 'numeric' });
  const lastDay = new Date(period.to.getTime() - 1);
  const a = fmt.format(period.from);
  const b = fmt.format(lastDay);
  return a === b ? a : `${a} – ${b}`;
}

// Time rules shared by the audit and activity logs: calendar months, retention, how far ahead an
// event may say it occurred, a list's time window, and the clock every use case reads.

import { ValidationError } from './errors.ts';

/** Calendar-month arithmetic in UTC; the day is clamped (31 Mar − 1 month = 28/29 Feb). */
export function addMonths(date: Date, months: number): Date {
  const y = date.getUTCFullYear();
  const m = date.getUTCMonth() + months;
  const target = new Date(Date.UTC(y, m, 1));
  const lastDay = new Date(Date.UTC(target.getUTCFullYear(), target.getUTCMonth() + 1, 0)).getUTCDate();
  target.setUTCDate(Math.min(date.getUTCDate(), lastDay));
  target.setUTCHours(
    date.getUTCHours(),
    date.getUTCMinutes(),
    date.getUTCSeconds(),
    date.getUTCMilliseconds(),
  );
  return target;
}

/** When an entry that occurred at `occurredAt` leaves retention, in epoch seconds (the TTL). */
export function retentionEndEpoch(occurredAt: string, retentionMonths: number): number {
  return Math.floor(addMonths(new Date(occurredAt), retentionMonths).getTime() / 1000);
}

/**
 * Whether an entry that occurred at `occurredAt` is older than `months` calendar months at `now`:
 * the one ingest rule of both logs ("not older than the retention period", API.md). Its age
 * reaches the period at the instant its retention ends, and it is kept through that instant: a
 * read at that instant still returns it (its `occurredAt` is at the retention start, its TTL not
 * before now). Both calendar directions count, so the day clamping of `addMonths` at a month's
 * end never admits an entry whose TTL has already passed.
 */
export function isPastRetention(occurredAt: string, months: number, now: Date): boolean {
  return (
    Date.parse(occurredAt) < addMonths(now, -months).getTime() ||
    addMonths(new Date(occurredAt), months).getTime() < now.getTime()
  );
}

/** How far ahead of the service's clock an event's `occurredAt` may be (clock skew). */
export const MAX_FUTURE_MS = 5 * 60 * 1000;
/** The one answer for an `occurredAt` beyond MAX_FUTURE_MS, in both logs. */
export const FUTURE_TIMESTAMP_MESSAGE = 'must be at most 5 minutes in the future';

/** Whether `occurredAt` lies further ahead of `now` than MAX_FUTURE_MS allows. */
export function isTooFarAhead(occurredAt: string, now: Date): boolean {
  return Date.parse(occurredAt) > now.getTime() + MAX_FUTURE_MS;
}

/** A list, export or report without `from` covers this many calendar months up to `to`. */
export const DEFAULT_WINDOW_MONTHS = 3;

/** Where a window that ends at `to` starts by default. */
export function defaultWindowStart(to: Date): Date {
  return addMonths(to, -DEFAULT_WINDOW_MONTHS);
}

/**
 * A list's time window (ISO, UTC): `to` defaults to now, `from` to DEFAULT_WINDOW_MONTHS calendar
 * months before `to`; `from` after `to` is a 400 naming `from`. With `retentionMonths`, `from`
 * never lies before the retention start, and a window entirely before it is empty (`to` = `from`).
 */
export function resolveWindow(
  filters: { from?: string; to?: string },
  now: Date,
  retentionMonths?: number,
  /** A legal hold keeps older entries readable: the store then applies retention per entry. */
  held = false,
): { from: string; to: string } {
  const to = filters.to ?? now.toISOString();
  let from = filters.from ?? defaultWindowStart(new Date(to)).toISOString();
  if (from > to) throw new ValidationError([{ path: 'from', message: 'must not be after `to`' }]);
  if (retentionMonths === undefined || held) return { from, to };
  const retentionStart = addMonths(now, -retentionMonths).toISOString();
  if (from < retentionStart) from = retentionStart;
  if (to < from) return { from, to: from };
  return { from, to };
}

/** The time, as every use case reads it (tests hand in a fixed one). */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

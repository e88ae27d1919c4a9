import { type Frequency, type Period, previousPeriod } from './periods.ts';
import type { ReportFilters } from './report.ts';

const DAY_MS = 24 * 60 * 60 * 1000;
const LAST_DAYS: Record<string, number> = { last7d: 7, last30d: 30, last90d: 90 };

export interface RangeContext {
  /** The moment the report runs (for a scheduled run: the occurrence it makes, even if late). */
  at: Date;
  /** The report's schedule, when it has one. */
  schedule?: { frequency: Frequency; timeZone: string };
}

/**
 * The window a report covers when it runs: `range` becomes `from`/`to` (UTC ISO). lastNd counts
 * back from `at`; previousPeriod is the schedule's previous complete period in its zone, or the
 * previous complete UTC week (Monday–Monday) without a schedule. A scheduled report that says
 * nothing about time covers previousPeriod; explicit from/to are kept as they are.
 */
export function resolveRange(filters: ReportFilters, ctx: RangeContext): ReportFilters {
  const { range, ...rest } = filters;
  let window: Period | undefined;
  if (typeof range === 'string' && range in LAST_DAYS) {
    const days = LAST_DAYS[range] ?? 0;
    window = { from: new Date(ctx.at.getTime() - days * DAY_MS), to: ctx.at };
  } else if (
    range === 'previousPeriod' ||
    (range === undefined && ctx.schedule && !('from' in rest) && !('to' in rest))
  ) {
    window = ctx.schedule
      ? previousPeriod(ctx.schedule.frequency, ctx.at, ctx.schedule.timeZone)
      : previousPeriod('weekly', ctx.at, 'UTC');
  }
  if (!window) return rest;
  return { ...rest, from: window.from.toISOString(), to: window.to.toISOString() };
}

// The names export files are saved under: what a person sees in their downloads folder. A
// scheduled report's file carries the report's name and the dates it covers, in the schedule's
// time zone (`weekly-deletions_2026-11-30_2026-12-06.csv`); an ad-hoc export carries its log and
// its window's dates in UTC (`activity-log-elearning_2026-09-02_2026-12-02.csv`). The end date is
// the last day covered: windows end exclusively, so a window ending at midnight ends the day before.

/** Longest slug taken from a report name, so a file name stays well under every file system's 255. */
export const MAX_SLUG_LENGTH = 80;

/** `Weekly deletions (EU)` → `weekly-deletions-eu`; accents folded (`Défaut` → `defaut`); never empty. */
export function slugify(name: string, fallback = 'report'): string {
  const slug = name
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, MAX_SLUG_LENGTH)
    .replace(/-+$/, '');
  return slug || fallback;
}

const dayFormats = new Map<string, Intl.DateTimeFormat>();

/** `2026-11-30`: the calendar day of `instant` in `timeZone`. */
export function localDay(instant: Date, timeZone: string): string {
  let f = dayFormats.get(timeZone);
  if (!f) {
    // en-CA formats a date as YYYY-MM-DD.
    f = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' });
    dayFormats.set(timeZone, f);
  }
  return f.format(instant);
}

/** `2026-11-30_2026-12-06`: the first and the last day of [from, to) in the zone. */
export function windowDays(window: { from: Date; to: Date }, timeZone: string): string {
  const last = new Date(Math.max(window.from.getTime(), window.to.getTime() - 1));
  return `${localDay(window.from, timeZone)}_${localDay(last, timeZone)}`;
}

/** `weekly-deletions_2026-11-30_2026-12-06.csv` */
export function reportFileName(
  reportName: string,
  window: { from: Date; to: Date },
  timeZone: string,
  extension: string,
): string {
  return `${slugify(reportName)}_${windowDays(window, timeZone)}.${extension}`;
}

/**
 * `audit-log_2026-09-01_2026-11-30.csv`: an ad-hoc export named by its log (and variant) and the
 * window of its filters in UTC; just the stem with the day asked when the window cannot be read.
 */
export function adhocFileName(
  stem: string,
  window: { from?: Date; to?: Date },
  askedAt: Date,
  extension: string,
): string {
  const { from, to } = window;
  if (from && to && valid(from) && valid(to) && from.getTime() < to.getTime()) {
    return `${stem}_${windowDays({ from, to }, 'UTC')}.${extension}`;
  }
  return `${stem}_${localDay(askedAt, 'UTC')}.${extension}`;
}

const valid = (d: Date) => Number.isFinite(d.getTime());

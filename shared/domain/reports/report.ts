// Saved reports and their schedules: request, stored and response shapes. A report is a named
// set of filters over one log; its optional schedule e-mails an export every period.

import { z } from 'zod';
import { csvBomSchema } from '../exports/export-job.ts';
import { filtersDoc } from '../query-values.ts';
import { FREQUENCIES, isValidTimeZone } from './periods.ts';

export const REPORT_LOGS = ['audit', 'activity'] as const;

/** At most this many saved reports and schedules (paused ones included) per tenant; one more is a 409. */
export interface ReportQuota {
  reports: number;
  schedules: number;
}
export const REPORT_QUOTA: ReportQuota = { reports: 200, schedules: 50 };
export type ReportLog = (typeof REPORT_LOGS)[number];
export const VISIBILITIES = ['private', 'shared'] as const;
export const RANGES = ['last7d', 'last30d', 'last90d', 'previousPeriod'] as const;
export type ReportRange = (typeof RANGES)[number];

const filterValue = z.union([
  z.string().max(2000),
  z.number(),
  z.boolean(),
  z.array(z.union([z.string().max(500), z.number()])).max(200),
]);
/** A filter value as stored: as saved (older reports hold the query-string text of every value). */
const storedFilterValue = z.union([
  z.string(),
  z.number(),
  z.boolean(),
  z.array(z.union([z.string(), z.number()])),
]);
export type ReportFilterValue = z.output<typeof storedFilterValue>;

/**
 * The log's filter names (as in its list query), plus `range` instead of `from`/`to`. The
 * log's own filter schema checks the names and values; this shape only checks `range`.
 */
export const reportFiltersSchema = z
  .record(z.string().min(1).max(64), filterValue)
  .superRefine((filters, ctx) => {
    if (Object.keys(filters).length > 50) ctx.addIssue({ code: 'custom', message: 'at most 50 filters' });
    for (const k of ['cursor', 'limit']) {
      if (k in filters) ctx.addIssue({ code: 'custom', path: [k], message: 'is not a report filter' });
    }
    const range = filters.range;
    if (range === undefined) return;
    if (typeof range !== 'string' || !(RANGES as readonly string[]).includes(range)) {
      ctx.addIssue({ code: 'custom', path: ['range'], message: `must be one of ${RANGES.join(', ')}` });
    }
    if ('from' in filters || 'to' in filters) {
      ctx.addIssue({ code: 'custom', path: ['range'], message: 'cannot be combined with from or to' });
    }
  })
  .meta(
    filtersDoc(
      'The log’s filter names and values, as in `GET /v1/audit-events` or `GET /v1/activity` (no `cursor`/`limit`): ' +
        '`AuditReportFilters` for an audit report, `ActivityReportFilters` for an activity one. ' +
        '`range` (last7d | last30d | last90d | previousPeriod) may stand instead of `from`/`to`: the last N days ' +
        'are counted back from the moment the report runs; `previousPeriod` is the previous complete period of the ' +
        'schedule in its time zone, or the previous complete UTC week (Monday–Monday) for an unscheduled report. ' +
        'A scheduled report whose filters say nothing about time covers `previousPeriod`. Read back exactly as ' +
        'saved: lists stay arrays, flags stay booleans (a report saved before this rule reads back its stored ' +
        'text, e.g. `"Created,Deleted"`, `"true"`, which means the same).',
      ['AuditReportFilters', 'ActivityReportFilters'],
    ),
  );
export type ReportFilters = z.output<typeof reportFiltersSchema>;

/**
 * Characters a report name may not hold: it ends up in e-mail subjects and file names. C0/C1
 * controls (CR/LF would split a header), the line and paragraph separators, and the bidi
 * overrides and isolates that make a name read differently from what it is.
 */
const NAME_FORBIDDEN = /[\p{Cc}\u2028\u2029\u202A-\u202E\u2066-\u2069]/u;

export const reportNameSchema = z
  .string()
  .trim()
  .min(1)
  .max(200)
  .refine((name) => !NAME_FORBIDDEN.test(name), {
    message: 'must not contain control characters (C0/C1 controls, line separators or bidi overrides)',
  })
  .meta({
    description:
      'Shown in e-mail subjects and file names: 1–200 characters after trimming, with no control characters ' +
      '(C0/C1 controls such as tab, CR and LF, U+2028/U+2029, or the bidi overrides and isolates U+202A–U+202E, ' +
      'U+2066–U+2069); any of them is a 400 naming `name`.',
  });

export const reportInputSchema = z
  .object({
    name: reportNameSchema,
    log: z.enum(REPORT_LOGS),
    filters: reportFiltersSchema.default({}),
    visibility: z.enum(VISIBILITIES),
    csvBom: csvBomSchema,
  })
  .strict()
  .meta({ id: 'ReportInput' });
export type ReportInput = z.output<typeof reportInputSchema>;

export const scheduleInputSchema = z
  .object({
    frequency: z.enum(FREQUENCIES),
    recipients: z
      .array(z.string().min(1).max(128))
      .min(1)
      .max(50)
      .superRefine((ids, ctx) => {
        const seen = new Set<string>();
        ids.forEach((id, i) => {
          if (seen.has(id)) ctx.addIssue({ code: 'custom', path: [i], message: 'is listed twice' });
          seen.add(id);
        });
      })
      .meta({ description: 'Directory user ids (1–50): active users allowed to see the report’s log' }),
    timeZone: z
      .string()
      .max(64)
      .refine(isValidTimeZone, 'must be an IANA time zone, e.g. Europe/London')
      .transform((tz) => new Intl.DateTimeFormat('en-GB', { timeZone: tz }).resolvedOptions().timeZone)
      .default('UTC'),
    hour: z.number().int().min(0).max(23).default(6),
  })
  .strict()
  .meta({ id: 'ScheduleInput' });
export type ScheduleInput = z.output<typeof scheduleInputSchema>;

const iso = z.iso.datetime();

export const storedScheduleSchema = z.object({
  /** Changes on every PUT, so a dispatcher never overwrites a schedule replaced meanwhile. */
  version: z.string(),
  frequency: z.enum(FREQUENCIES),
  recipients: z.array(z.string()),
  timeZone: z.string(),
  hour: z.number().int(),
  nextRunAt: iso,
  paused: z.boolean(),
  pausedReason: z.string().optional(),
  createdAt: iso,
  updatedAt: iso,
});
export type StoredSchedule = z.output<typeof storedScheduleSchema>;

export const storedReportSchema = z.object({
  tenantId: z.string(),
  id: z.string(),
  name: z.string(),
  log: z.enum(REPORT_LOGS),
  filters: z.record(z.string(), storedFilterValue),
  visibility: z.enum(VISIBILITIES),
  /** Absent on reports saved before the option existed: true. */
  csvBom: z.boolean().optional(),
  ownerId: z.string(),
  createdAt: iso,
  updatedAt: iso,
  schedule: storedScheduleSchema.optional(),
});
export type StoredReport = z.output<typeof storedReportSchema>;

export const scheduleSchema = z
  .object({
    frequency: z.enum(FREQUENCIES),
    recipients: z.array(z.string()),
    timeZone: z.string(),
    hour: z.number().int(),
    nextRunAt: iso.meta({ description: 'When the next run is due (UTC)' }),
    paused: z.boolean(),
    pausedReason: z.string().optional().meta({ description: 'Why the schedule stopped sending' }),
    createdAt: iso,
    updatedAt: iso,
  })
  .meta({
    id: 'ReportSchedule',
    description:
      'Runs once per period at `hour` in `timeZone` (weekly on Mondays, monthly on the 1st, quarterly on ' +
      '1 Jan/Apr/Jul/Oct). A schedule is paused when its report’s owner is deactivated or loses access to the ' +
      'log — their role, and a curator’s `reporting` flag, as the directory says when the run is due, never the ' +
      'token of the request that saved it; saving the schedule again (PUT) resumes it from the next period. ' +
      'Each recipient gets the owner’s view narrowed to their own as the directory says at run time (a manager: ' +
      'only their direct and indirect reports’ rows; a manager-owned report sent to another manager: the rows ' +
      'both may see, possibly none); recipients with the same effective view share one file. A recipient who ' +
      'may no longer read the log is skipped and named, with the reason, in the run’s audit entry ' +
      '(Report Generated, `details.skipped`).',
  });

export const reportSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    log: z.enum(REPORT_LOGS),
    filters: z
      .record(z.string(), storedFilterValue)
      .meta(
        filtersDoc(
          'The filters exactly as saved (see `ReportInput.filters`). A report saved before filters kept their ' +
            'JSON types reads back its stored text (`{"action": "Created,Deleted", "completed": "true"}`): the ' +
            'third form, which means the same.',
          ['AuditReportFilters', 'ActivityReportFilters'],
          [{ type: 'object', additionalProperties: { type: 'string' } }],
        ),
      ),
    visibility: z.enum(VISIBILITIES),
    csvBom: z.boolean().meta({
      description:
        'Whether the scheduled CSV files start with a UTF-8 byte-order mark (see `ReportInput.csvBom`)',
    }),
    ownerId: z.string(),
    createdAt: iso,
    updatedAt: iso,
    schedule: scheduleSchema.optional(),
  })
  .meta({ id: 'Report' });
export type Report = z.output<typeof reportSchema>;

export function toReport(stored: StoredReport): Report {
  const { tenantId: _t, schedule, ...rest } = stored;
  const report = { ...rest, csvBom: reportCsvBom(stored) };
  if (!schedule) return report;
  const { version: _v, ...visible } = schedule;
  return { ...report, schedule: visible };
}

/** A report's CSV files carry a byte-order mark unless it says no (reports saved before the option: yes). */
export function reportCsvBom(report: Pick<StoredReport, 'csvBom'>): boolean {
  return report.csvBom !== false;
}

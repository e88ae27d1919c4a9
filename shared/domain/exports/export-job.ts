// Exports: a job that turns one filtered view of a log into a CSV or NDJSON file in storage.
// The job moves queued → running → succeeded | failed; only a succeeded job carries a file key.

import { z } from 'zod';
import { roleSchema } from '../caller.ts';
import { filtersDoc } from '../query-values.ts';
import { defaultWindowStart } from '../time.ts';
import { utcTimestampOut } from '../timestamps.ts';
import { adhocFileName } from './file-names.ts';

export const EXPORT_LOGS = ['audit', 'activity'] as const;
export const EXPORT_FORMATS = ['csv', 'json'] as const;
export const EXPORT_VARIANTS = ['standard', 'elearning'] as const;
export const EXPORT_STATUSES = ['queued', 'running', 'succeeded', 'failed'] as const;

/** API.md: a user has at most 3 exports queued or running; a fourth is a 429. */
export const MAX_ACTIVE_EXPORTS = 3;
/** Retry-After of that 429: an export of a normal view finishes within a minute or so. */
export const EXPORT_QUOTA_RETRY_SECONDS = 30;

export const exportLogSchema = z.enum(EXPORT_LOGS);
export const exportFormatSchema = z.enum(EXPORT_FORMATS);
export const exportVariantSchema = z.enum(EXPORT_VARIANTS);
export const exportStatusSchema = z.enum(EXPORT_STATUSES);

export type ExportLog = z.infer<typeof exportLogSchema>;
export type ExportFormat = z.infer<typeof exportFormatSchema>;
export type ExportVariant = z.infer<typeof exportVariantSchema>;
export type ExportStatus = z.infer<typeof exportStatusSchema>;

/**
 * Whether a CSV file starts with the UTF-8 byte-order mark (EF BB BF). Excel on Windows reads a CSV
 * without one in the system's legacy code page, so accents and arrows turn into mojibake; with it,
 * Excel opens the file as UTF-8 by a double-click. Parsers that do not skip a BOM want `false`.
 */
export const csvBomSchema = z
  .boolean()
  .default(true)
  .meta({
    description:
      'CSV only: start the file with a UTF-8 byte-order mark (EF BB BF), so Excel on Windows opens it as UTF-8 ' +
      '(accents and arrows intact) by a double-click. `false` for tools that do not skip a BOM. Ignored for JSON, ' +
      'which never carries one. Default true.',
  });

/**
 * Filters in the query-string shape of the log's list route. A JSON body may also carry arrays
 * (`["Created","Deleted"]`), booleans and numbers; they are normalised to the query-string form
 * (`Created,Deleted`, `true`, `5`) before the log's own filter schema validates them.
 */
const filterValueSchema = z.union([
  z.string(),
  z.boolean(),
  z.number(),
  z.array(z.union([z.string(), z.number()])),
]);

export const exportRequestSchema = z
  .object({
    log: exportLogSchema.meta({ description: 'Which log to export' }),
    format: exportFormatSchema.meta({
      description:
        '`csv` (RFC 4180, UTF-8 with a byte-order mark unless `csvBom` is false, CRLF) or `json` (newline-delimited JSON, `.ndjson`, never a byte-order mark)',
    }),
    csvBom: csvBomSchema,
    variant: exportVariantSchema.default('standard').meta({
      description:
        '`elearning` adds the e-learning / quiz columns to an activity CSV; ignored for the audit log and JSON',
    }),
    filters: z
      .record(z.string(), filterValueSchema)
      .default({})
      .meta(
        filtersDoc(
          'The log’s filters: `AuditFilters` for `log: audit`, `ActivityFilters` for `log: activity` — the names ' +
            'and values of its list query (`GET /v1/audit-events` or `GET /v1/activity`), lists as arrays ' +
            '(comma-separated text is accepted too), flags as booleans. Validated like the list route once the ' +
            'log is known (400 naming `filters.<name>`). `limit` and `cursor` are ignored. When `to` is absent it ' +
            'is pinned to the moment of the request, so the file shows the view as it was then.',
          ['AuditFilters', 'ActivityFilters'],
        ),
      ),
  })
  .strict()
  .meta({ id: 'ExportRequest', description: 'An export of one filtered view of a log' });
export type ExportRequest = z.output<typeof exportRequestSchema>;

/** Filters as stored on the job and handed to the log's filter schema: query-string values. */
export type QueryFilters = Record<string, string>;

/** Who asked: the worker runs the query as this person, with the role they had when asking. */
export const exportRequesterSchema = z.object({
  userId: z.string(),
  role: roleSchema.exclude(['service']),
  reporting: z.boolean(),
});
export type ExportRequester = z.infer<typeof exportRequesterSchema>;

export const exportSourceKindSchema = z.enum(['web', 'scheduled_job', 'api']);
export type ExportSourceKind = z.infer<typeof exportSourceKindSchema>;

/** The job as stored (STATE_TABLE). */
export const exportJobSchema = z.object({
  tenantId: z.string(),
  id: z.string(),
  log: exportLogSchema,
  format: exportFormatSchema,
  variant: exportVariantSchema,
  filters: z.record(z.string(), z.string()),
  requester: exportRequesterSchema,
  /**
   * People every row must also be visible to (a scheduled report's recipients): the file holds
   * the requester's view narrowed to each of theirs, resolved against the directory when it runs.
   */
  viewers: z.array(exportRequesterSchema).optional(),
  source: exportSourceKindSchema,
  /** CSV only; absent on jobs stored before the option existed, which means true from then on. */
  csvBom: z.boolean().optional(),
  /** The name the browser saves the file under (a scheduled report's name and period); absent: {@link downloadFilename}'s own. */
  fileName: z.string().optional(),
  status: exportStatusSchema,
  createdAt: z.string(),
  startedAt: z.string().optional(),
  finishedAt: z.string().optional(),
  rowCount: z.number().int().nonnegative().optional(),
  /** Storage key of the file; set only together with status `succeeded`. */
  fileKey: z.string().optional(),
  error: z.string().optional(),
});
export type ExportJob = z.infer<typeof exportJobSchema>;

/** What `GET /v1/exports/{id}` answers. */
export const exportViewSchema = z
  .object({
    id: z.string(),
    log: exportLogSchema,
    format: exportFormatSchema,
    variant: exportVariantSchema,
    status: exportStatusSchema,
    rowCount: z.number().int().nonnegative().optional().meta({ description: 'Rows in the file (succeeded)' }),
    createdAt: utcTimestampOut().meta({ description: 'When the export was requested (UTC)' }),
    finishedAt: utcTimestampOut().optional().meta({ description: 'When it succeeded or failed (UTC)' }),
    downloadUrl: z.string().optional().meta({
      description:
        'When succeeded: a link to `GET /v1/downloads/{token}`, usable without a token for EXPORT_LINK_DAYS (7) days',
    }),
    expiresAt: utcTimestampOut().optional().meta({ description: 'When `downloadUrl` stops working (UTC)' }),
    error: z.string().optional().meta({ description: 'When failed: a message safe to show to the user' }),
  })
  .meta({ id: 'Export', description: 'An export job and, once it succeeded, its download link' });
export type ExportView = z.infer<typeof exportViewSchema>;

export const exportAcceptedSchema = z
  .object({ id: z.string(), status: z.literal('queued') })
  .meta({ id: 'ExportAccepted', description: 'The export was stored and will run in the background' });

/** `exports/${tenant}/${id}.${ext}` */
export function fileExtension(format: ExportFormat): 'csv' | 'ndjson' {
  return format === 'csv' ? 'csv' : 'ndjson';
}

export function contentTypeOf(format: ExportFormat): string {
  return format === 'csv' ? 'text/csv; charset=utf-8' : 'application/x-ndjson; charset=utf-8';
}

export function fileKeyOf(job: Pick<ExportJob, 'tenantId' | 'id' | 'format'>): string {
  return `exports/${job.tenantId}/${job.id}.${fileExtension(job.format)}`;
}

/**
 * The name the browser saves: the job's own (a scheduled report's, see ./file-names.ts), else the
 * log and the window of its filters in UTC: `activity-log-elearning_2026-09-02_2026-12-02.csv`.
 */
export function downloadFilename(
  job: Pick<ExportJob, 'log' | 'format' | 'variant' | 'createdAt' | 'filters' | 'fileName'>,
): string {
  if (job.fileName) return job.fileName;
  const variant = job.log === 'activity' && job.variant === 'elearning' ? '-elearning' : '';
  const instant = (s: string | undefined) => (s === undefined ? undefined : new Date(s));
  const to = instant(job.filters.to) ?? new Date(job.createdAt);
  const from = instant(job.filters.from) ?? defaultWindowStart(to);
  return adhocFileName(
    `${job.log}-log${variant}`,
    { from, to },
    new Date(job.createdAt),
    fileExtension(job.format),
  );
}

/** Whether the job's file starts with a UTF-8 byte-order mark: CSV only, unless the job said no. */
export function hasBom(job: Pick<ExportJob, 'format' | 'csvBom'>): boolean {
  return job.format === 'csv' && job.csvBom !== false;
}

import { z } from 'zod';
import type { ZodOpenApiPathsObject } from 'zod-openapi';
import {
  EXPORT_QUOTA_RETRY_SECONDS,
  exportAcceptedSchema,
  exportRequestSchema,
  exportViewSchema,
  MAX_ACTIVE_EXPORTS,
} from '../../domain/exports/export-job.ts';
import {
  ERROR_RESPONSES,
  errors,
  errorWhen,
  jsonContent,
  pageOf,
  pageQuerySchema,
  pageResponses,
} from '../openapi.ts';

/** The request body `POST /v1/exports` parses (the domain's). */
export { exportRequestSchema };

export const exportIdParamsSchema = z.object({
  id: z.string().min(1).max(64).meta({ description: 'The export id from `POST /v1/exports`' }),
});

export const listExportsQuery = pageQuerySchema;

const exportPageSchema = pageOf(exportViewSchema, 'ExportPage');

const FILE_NOTES =
  'CSV: RFC 4180 (CRLF records; a field with a comma, quote, CR or LF is quoted, quotes doubled), UTF-8 ' +
  'starting with a byte-order mark so Excel on Windows opens it as UTF-8 by a double-click (`csvBom: false` ' +
  'leaves it out, for parsers that do not skip one), a header row, timestamps ISO 8601 UTC. A cell starting with `=`, `+`, `-`, `@`, tab or CR is prefixed ' +
  "with `'`. Activity columns: First name, Last name, Email address, Role, Job title, Language, Location, " +
  'Join date, Manager name, Primary team, Secondary teams, Status (at time of export), Deactivated, Action, ' +
  'Title, Type, Content Type, Unique ID, Happened at, Completed, Expired at, Tags; the `elearning` variant ' +
  'adds E-learning / Quiz result, E-learning / Quiz score (percent), E-learning / Quiz total time ' +
  '(e.g. "1 hour 2 minutes"), Total time in seconds, Certificate expires at; then one column per custom ' +
  'user field in the tenant’s directory, sorted by name. User columns come from the directory when the ' +
  'export runs; archived content shows "(Archived)" after its title; Completed is Yes/No; list cells ' +
  '(teams, tags) are joined with ", ". Audit columns: Happened at, Actor, Actor ID, Event (the action’s ' +
  'label), Type, Object name, Object ID, On behalf of (the subject), Source (attribution), IP address, ' +
  'Summary, Changes (`field: before → after; …`, `(none)` for an absent side). JSON: newline-delimited ' +
  '(`.ndjson`), one entry per line in the shape the list route returns, never with a byte-order mark. ' +
  'The download saves as `<log>-log[-elearning]_<first day>_<last day>.<csv|ndjson>` (the window of the ' +
  'filters in UTC, e.g. `audit-log_2026-09-01_2026-11-30.csv`); a scheduled report’s file as ' +
  '`<report name as a slug>_<first day>_<last day>.csv` in the schedule’s time zone ' +
  '(`weekly-deletions_2026-11-30_2026-12-06.csv`).';

export const paths: ZodOpenApiPathsObject = {
  '/v1/exports': {
    get: {
      operationId: 'listExports',
      summary: 'The caller’s own recent exports, newest first',
      description:
        'Every signed-in user role; each caller sees only the exports they asked for themselves (`POST ' +
        '/v1/exports`), never anyone else’s, whatever their role (owners and admins read others’ exports only ' +
        'by id). Scheduled report runs are not listed. Each item is what `GET /v1/exports/{id}` answers, with a ' +
        'fresh download link once succeeded. Exports are forgotten a day after their link expires. The cursor ' +
        'is bound to the tenant and the caller.',
      tags: ['Exports'],
      requestParams: { query: listExportsQuery },
      responses: pageResponses('One page of the caller’s exports', exportPageSchema),
    },
    post: {
      operationId: 'createExport',
      summary: 'Export a filtered view of a log as CSV or JSON, in the background',
      description:
        'Audit log: owners and admins. Activity log: the roles that may read it; a manager’s file holds only ' +
        'their direct and indirect reports. Filters are validated like the log’s list route (400 naming ' +
        '`filters.<name>`). The export runs in the background with the caller’s visibility at the time it ' +
        'runs; poll `GET /v1/exports/{id}`. Every export is recorded in the tenant’s audit log (object type ' +
        `CsvExport, action Created). ${FILE_NOTES} ` +
        `Quota: a user has at most ${MAX_ACTIVE_EXPORTS} exports queued or running; a further request is a 429 ` +
        `problem+json with \`Retry-After: ${EXPORT_QUOTA_RETRY_SECONDS}\` and stores nothing. A slot is free again ` +
        'as soon as one of them succeeds or fails (also when a stuck job is failed by the sweeper). Scheduled ' +
        'report runs do not count. An export reads the whole view: the read budget of list calls applies ' +
        'to each of its pages, and the export follows them to the end.',
      tags: ['Exports'],
      requestBody: { content: jsonContent(exportRequestSchema) },
      responses: {
        '202': {
          description: 'Stored and queued',
          headers: z.object({ location: z.string().meta({ description: '`/v1/exports/{id}`, to poll' }) }),
          content: jsonContent(exportAcceptedSchema),
        },
        ...errors('400', '401', '403'),
        ...errorWhen('404', 'An activity export names a team or group that is not in the directory'),
        ...errors('413', '500', '503'),
        '429': {
          description: `Throttled, or ${MAX_ACTIVE_EXPORTS} of the caller’s exports are queued or running; retry after Retry-After`,
          headers: z.object({ 'retry-after': z.string().meta({ description: 'Seconds to wait' }) }),
          content: ERROR_RESPONSES['429'].content,
        },
      },
    },
  },
  '/v1/exports/{id}': {
    get: {
      operationId: 'getExport',
      summary: 'An export’s status and, once it succeeded, its download link',
      description:
        'Only the requester and the tenant’s owners and admins may read an export; anyone else gets 404. ' +
        'Status moves queued → running → succeeded | failed. `downloadUrl` appears only on success and works ' +
        'without a token for 7 days from `finishedAt` (until `expiresAt`). An export still queued or running ' +
        '20 minutes after it started is reported as failed.',
      tags: ['Exports'],
      requestParams: { path: exportIdParamsSchema },
      responses: {
        '200': { description: 'The export', content: jsonContent(exportViewSchema) },
        ...errors('400', '401', '403'),
        ...errorWhen('404', 'No export with this id that the caller may read (another tenant’s included)'),
        ...errors('429', '500', '503'),
      },
    },
  },
};

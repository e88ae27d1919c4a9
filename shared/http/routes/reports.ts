import { z } from 'zod';
import type { ZodOpenApiPathsObject } from 'zod-openapi';
import {
  REPORT_QUOTA,
  reportInputSchema,
  reportSchema,
  scheduleInputSchema,
} from '../../domain/reports/report.ts';
import { errors, jsonContent, pageQuerySchema, pageResponses, problemSchema } from '../openapi.ts';

/** The request bodies the report routes parse (the domain's). */
export { reportInputSchema, scheduleInputSchema };

export const reportIdParams = z.object({ id: z.string().min(1).max(64) });
export const listReportsQuery = pageQuerySchema;
export const reportPageSchema = z
  .object({ items: z.array(reportSchema), nextCursor: z.string().nullable() })
  .meta({ id: 'ReportPage' });

const idParam = { path: reportIdParams };
const problem = { 'application/problem+json': { schema: problemSchema } };
const CHANGED =
  'the report was changed or deleted by another request between reading and writing it (read it again and retry)';
const conflict = (why: string) => ({ '409': { description: `Conflict: ${why}`, content: problem } });
/** A write on one report that answers with it (update, schedule). */
const reportWritten = (description: string, conflictWhy: string) => ({
  '200': { description, content: jsonContent(reportSchema) },
  ...errors('400', '401', '403', '404', '413', '429', '500', '503'),
  ...conflict(conflictWhy),
});
/** A delete on one report (the report, its schedule). */
const removed = (description: string) => ({
  '204': { description },
  ...errors('401', '403', '404', '429', '500', '503'),
  ...conflict(CHANGED),
});
const QUOTAS =
  `A tenant has at most ${REPORT_QUOTA.reports} saved reports and ${REPORT_QUOTA.schedules} schedules (paused ones ` +
  'count until removed). The counts move in the same DynamoDB transaction as the write, under a condition, so ' +
  'concurrent requests never pass them.';
const tags = ['Reports'];
const ACCESS =
  'Audit reports: owners and admins. Activity reports: the roles that can read the activity log (managers ' +
  'too — their visibility applies when the report runs). A report is used by its owner; a shared one also by ' +
  'everyone who may read its log (listed and readable), and changed or deleted by its owner and by owners/admins. ' +
  'Anyone else, or another tenant, gets 404.';

export const paths: ZodOpenApiPathsObject = {
  '/v1/reports': {
    post: {
      operationId: 'createReport',
      summary: 'Save a report (named filters over one log)',
      description: `${ACCESS} Recorded in the audit log (Report, Created). ${QUOTAS}`,
      tags,
      requestBody: { content: jsonContent(reportInputSchema) },
      responses: {
        '201': { description: 'The saved report', content: jsonContent(reportSchema) },
        ...errors('400', '401', '403', '413', '429', '500', '503'),
        ...conflict(`the tenant already has ${REPORT_QUOTA.reports} saved reports`),
      },
    },
    get: {
      operationId: 'listReports',
      summary: 'The caller’s reports and the shared ones they may use',
      description: 'Newest first. A shared audit report is listed only for owners and admins.',
      tags,
      requestParams: { query: listReportsQuery },
      responses: pageResponses('One page of reports', reportPageSchema),
    },
  },
  '/v1/reports/{id}': {
    get: {
      operationId: 'getReport',
      summary: 'One report, with its schedule (next run, pause)',
      description: ACCESS,
      tags,
      requestParams: idParam,
      responses: {
        '200': { description: 'The report', content: jsonContent(reportSchema) },
        ...errors('401', '403', '404', '429', '500', '503'),
      },
    },
    put: {
      operationId: 'updateReport',
      summary: 'Replace a report’s name, log, filters and visibility',
      description: `${ACCESS} The owner stays the same. The log of a scheduled report cannot change.`,
      tags,
      requestParams: idParam,
      requestBody: { content: jsonContent(reportInputSchema) },
      responses: reportWritten('The updated report', CHANGED),
    },
    delete: {
      operationId: 'deleteReport',
      summary: 'Delete a report and its schedule',
      description: ACCESS,
      tags,
      requestParams: idParam,
      responses: removed('Deleted'),
    },
  },
  '/v1/reports/{id}/schedule': {
    put: {
      operationId: 'putReportSchedule',
      summary: 'Schedule e-mailed exports of a report (replaces any schedule, and resumes a paused one)',
      description:
        'Recipients must be active directory users allowed to see the report’s log (audit: owners and admins; ' +
        'activity: the roles that can read it); each other one is a 400 naming its path (`recipients[2]`). ' +
        'Each run covers the previous complete period in the time zone (or what the filters’ range says) and ' +
        'e-mails every recipient, alone, a CSV download link valid 7 days, of the owner’s view narrowed to theirs ' +
        '(see ReportSchedule). Recorded in the audit log (ReportSchedule). ' +
        QUOTAS,
      tags,
      requestParams: idParam,
      requestBody: { content: jsonContent(scheduleInputSchema) },
      responses: reportWritten(
        'The report with its schedule',
        `the tenant already has ${REPORT_QUOTA.schedules} schedules (adding one), or ${CHANGED}`,
      ),
    },
    delete: {
      operationId: 'deleteReportSchedule',
      summary: 'Stop a report’s schedule',
      description: `${ACCESS} The report stays; no further e-mails are sent. A report without a schedule answers 404.`,
      tags,
      requestParams: idParam,
      responses: removed('Removed'),
    },
  },
};

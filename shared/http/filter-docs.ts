// The logs' filters as named OpenAPI components, for the JSON bodies that carry them (exports,
// saved reports): rendered from the very shapes the list routes validate with, so a typed client
// knows every name and value (`action: ["Deleted"]`, `system: true`). Documentation only: the
// routes validate with the log's own schema once they know the log.

import { z } from 'zod';
import { activityFiltersSchema } from '../domain/activity/filters.ts';
import { auditFiltersShape } from '../domain/audit/filters.ts';
import { RANGES } from '../domain/reports/report.ts';

const range = z.enum(RANGES).optional().meta({
  description:
    'Instead of `from`/`to`: the last 7, 30 or 90 days counted back from the run, or the schedule’s previous period',
});

export const FILTER_COMPONENTS = {
  AuditFilters: z
    .object(auditFiltersShape)
    .strict()
    .meta({ id: 'AuditFilters', unusedIO: 'input', description: 'The filters of `GET /v1/audit-events`' }),
  ActivityFilters: activityFiltersSchema.strict().meta({
    id: 'ActivityFilters',
    unusedIO: 'input',
    description: 'The filters of `GET /v1/activity`',
  }),
  AuditReportFilters: z
    .object({ ...auditFiltersShape, range })
    .strict()
    .meta({
      id: 'AuditReportFilters',
      unusedIO: 'input',
      description: 'A saved audit report’s filters: those of `GET /v1/audit-events`, or `range`',
    }),
  ActivityReportFilters: activityFiltersSchema.extend({ range }).strict().meta({
    id: 'ActivityReportFilters',
    unusedIO: 'input',
    description: 'A saved activity report’s filters: those of `GET /v1/activity`, or `range`',
  }),
};

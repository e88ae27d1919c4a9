import { z } from 'zod';
import type { ZodOpenApiPathsObject } from 'zod-openapi';
import { auditFiltersShape, fromNotAfterTo } from '../../domain/audit/filters.ts';
import { auditEntrySchema, auditIdSchema, auditPageSchema } from '../../domain/audit/schema.ts';
import {
  COST_HEADERS_DOC,
  errors,
  jsonContent,
  listQueryBase,
  pageResponses,
  READ_BUDGET_NOTE,
} from '../openapi.ts';

/** The list route's query: the filters plus `limit` and `cursor`. Unknown parameters are a 400. */
export const auditQuerySchema = z
  .object({ ...auditFiltersShape, ...listQueryBase })
  .catchall(z.never({ error: 'is not a known parameter' }))
  .superRefine(fromNotAfterTo);

export const auditIdParamsSchema = z.object({ id: auditIdSchema });

export const paths: ZodOpenApiPathsObject = {
  '/v1/audit-events': {
    get: {
      operationId: 'listAuditEvents',
      summary: 'Search the audit log (owner, admin)',
      description:
        'Filters are optional and combinable (AND); a list filter matches any of its comma-separated values. ' +
        'Default window: `to` = now, `from` = 3 calendar months before `to`; entries past retention are never ' +
        'returned. `requestMethod`, `requestStatus` and `requestContentType` also take lists. The window is fixed ' +
        'by the first page; a cursor is bound to the tenant and the filters (400 otherwise). An unknown query ' +
        'parameter is a 400. List items leave out `changes` and `details`. ' +
        READ_BUDGET_NOTE,
      tags: ['Audit log'],
      requestParams: { query: z.object({ ...auditFiltersShape, ...listQueryBase }) },
      responses: pageResponses(
        'One page, newest first unless `order=asc`',
        auditPageSchema,
        COST_HEADERS_DOC,
      ),
    },
  },
  '/v1/audit-events/{id}': {
    get: {
      operationId: 'getAuditEvent',
      summary: 'One audit entry with changes and details (owner, admin)',
      description:
        'The whole entry, with `changes` (before/after, secrets redacted) and `details`. An id of another tenant ' +
        'answers 404, like an unknown one.',
      tags: ['Audit log'],
      requestParams: { path: auditIdParamsSchema },
      responses: {
        '200': { description: 'The whole entry', content: jsonContent(auditEntrySchema) },
        ...errors('400', '401', '403', '404', '429', '500', '503'),
      },
    },
  },
};

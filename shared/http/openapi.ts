import { z } from 'zod';
import type { ZodOpenApiResponsesObject } from 'zod-openapi';
import { READ_BUDGET_TEXT } from '../query/budget.ts';

/** Shared OpenAPI pieces: the problem+json body and the standard error responses. */
export const problemSchema = z
  .object({
    type: z.string(),
    title: z.string(),
    status: z.number().int(),
    detail: z.string(),
    errors: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
  })
  .meta({ id: 'Problem', description: 'RFC 9457 problem details. `errors` names every invalid field.' });

const problemContent = { 'application/problem+json': { schema: problemSchema } };

export const ERROR_RESPONSES = {
  '400': { description: 'Invalid input; `errors` lists every bad field', content: problemContent },
  '401': { description: 'Missing, expired or wrongly signed token', content: problemContent },
  '403': { description: 'The caller’s role may not do this', content: problemContent },
  '404': { description: 'Unknown id, or one that belongs to another tenant', content: problemContent },
  '413': { description: 'Body larger than the route allows', content: problemContent },
  '429': { description: 'Throttled; retry after the Retry-After header', content: problemContent },
  '500': { description: 'Unexpected error; never carries internals', content: problemContent },
  '503': { description: 'A dependency failed; nothing was written, safe to retry', content: problemContent },
} satisfies ZodOpenApiResponsesObject;

export function errors(...codes: (keyof typeof ERROR_RESPONSES)[]): ZodOpenApiResponsesObject {
  return Object.fromEntries(codes.map((c) => [c, ERROR_RESPONSES[c]]));
}

export function jsonContent<S extends z.ZodType>(schema: S) {
  return { 'application/json': { schema } };
}

/** What every list of log entries says about its read budget. */
export const READ_BUDGET_NOTE = `Read budget: ${READ_BUDGET_TEXT}`;

/** Headers of a list answer that report its cost (see shared/http/cost.ts). */
export const COST_HEADERS_DOC = {
  'x-logbook-scanned': {
    description:
      'Items the store read for this page (DynamoDB ScannedCount, before filters). Sent only to org-wide ' +
      'readers (audit log: owners and admins; activity log: owners, admins, hr, reporters, learning designers ' +
      'and curators with `reporting`, on both list routes), never to managers or learners, and only where the ' +
      'deployment turns cost headers on (`costHeaders` setting, off by default; on in the local stack).',
    schema: { type: 'integer' as const },
  },
  'x-logbook-index': {
    description: 'The index the query planner chose; sent under the same rule as `x-logbook-scanned`.',
    schema: { type: 'string' as const },
  },
};

export const listQueryBase = {
  limit: z.coerce.number().int().min(1).max(200).default(50).meta({ description: 'Page size, 1–200' }),
  cursor: z.string().min(1).optional().meta({ description: 'Opaque cursor from `nextCursor`' }),
};

/** Security of the ingest and directory routes: IAM (SigV4) in AWS. */
export const SERVICE_SECURITY = [{ sigv4: [] }];
/** Routes that need no token. */
export const PUBLIC_SECURITY: [] = [];

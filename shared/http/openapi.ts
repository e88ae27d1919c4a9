// Shared OpenAPI pieces: the problem+json body and the standard error responses.

import { z } from 'zod';
import type { ZodOpenApiResponsesObject } from 'zod-openapi';
import { READ_BUDGET_TEXT } from '../query/budget.ts';

export const problemSchema = z
  .object({
    type: z.string(),
    title: z.string(),
    status: z.number().int(),
    detail: z.string(),
    errors: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
  })
  .meta({ id: 'Problem', description: 'RFC 9457 problem details. `errors` names every invalid field.' });

/**
 * What API Gateway answers by itself, before a function runs or instead of its answer. Its body
 * cannot be customised: `{"message": …}` as application/json, never problem+json. The local
 * gateway answers the same for the same causes.
 */
export const gatewayMessageSchema = z
  .object({ message: z.string() })
  .strict()
  .meta({
    id: 'GatewayMessage',
    description:
      'An answer of API Gateway itself (not of Logbook): `{"message":"Unauthorized"}`, `{"message":"Forbidden"}`, ' +
      '`{"message":"Request Entity Too Large"}`, `{"message":"Too Many Requests"}`, ' +
      '`{"message":"Internal Server Error"}` or `{"message":"Service Unavailable"}`.',
  });

const problemContent = { 'application/problem+json': { schema: problemSchema } };
const problemOrGateway = { ...problemContent, 'application/json': { schema: gatewayMessageSchema } };

export const ERROR_RESPONSES = {
  '400': { description: 'Invalid input; `errors` lists every bad field', content: problemContent },
  '401': {
    description:
      'Missing, expired or wrongly signed token. On bearer-token (JWT) routes API Gateway’s JWT authorizer ' +
      'rejects it before any function runs and answers `{"message":"Unauthorized"}` (application/json); ' +
      'a token that verifies but carries no usable claims (no `tenant_id`, an unknown `role`) is a problem+json 401 ' +
      'from Logbook. Locally, where a service-role bearer token stands in for SigV4, a missing or bad token on a ' +
      'service route is the same gateway 401.',
    content: problemOrGateway,
  },
  '403': {
    description:
      'The caller’s role may not do this (problem+json, from Logbook). On service (IAM, SigV4) routes in AWS, ' +
      'API Gateway answers 403 with `{"message": …}` (application/json) before any function runs when the request ' +
      'is unsigned, wrongly signed, or signed by a principal not allowed `execute-api:Invoke` on the route ' +
      '(e.g. `{"message":"Forbidden"}`).',
    content: problemOrGateway,
  },
  '404': { description: 'Unknown id, or one that belongs to another tenant', content: problemContent },
  '413': {
    description:
      'Body larger than the route allows (problem+json), or larger than API Gateway’s 10 MB request limit: ' +
      '`{"message":"Request Entity Too Large"}` (application/json), locally too.',
    content: problemOrGateway,
  },
  '429': {
    description:
      'Throttled; retry after the Retry-After header (problem+json). The stage’s own throttling (a deployment ' +
      'setting) answers `{"message":"Too Many Requests"}` (application/json) without a Retry-After header.',
    content: problemOrGateway,
  },
  '500': {
    description:
      'Unexpected error; never carries internals. `{"message":"Internal Server Error"}` (application/json) comes ' +
      'from API Gateway when the function failed outright or its answer exceeded Lambda’s 6 MB response limit ' +
      '(list pages end early to stay far below it); the local gateway enforces the same limit.',
    content: problemOrGateway,
  },
  '503': {
    description:
      'A dependency failed or the function ran out of time; nothing was acknowledged, safe to retry (problem+json). ' +
      '`{"message":"Service Unavailable"}` (application/json) comes from API Gateway when no answer arrived within ' +
      'its 30-second integration timeout; functions behind routes stop at 29 s so this is rare. The local ' +
      'gateway gives up after 30 s with the same answer.',
    content: problemOrGateway,
  },
} satisfies ZodOpenApiResponsesObject;

export function errors(...codes: (keyof typeof ERROR_RESPONSES)[]): ZodOpenApiResponsesObject {
  return Object.fromEntries(codes.map((c) => [c, ERROR_RESPONSES[c]]));
}

/** One standard error response with a route's own description of when it happens. */
export function errorWhen(
  code: keyof typeof ERROR_RESPONSES,
  description: string,
): ZodOpenApiResponsesObject {
  return { [code]: { ...ERROR_RESPONSES[code], description } };
}

export function jsonContent<S extends z.ZodType>(schema: S) {
  return { 'application/json': { schema } };
}

/**
 * The answers of a list route: one page (200, with its cost headers where the list sends them)
 * and the errors every list can give.
 */
export function pageResponses(
  description: string,
  page: z.ZodType,
  headers?: typeof COST_HEADERS_DOC,
): ZodOpenApiResponsesObject {
  return {
    '200': { description, ...(headers ? { headers } : {}), content: jsonContent(page) },
    ...errors('400', '401', '403', '429', '500', '503'),
  };
}

/**
 * The part every platform service's write shares (SigV4): a required JSON body, its result
 * (200), and the errors a write can give.
 */
export function serviceWrite(body: z.ZodType, resultDescription: string, result: z.ZodType) {
  return {
    security: [{ sigv4: [] }],
    requestBody: { required: true, content: jsonContent(body) },
    responses: {
      '200': { description: resultDescription, content: jsonContent(result) },
      ...errors('400', '401', '403', '413', '429', '500', '503'),
    },
  };
}

/** The answers of a read without input (the caller's tenant is the subject): 200, or an error. */
export function readResponses(description: string, body: z.ZodType): ZodOpenApiResponsesObject {
  return {
    '200': { description, content: jsonContent(body) },
    ...errors('401', '403', '429', '500', '503'),
  };
}

/** A page of `item`s, as the list routes answer it, named `id` in the document's components. */
export function pageOf(item: z.ZodType, id: string) {
  return z
    .object({
      items: z.array(item),
      nextCursor: z.string().nullable().meta({ description: 'null on the last page' }),
    })
    .meta({ id });
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
  limit: z.coerce
    .number()
    .int()
    .min(1)
    .max(200)
    .default(50)
    .meta({
      description:
        'Page size, 1–200. A page may hold fewer items while `nextCursor` says more follow: when the read ' +
        'budget runs out, or when its items would take more than 5 MB in the response (Lambda answers at most 6 MB).',
    }),
  cursor: z.string().min(1).optional().meta({ description: 'Opaque cursor from `nextCursor`' }),
};

/** The query of a list with no filters (the caller's exports, reports): a page size and a cursor. */
export const pageQuerySchema = z.object(listQueryBase).strict();

/** Routes that need no token. */
export const PUBLIC_SECURITY: [] = [];

import { z } from 'zod';
import type { ZodOpenApiResponsesObject } from 'zod-openapi';

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

export const listQueryBase = {
  limit: z.coerce.number().int().min(1).max(200).default(50).meta({ description: 'Page size, 1–200' }),
  cursor: z.string().min(1).optional().meta({ description: 'Opaque cursor from `nextCursor`' }),
};

/** Security of the ingest and directory routes: IAM (SigV4) in AWS. */
export const SERVICE_SECURITY = [{ sigv4: [] }];
/** Routes that need no token. */
export const PUBLIC_SECURITY: [] = [];

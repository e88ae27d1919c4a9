import { z } from 'zod';
import type { ZodOpenApiPathsObject } from 'zod-openapi';
import { ingestRequestSchema, ingestResultSchema, MAX_BATCH } from '../../shared/domain/audit/schema.ts';
import { errors, jsonContent } from '../../shared/http/openapi.ts';

/**
 * The envelope only: each event is validated by the use case, so one 400 lists every bad path
 * of every event (including time rules that need the clock).
 */
export const ingestEnvelopeSchema = z.object({
  events: z.array(z.unknown()).min(1, 'must hold at least one event').max(MAX_BATCH),
});

export const paths: ZodOpenApiPathsObject = {
  '/v1/audit-events': {
    post: {
      operationId: 'ingestAuditEvents',
      summary: 'Record audit events (platform services)',
      description:
        'A batch of 1–100 events, body at most 1 MB. Validation is all-or-nothing: any invalid event gives a 400 ' +
        'listing every bad path (`events[3].actor.name`) and nothing is written. Each event is written once per ' +
        '(tenant, id): an id already stored, or repeated earlier in the batch, answers `duplicate` and the stored ' +
        'entry is never overwritten. Events without an id get a server-assigned ULID. `occurredAt` may be at most ' +
        '5 minutes in the future and no older than the retention period. If storage fails the whole batch answers ' +
        '429 or 503; retrying with the same ids is safe.',
      tags: ['Audit log'],
      security: [{ sigv4: [] }],
      requestBody: { required: true, content: jsonContent(ingestRequestSchema) },
      responses: {
        '200': { description: 'Per-event results, in input order', content: jsonContent(ingestResultSchema) },
        ...errors('400', '401', '403', '413', '429', '500', '503'),
      },
    },
  },
};

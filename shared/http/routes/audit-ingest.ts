import { z } from 'zod';
import type { ZodOpenApiPathsObject } from 'zod-openapi';
import { ingestRequestSchema, ingestResultSchema, MAX_BATCH } from '../../domain/audit/schema.ts';
import { serviceWrite } from '../openapi.ts';

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
        'entry is never overwritten. Events without an id get a server-assigned ULID whose time part is ' +
        '`occurredAt` and whose other 80 bits derive from the event’s redacted content: sending the same event ' +
        'again (a retried batch) answers `duplicate`, and identical id-less events within one batch are one event. ' +
        '`occurredAt` may be at most 5 minutes in the future and no older than the retention period. Validation ' +
        'also refuses what storage could never hold (`details`/`changes` deeper than 32 levels counted from the ' +
        'body, empty keys, numbers beyond ±(2^53−1) or below 1e-130 in magnitude, an entry over 390 KB once ' +
        'stored), so a valid batch can always be written. If storage fails the batch answers 429 or 503 and may be ' +
        'partly written: retry it unchanged, which completes it exactly once (the part already written answers ' +
        '`duplicate`). A 500 means storage refused the write for good: it comes without Retry-After and retrying ' +
        'it unchanged will not help.',
      tags: ['Audit log'],
      ...serviceWrite(ingestRequestSchema, 'Per-event results, in input order', ingestResultSchema),
    },
  },
};

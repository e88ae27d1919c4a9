import type { ZodOpenApiPathsObject } from 'zod-openapi';
import { ingestActivityBodySchema, ingestResultSchema } from '../../domain/activity/event.ts';
import { serviceWrite } from '../openapi.ts';

/** The envelope the handler parses; each event is validated by the use case. */
export { ingestActivityEnvelopeSchema } from '../../domain/activity/event.ts';

export const paths: ZodOpenApiPathsObject = {
  '/v1/activity-events': {
    post: {
      operationId: 'ingestActivityEvents',
      summary: 'Record learners’ activity',
      description:
        'Platform services only. 1–100 events, at most 1 MB. Validation is all-or-nothing: a 400 lists every ' +
        'bad path (`events[3].result.scorePercent`) and nothing is written. Results come in input order: ' +
        '`created`, or `duplicate` for an id already stored for the tenant (never overwritten; an id repeated ' +
        'inside one batch is written once). When `completed` is absent it is true for Completed, Read, Watched ' +
        'and ListenedTo. Entries are kept for ACTIVITY_RETENTION_MONTHS (default 84) after `occurredAt`. ' +
        'An event without an id gets a ULID whose time part is `occurredAt` and whose other 80 bits derive from ' +
        'its content, so the same event sent again answers `duplicate`. Numbers DynamoDB cannot hold (below 1e-130 ' +
        'in magnitude) are a 400. A 429/503 means the batch may be partly written: retry it whole, which ' +
        'completes it exactly once.',
      tags: ['Activity log'],
      ...serviceWrite(ingestActivityBodySchema, 'One result per event, in input order', ingestResultSchema),
    },
  },
};

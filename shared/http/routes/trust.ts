import { z } from 'zod';
import type { ZodOpenApiPathsObject } from 'zod-openapi';
import { erasureInputSchema, erasureViewSchema } from '../../domain/trust/erasure.ts';
import { legalHoldInputSchema, legalHoldSchema } from '../../domain/trust/holds.ts';
import { jobProgressSchema } from '../../domain/trust/jobs.ts';
import { retentionInputSchema } from '../../domain/trust/retention.ts';
import { errors, jsonContent, problemSchema, readResponses } from '../openapi.ts';

/** The request bodies the trust routes parse (the domain's). */
export { erasureInputSchema, legalHoldInputSchema, retentionInputSchema };

export const holdIdParams = z.object({ id: z.string().min(1).max(64) });
export const erasureIdParams = z.object({ id: z.string().min(1).max(64) });

export const holdListSchema = z.object({ items: z.array(legalHoldSchema) }).meta({ id: 'LegalHoldList' });

export const retentionSchema = z
  .object({
    auditMonths: z.int().meta({ description: 'Months the audit log keeps an entry (default 18)' }),
    activityMonths: z.int().meta({ description: 'Months the activity log keeps an entry (default 84)' }),
    progress: z.object({ audit: jobProgressSchema.optional(), activity: jobProgressSchema.optional() }).meta({
      description:
        'Per log, the background job started by the last change of its months (absent when it was never ' +
        'changed). It moves each stored entry’s expiry to occurredAt + the new months, oldest entries first; ' +
        'reads apply the new setting at once, whatever the progress. `status` is `done` once every stored ' +
        'entry was checked (twice: a catch-up pass follows a minute later).',
    }),
  })
  .meta({ id: 'Retention' });

const tags = ['Trust'];
const problem = { 'application/problem+json': { schema: problemSchema } };
const HOLD_RULE =
  'While an active hold covers an entry (its person is actor, impersonator, subject or learner, or the hold is ' +
  'tenant-wide), the entry never expires: reads, filters and exports return it past retention, and the ' +
  'store’s TTL never deletes it (a background job removes the stored expiry of covered entries; entries ' +
  'ingested later are stored without one). Released, normal retention applies again.';

const ERASURE_RULE =
  'Once `done`, the person’s name and e-mail read "[erased]" wherever they appear (actor, impersonator, subject, ' +
  'learner, and the name of an object that is their own user record), and so do the IP address and user agent of ' +
  'entries they acted in — in reads, details, descriptions, exports and e-mails — and their directory record is ' +
  'gone. Their personal fields are stored encrypted under a key of their own; the erasure writes each field’s ' +
  'commitment (`integrity.commitments`) and destroys the key, so ids, actions, objects, times and results stay ' +
  'and every entry hash and digest still verifies. Entries recorded for the same person id afterwards are stored ' +
  'as usual.';

export const paths: ZodOpenApiPathsObject = {
  '/v1/erasures': {
    post: {
      operationId: 'requestErasure',
      summary: 'Erase a person (owner)',
      description: `${ERASURE_RULE} The work runs in the background; poll \`GET /v1/erasures/{id}\`. Recorded in the audit log (Person, Erased) with the person’s id only.`,
      tags,
      requestBody: { content: jsonContent(erasureInputSchema) },
      responses: {
        '202': { description: 'Accepted: the erasure, pending', content: jsonContent(erasureViewSchema) },
        ...errors('400', '401', '403', '413', '429', '500', '503'),
        '409': { description: 'Conflict: an active legal hold covers the person', content: problem },
      },
    },
  },
  '/v1/erasures/{id}': {
    get: {
      operationId: 'getErasure',
      summary: 'An erasure and its progress (owner)',
      description: ERASURE_RULE,
      tags,
      requestParams: { path: erasureIdParams },
      responses: {
        '200': { description: 'The erasure', content: jsonContent(erasureViewSchema) },
        ...errors('401', '403', '404', '429', '500', '503'),
      },
    },
  },
  '/v1/legal-holds': {
    post: {
      operationId: 'placeLegalHold',
      summary: 'Place a legal hold (owner)',
      description: `${HOLD_RULE} Without \`personIds\` the hold covers the whole tenant. Recorded in the audit log (Legal hold, Created).`,
      tags,
      requestBody: { content: jsonContent(legalHoldInputSchema) },
      responses: {
        '201': { description: 'The hold, active', content: jsonContent(legalHoldSchema) },
        ...errors('400', '401', '403', '413', '429', '500', '503'),
      },
    },
    get: {
      operationId: 'listLegalHolds',
      summary: 'The tenant’s legal holds, active and released (owner, admin)',
      description: 'Newest first.',
      tags,
      responses: readResponses('Every hold', holdListSchema),
    },
  },
  '/v1/legal-holds/{id}': {
    delete: {
      operationId: 'releaseLegalHold',
      summary: 'Release a legal hold (owner)',
      description:
        'The entries it covered return to normal retention (unless another active hold covers them): those ' +
        'already past it are hidden at once and become eligible for deletion again. Recorded in the audit log ' +
        '(Legal hold, Released).',
      tags,
      requestParams: { path: holdIdParams },
      responses: {
        '200': { description: 'The hold, released', content: jsonContent(legalHoldSchema) },
        ...errors('401', '403', '404', '429', '500', '503'),
        '409': { description: 'Conflict: the hold is already released', content: problem },
      },
    },
  },
  '/v1/settings/retention': {
    get: {
      operationId: 'getRetention',
      summary: 'The tenant’s retention and the progress of its last change (owner, admin)',
      description:
        'The months each log keeps an entry (the deployment’s defaults, 18 and 84, until an owner sets them) and, ' +
        'per log, the progress of the background job its last change started.',
      tags,
      responses: readResponses('The months each log keeps, and job progress', retentionSchema),
    },
    put: {
      operationId: 'putRetention',
      summary: 'Set the tenant’s retention (owner)',
      description:
        'Either or both months. Applies to new and stored entries alike: reads, exports and counts hide what is ' +
        'older than the new setting at once; lengthening keeps entries the old setting would have expired (a ' +
        'background job moves their stored expiry out, oldest first; see `progress`). Ingest checks “not older ' +
        'than the retention period” against this setting. Recorded in the audit log (Setting “Retention”, ' +
        'Updated, with before and after values). Entries held by a legal hold are kept whatever the setting.',
      tags,
      requestBody: { content: jsonContent(retentionInputSchema) },
      responses: {
        '200': { description: 'The setting now', content: jsonContent(retentionSchema) },
        ...errors('400', '401', '403', '413', '429', '500', '503'),
      },
    },
  },
};

// The activity log's input and stored shapes: one source of truth for validation and OpenAPI.

import { z } from 'zod';
import { tenantIdSchema } from '../caller.ts';
import { contentTypeSchema } from '../directory/schemas.ts';
import { utcIso, utcTimestampOut } from '../timestamps.ts';

export const ACTIVITY_ACTIONS = [
  'Added',
  'Arranged',
  'Attended',
  'Clicked',
  'Completed',
  'EnrolledFor',
  'Unenrolled',
  'Failed',
  'ReceivedCertificateFor',
  'Started',
  'Updated',
  'Viewed',
  'LoggedIn',
  'LoggedOut',
  'Read',
  'Watched',
  'ListenedTo',
] as const;
export const activityActionSchema = z.enum(ACTIVITY_ACTIONS);
export type ActivityAction = z.infer<typeof activityActionSchema>;

/** Actions that are completions of their content when `completed` is not given. */
export const COMPLETION_ACTIONS: ReadonlySet<ActivityAction> = new Set([
  'Completed',
  'Read',
  'Watched',
  'ListenedTo',
]);

export const ITEM_TYPES = [
  'Video',
  'Article',
  'Document',
  'Audio',
  'Book',
  'ELearning',
  'Podcast',
  'Link',
  'Course',
  'Other',
] as const;

export const entryIdSchema = z
  .string()
  .regex(/^[A-Za-z0-9._:-]{1,128}$/, 'must be 1-128 of A-Z a-z 0-9 . _ : -');
const refId = z.string().min(1).max(128);
/** ISO 8601 with an optional offset, normalised to UTC with milliseconds. */
export const timestampSchema = z.iso
  .datetime({ offset: true })
  .transform(utcIso)
  .meta({ override: { format: 'date-time' } });
const timestamp = timestampSchema;
const label = z.string().min(1).max(200);

export const activityContentSchema = z.object({
  type: contentTypeSchema,
  id: refId,
  title: z.string().min(1).max(500),
  contentType: z
    .string()
    .min(1)
    .max(64)
    .optional()
    .meta({ description: `The item's kind, e.g. ${ITEM_TYPES.join(', ')}` }),
  tags: z.array(label).max(50).optional(),
});

export const activityResultSchema = z.object({
  outcome: z.enum(['passed', 'failed']),
  scorePercent: z.number().min(0).max(100).optional(),
  durationSeconds: z
    .number()
    .int()
    .min(0)
    .max(10 * 365 * 86400)
    .optional(),
  timeLimitSeconds: z
    .number()
    .int()
    .min(1)
    .max(10 * 365 * 86400)
    .optional(),
});

export const activityEventInputSchema = z
  .object({
    id: entryIdSchema.optional().meta({ description: 'Idempotency key; absent: the server assigns a ULID' }),
    tenantId: tenantIdSchema,
    occurredAt: timestamp.meta({
      description: 'At most 5 minutes in the future; not older than the retention period',
    }),
    userId: refId.meta({ description: 'The learner' }),
    action: activityActionSchema,
    content: activityContentSchema.optional(),
    completed: z.boolean().optional().meta({
      description: 'A completion. Absent: true for Completed, Read, Watched and ListenedTo, else false',
    }),
    expiresAt: timestamp.optional().meta({ description: 'When this completion expires (recurring content)' }),
    result: activityResultSchema.optional(),
    certificateExpiresAt: timestamp.optional(),
    device: z.enum(['web', 'mobile', 'api']).optional(),
    recordedBy: z.object({ id: refId, name: z.string().min(1).max(200) }).optional(),
    source: label.optional(),
    cpdLabels: z.array(label).max(50).optional(),
    bulkImportId: refId.optional(),
  })
  .meta({ id: 'ActivityEventInput' });
export type ActivityEventInput = z.output<typeof activityEventInputSchema>;

/** The envelope the handler checks before the use case validates each event. */
export const ingestActivityEnvelopeSchema = z.object({ events: z.array(z.unknown()).min(1).max(100) });

export const ingestActivityBodySchema = z
  .object({ events: z.array(activityEventInputSchema).min(1).max(100) })
  .meta({ id: 'IngestActivityEvents', description: '1–100 events, at most 1 MB' });

export const ingestResultSchema = z
  .object({
    results: z.array(z.object({ id: z.string(), status: z.enum(['created', 'duplicate']) })),
  })
  .meta({ id: 'ActivityIngestResult' });
export type IngestStatus = 'created' | 'duplicate';

/** What is stored (`e`): the input after normalisation, with `id`, `recordedAt` and `completed`. */
export const storedActivitySchema = activityEventInputSchema
  .omit({ id: true, occurredAt: true, expiresAt: true, certificateExpiresAt: true, completed: true })
  .extend({
    id: z.string(),
    occurredAt: utcTimestampOut(),
    recordedAt: utcTimestampOut(),
    completed: z.boolean(),
    expiresAt: utcTimestampOut().optional(),
    certificateExpiresAt: utcTimestampOut().optional(),
  });
export type StoredActivity = z.output<typeof storedActivitySchema>;

/** What reads return. */
export const activityEntrySchema = storedActivitySchema
  .omit({ content: true })
  .extend({
    user: z.object({ id: z.string(), name: z.string() }).meta({
      description: 'The learner; the name is the directory’s as it is now (the id when unknown)',
    }),
    content: activityContentSchema
      .extend({
        archived: z.boolean().meta({ description: 'Archived in the directory now' }),
      })
      .optional(),
    description: z.string().meta({
      description: 'One plain-English line, e.g. "Jane Doe failed Fire Safety Quiz scoring 45% in 5 minutes"',
    }),
  })
  .meta({ id: 'ActivityEntry' });
export type ActivityEntry = z.output<typeof activityEntrySchema>;

import { z } from 'zod';

/**
 * An erasure of a person (API.md "Trust → Erasure of a person"): requested by an owner, run in
 * the background in resumable steps (shared/use-cases/trust/erasure.ts), checkpointed after each
 * page. Phases: `audit` walks the person's audit entries (byActor, bySubject, byObject, then the
 * tenant's byTime shards for entries they impersonated in, which have no index of their own) and
 * writes the commitments of their fields; `activity` counts their activity entries (nothing there
 * is personal but the id); `keys` deletes their data key and replaces their directory record by a
 * tombstone; `wait` lets every warm process's key cache expire; then `done`.
 */
export const ERASURE_STREAMS = ['actor', 'subject', 'object', 'impersonator'] as const;
export type ErasureStream = (typeof ERASURE_STREAMS)[number];

export const erasureInputSchema = z
  .object({
    personId: z.string().min(1).max(256).meta({ description: 'The id of the person to erase' }),
  })
  .meta({ id: 'ErasureInput' });
export type ErasureInput = z.infer<typeof erasureInputSchema>;

export const erasureRecordSchema = z.object({
  tenantId: z.string(),
  id: z.string(),
  personId: z.string(),
  status: z.enum(['pending', 'done', 'blocked']),
  phase: z.enum(['audit', 'activity', 'keys', 'wait', 'done']),
  /** Index into ERASURE_STREAMS (audit), the byTime shard (impersonator stream). */
  stream: z.number().int().min(0),
  shard: z.number().int().min(0),
  after: z.record(z.string(), z.unknown()).optional(),
  auditEntries: z.number().int().min(0),
  activityEntries: z.number().int().min(0),
  requestedAt: z.string(),
  updatedAt: z.string(),
  /** Phase `wait`: when no process can still hold the key. */
  waitUntil: z.string().optional(),
  completedAt: z.string().optional(),
});
export type ErasureRecord = z.infer<typeof erasureRecordSchema>;

export const erasureViewSchema = z
  .object({
    id: z.string(),
    personId: z.string(),
    status: z.enum(['pending', 'done', 'blocked']).meta({
      description: '`blocked`: a legal hold placed while the erasure ran covers the person; it stopped',
    }),
    auditEntries: z.number().int().meta({ description: 'Audit entries changed so far' }),
    activityEntries: z.number().int().meta({ description: 'Activity entries of the person' }),
    requestedAt: z.string(),
    completedAt: z.string().optional(),
  })
  .meta({ id: 'Erasure' });
export type ErasureView = z.infer<typeof erasureViewSchema>;

export function erasureView(r: ErasureRecord): ErasureView {
  return {
    id: r.id,
    personId: r.personId,
    status: r.status,
    auditEntries: r.auditEntries,
    activityEntries: r.activityEntries,
    requestedAt: r.requestedAt,
    ...(r.completedAt ? { completedAt: r.completedAt } : {}),
  };
}

/** One queue message: which erasure to continue. */
export const erasureTaskSchema = z.object({ tenantId: z.string().min(1), erasureId: z.string().min(1) });
export type ErasureTask = z.infer<typeof erasureTaskSchema>;

import { z } from 'zod';
import type { TrustLog } from './retention.ts';

/**
 * Expiry jobs: after a hold is placed or released, or retention changes, one job per log walks
 * the tenant's stored entries oldest first and brings each one's stored expiry in line with the
 * rule (shared/use-cases/trust/expiry.ts): an entry an active hold covers has no TTL; any other
 * has `ttl` = occurredAt + the tenant's current months. A job reads the tenant's settings afresh
 * for every page, so jobs queued in any order converge to the same state. It runs in bounded
 * pages, checkpointed in the state table after each one (resumable), and makes two passes, the
 * second after ingest caches (TRUST_CACHE_SECONDS) have expired, so an entry ingested with a stale
 * view of the holds is caught.
 */
export const expiryJobReasonSchema = z.enum(['hold', 'release', 'retention']);

export const expiryJobSchema = z.object({
  tenantId: z.string(),
  id: z.string(),
  log: z.enum(['audit', 'activity']),
  reason: expiryJobReasonSchema,
  status: z.enum(['running', 'done']),
  /** 1, then 2 (the catch-up pass). */
  pass: z.number().int().min(1).max(2),
  /** The write shard being walked and where the walk stopped in it (a LastEvaluatedKey). */
  shard: z.number().int().min(0),
  after: z.record(z.string(), z.unknown()).optional(),
  entriesChecked: z.number().int().min(0),
  entriesChanged: z.number().int().min(0),
  createdAt: z.string(),
  updatedAt: z.string(),
  finishedAt: z.string().optional(),
});
export type ExpiryJob = z.infer<typeof expiryJobSchema>;

/** One queue message: which job to continue. */
export const expiryTaskSchema = z.object({ tenantId: z.string().min(1), jobId: z.string().min(1) });
export type ExpiryTask = z.infer<typeof expiryTaskSchema>;

export const jobProgressSchema = z
  .object({
    status: z.enum(['running', 'done']),
    startedAt: z.string(),
    finishedAt: z.string().optional(),
    entriesChecked: z.number().int().meta({ description: 'Stored entries the job has looked at so far' }),
    entriesChanged: z
      .number()
      .int()
      .meta({ description: 'Entries whose stored expiry it moved (out, or back in for a shorter setting)' }),
  })
  .meta({
    id: 'RetentionJobProgress',
    description:
      'The background job that moves stored expiries after the last change of this log’s retention. ' +
      'Entries are walked oldest first, so the ones nearest expiry move first.',
  });

export function progressOf(job: ExpiryJob): z.infer<typeof jobProgressSchema> {
  return {
    status: job.status,
    startedAt: job.createdAt,
    ...(job.finishedAt ? { finishedAt: job.finishedAt } : {}),
    entriesChecked: job.entriesChecked,
    entriesChanged: job.entriesChanged,
  };
}

export type { TrustLog };

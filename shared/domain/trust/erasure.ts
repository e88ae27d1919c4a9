import { z } from 'zod';
import { sealedKeys } from '../audit/personal.ts';

/**
 * An erasure of a person (API.md "Trust → Erasure of a person"): requested by an owner, run in
 * the background in resumable steps (shared/use-cases/trust/erasure.ts), checkpointed after each
 * page. Phases: `retire` notes the version of the person's data key (`keyVersion`, null when they
 * have none) and retires it (still readable; writers get a new version from then on); `settle`
 * waits until no writer's key cache can still hold the retired version, so nothing new is sealed
 * under it; `audit` walks the person's audit entries (byActor, bySubject, byObject, then the
 * tenant's byTime shards for entries they impersonated in, which have no index of their own) and
 * writes the commitments of their fields sealed under the retired version (entries sealed under a
 * newer version are the person's after the erasure, and stay as they are); `activity` counts their
 * activity entries (nothing there is personal but the id); `keys` destroys the retired version and
 * replaces their directory record by a tombstone; `wait` lets every warm process's cached copy of
 * the retired key expire; then `done`.
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
  phase: z.enum(['retire', 'settle', 'audit', 'activity', 'keys', 'wait', 'done']),
  /**
   * The key version the erasure retired and destroys (null: the person had no key). Absent on
   * erasures requested before retirement existed: they erase every version and delete the current key.
   */
  keyVersion: z.string().nullable().optional(),
  /**
   * Versions of the person's key that erasures of them blocked by a hold had retired (and left
   * readable): this erasure walks and destroys them too.
   */
  retiredBefore: z.array(z.string()).optional(),
  /** Index into ERASURE_STREAMS (audit), the byTime shard (impersonator stream). */
  stream: z.number().int().min(0),
  shard: z.number().int().min(0),
  after: z.record(z.string(), z.unknown()).optional(),
  auditEntries: z.number().int().min(0),
  activityEntries: z.number().int().min(0),
  requestedAt: z.string(),
  updatedAt: z.string(),
  /** Phases `settle` and `wait`: when no process can still hold the key in its cache. */
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

/**
 * The key versions an erasure walks and destroys: the one it retired and those blocked erasures of
 * the person had retired. Undefined for an erasure from before retirement existed (every entry,
 * and the current key).
 */
export function erasureVersions(r: ErasureRecord): string[] | undefined {
  if (r.keyVersion === undefined) return undefined;
  return [...(r.keyVersion === null ? [] : [r.keyVersion]), ...(r.retiredBefore ?? [])];
}

/**
 * Whether an erasure of `versions` (erasureVersions) changes this stored entry for `person`: an
 * entry stored before sealing (no sealed group of theirs) or sealed under one of those versions,
 * never one sealed under a newer version (recorded after the retirement) or an older one (erased
 * before). `undefined`: an erasure from before retirement existed, every entry.
 */
export function erasureCovers(
  stored: Record<string, unknown>,
  person: string,
  versions: readonly string[] | undefined,
): boolean {
  if (versions === undefined) return true;
  const group = sealedKeys(stored).find((g) => g.person === person);
  return group === undefined || versions.includes(group.version);
}

/**
 * When the resumer may take a pending erasure for stalled (its `nextRunAt` in the state table's
 * `byDue` index): its last checkpoint, or, while it waits out key caches (`settle`, `wait`), the end
 * of that wait (a waiting step queues itself with a delay and checkpoints nothing). Null once it is
 * done or blocked: it leaves the index.
 */
export function erasureResumeAt(r: ErasureRecord): string | null {
  if (r.status !== 'pending') return null;
  const waiting = (r.phase === 'settle' || r.phase === 'wait') && r.waitUntil !== undefined;
  return waiting && r.waitUntil! > r.updatedAt ? r.waitUntil! : r.updatedAt;
}

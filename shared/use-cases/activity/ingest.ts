import {
  type ActivityEventInput,
  activityEventInputSchema,
  COMPLETION_ACTIONS,
  type IngestStatus,
  type StoredActivity,
  timestampSchema,
} from '../../domain/activity/event.ts';
import { contentUlid } from '../../domain/content-id.ts';
import { type FieldError, ValidationError } from '../../domain/errors.ts';
import { issuesToFieldErrors } from '../../domain/issues.ts';
import { unstorable } from '../../domain/json-limits.ts';
import {
  type Clock,
  FUTURE_TIMESTAMP_MESSAGE,
  isPastRetention,
  isTooFarAhead,
  retentionEndEpoch,
} from '../../domain/time.ts';
import { coverageOf, isHeld } from '../../domain/trust/holds.ts';
import { type TrustReader, tenantOf, trustStates } from '../../domain/trust/visibility.ts';
import { mapBounded } from '../bounded-pool.ts';
import type { ActivityWriter } from './ports.ts';

export interface IngestActivityDeps {
  store: ActivityWriter;
  clock: Clock;
  retentionMonths: number;
  /**
   * Each tenant's own retention and legal holds (see the audit ingest): the age check uses the
   * tenant's months, and an entry of a held learner is stored without a TTL.
   */
  trust?: TrustReader;
  /** Writes in flight at once. */
  concurrency?: number;
  newId?: () => string;
}

export interface IngestResult {
  results: { id: string; status: IngestStatus }[];
}

/**
 * `POST /v1/activity-events`: validate the whole batch (all-or-nothing), then write every entry
 * with a conditional put, a bounded number in flight. An id already stored answers `duplicate`
 * and is never overwritten; a repeated id inside one batch is written once. A write failure
 * after the SDK's retries fails the batch (429/503); ids make the caller's retry safe: an event
 * without one gets a ULID derived from its content, so the retry finds it stored.
 */

export async function ingestActivityEvents(
  deps: IngestActivityDeps,
  events: unknown[],
): Promise<IngestResult> {
  const now = deps.clock.now();
  const states = await trustStates(deps.trust, events);
  const monthsOf = (tenantId: string) =>
    states.get(tenantId)?.retention.activityMonths ?? deps.retentionMonths;
  const errors: FieldError[] = [];
  const parsed: ActivityEventInput[] = [];
  events.forEach((raw, i) => {
    const out = activityEventInputSchema.safeParse(raw);
    if (!out.success) errors.push(...issuesToFieldErrors(out.error.issues, `events[${i}]`));
    else parsed.push(out.data);
    // A number DynamoDB refuses (a score of 1e-200 underflows) is a 400, never a 503 for ever.
    if (out.success)
      for (const [path, message] of unstorable(out.data))
        errors.push({ path: [`events[${i}]`, ...path].join('.'), message });
    // Checked even when other fields are bad, so one 400 names every problem (a valid event's
    // occurredAt is already normalised: no second parse on the hot path).
    const at = out.success
      ? { success: true as const, data: out.data.occurredAt }
      : timestampSchema.safeParse((raw as { occurredAt?: unknown } | null)?.occurredAt);
    if (at.success && isTooFarAhead(at.data, now))
      errors.push({ path: `events[${i}].occurredAt`, message: FUTURE_TIMESTAMP_MESSAGE });
    if (at.success && isPastRetention(at.data, monthsOf(tenantOf(raw)), now))
      errors.push({ path: `events[${i}].occurredAt`, message: 'is older than the retention period' });
  });
  if (errors.length > 0) throw new ValidationError(errors);

  const recordedAt = now.toISOString();
  const entries = parsed.map((e) => {
    const stored = toStored(e, e.id ?? '', recordedAt);
    if (!e.id) stored.id = deps.newId ? deps.newId() : serverId(stored);
    return stored;
  });
  const results: IngestResult['results'] = entries.map((e) => ({ id: e.id, status: 'duplicate' }));
  // One write per (tenant, id); later repeats in the batch are duplicates of the first.
  const firsts = new Map<string, number>();
  entries.forEach((e, i) => {
    const key = `${e.tenantId}#${e.id}`;
    if (!firsts.has(key)) firsts.set(key, i);
  });
  await mapBounded([...firsts.values()], deps.concurrency ?? 16, async (i) => {
    const entry = entries[i]!;
    const ttl = retentionEndEpoch(entry.occurredAt, monthsOf(entry.tenantId));
    const state = states.get(entry.tenantId);
    const held = state ? isHeld(coverageOf(state.holds), [entry.userId]) : false;
    results[i] = {
      id: entry.id,
      status: held ? await deps.store.put(entry, ttl, true) : await deps.store.put(entry, ttl),
    };
  });
  return { results };
}

/** A ULID derived from the entry, recordedAt aside (a retry is recorded later). */
function serverId(stored: StoredActivity): string {
  const { id: _id, recordedAt: _recordedAt, ...content } = stored;
  return contentUlid(stored.occurredAt, content);
}

export function toStored(e: ActivityEventInput, id: string, recordedAt: string): StoredActivity {
  // A copy loop, cheaper on the hot path than `{ id, completed, ...rest }` and a spread (same keys, same order).
  const stored = {} as StoredActivity;
  for (const key in e) {
    if (key !== 'id' && key !== 'completed') {
      (stored as Record<string, unknown>)[key] = e[key as keyof ActivityEventInput];
    }
  }
  stored.id = id;
  stored.recordedAt = recordedAt;
  stored.completed = e.completed ?? COMPLETION_ACTIONS.has(e.action);
  return stored;
}

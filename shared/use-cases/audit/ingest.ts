import { attribution, summarise } from '../../domain/audit/describe.ts';
import { sealEntryFields } from '../../domain/audit/integrity.ts';
import { personalSalts } from '../../domain/audit/personal.ts';
import {
  type AuditEntry,
  type AuditEventInput,
  auditEventInputSchema,
  MAX_BATCH,
  timestampSchema,
} from '../../domain/audit/schema.ts';
import { entryStorageProblems, inputDepthProblems } from '../../domain/audit/storable.ts';
import { contentUlid } from '../../domain/content-id.ts';
import { type FieldError, ValidationError } from '../../domain/errors.ts';
import { issuesToFieldErrors } from '../../domain/issues.ts';
import { redactChanges, redactDeep, redactUrl } from '../../domain/redaction.ts';
import {
  FUTURE_TIMESTAMP_MESSAGE,
  isPastRetention,
  isTooFarAhead,
  retentionEndEpoch,
} from '../../domain/time.ts';
import { auditPersons, coverageOf, isHeld } from '../../domain/trust/holds.ts';
import { type TrustReader, tenantOf, trustStates } from '../../domain/trust/visibility.ts';
import { mapBounded } from '../bounded-pool.ts';
import type { AuditEventWriter, Clock } from './ports.ts';

export interface IngestAuditDeps {
  store: AuditEventWriter;
  clock: Clock;
  retentionMonths: number;
  /**
   * Each tenant's own retention and legal holds: "not older than retention" is checked against
   * the tenant's months, and an entry an active hold covers is stored without a TTL. Absent: the
   * deployment's months, no holds.
   */
  trust?: TrustReader;
  /** Server-assigned ids for events without one; by default a ULID derived from the content. */
  newId?: () => string;
  /** Writes in flight at once. */
  concurrency?: number;
}

export interface IngestAuditResult {
  results: { id: string; status: 'created' | 'duplicate' }[];
}

/**
 * Validates and redacts the whole batch before the first write (a 400 writes nothing), then
 * writes each entry with a conditional put, many at once. Validation includes everything
 * DynamoDB would refuse for good (depth, empty keys, numbers, item size: domain/audit/storable),
 * so a valid batch can always be written. An id already stored, or repeated earlier in the
 * batch, answers `duplicate` and is not written again. If a write fails after the SDK's
 * retries the batch fails (429 when throttled, 503 otherwise) and may be partly written; a
 * retry completes it exactly once, since every event has a stable id: its own, or one derived
 * from its content (contentUlid). A failure no retry can cure is a 500, never "safe to retry".
 */
export async function ingestAuditEvents(
  deps: IngestAuditDeps,
  events: readonly unknown[],
): Promise<IngestAuditResult> {
  if (events.length > MAX_BATCH) {
    throw new ValidationError([{ path: 'events', message: `must hold at most ${MAX_BATCH} events` }]);
  }
  const now = deps.clock.now();
  const errors: FieldError[] = [];
  const valid: { input: AuditEventInput; ttl: number; index: number }[] = [];
  const states = await trustStates(deps.trust, events);
  const monthsOf = (raw: unknown) => states.get(tenantOf(raw))?.retention.auditMonths ?? deps.retentionMonths;
  const timeRules = (occurredAt: string, path: string, months: number): number => {
    const ttl = retentionEndEpoch(occurredAt, months);
    if (isTooFarAhead(occurredAt, now)) {
      errors.push({ path, message: FUTURE_TIMESTAMP_MESSAGE });
    } else if (isPastRetention(occurredAt, months, now)) {
      errors.push({ path, message: `is older than the retention period (${months} months)` });
    }
    return ttl;
  };
  events.forEach((raw, i) => {
    const prefix = `events[${i}]`;
    const parsed = auditEventInputSchema.safeParse(raw);
    if (!parsed.success) {
      errors.push(...issuesToFieldErrors(parsed.error.issues, prefix));
      // The time rules still apply to a well-formed occurredAt, so one answer lists every problem.
      const occurred = timestampSchema.safeParse((raw as { occurredAt?: unknown } | null)?.occurredAt);
      if (occurred.success) timeRules(occurred.data, `${prefix}.occurredAt`, monthsOf(raw));
      return;
    }
    const ttl = timeRules(parsed.data.occurredAt, `${prefix}.occurredAt`, monthsOf(raw));
    valid.push({ input: parsed.data, ttl, index: i });
  });

  const recordedAt = now.toISOString();
  const planned: { entry: AuditEntry; ttl: number }[] = [];
  for (const { input, ttl, index } of valid) {
    const deep = inputDepthProblems(input, `events[${index}]`);
    if (deep.length > 0) {
      errors.push(...deep);
      continue;
    }
    const entry = toEntry(input, input.id ?? '', recordedAt);
    const problems = entryStorageProblems(entry, `events[${index}]`);
    errors.push(...problems);
    if (problems.length > 0) continue;
    try {
      if (!input.id) entry.id = deps.newId ? deps.newId() : serverId(entry);
      entry.integrity = sealEntryFields(entry, personalSalts(entry));
    } catch {
      // canonicalize refuses a string with a lone UTF-16 surrogate: no canonical form, no hash.
      errors.push({ path: `events[${index}]`, message: 'contains a string with a lone UTF-16 surrogate' });
      continue;
    }
    planned.push({ entry, ttl });
  }
  if (errors.length > 0) throw new ValidationError(errors);

  const statuses: ('created' | 'duplicate')[] = new Array(planned.length);
  const seen = new Set<string>();
  const writes: number[] = [];
  planned.forEach(({ entry }, i) => {
    const key = `${entry.tenantId}#${entry.id}`;
    if (seen.has(key)) statuses[i] = 'duplicate';
    else {
      seen.add(key);
      writes.push(i);
    }
  });

  await mapBounded(writes, deps.concurrency ?? 25, async (i) => {
    const { entry, ttl } = planned[i]!;
    const state = states.get(entry.tenantId);
    const held = state ? isHeld(coverageOf(state.holds), auditPersons(entry)) : false;
    statuses[i] = held ? await deps.store.put(entry, ttl, true) : await deps.store.put(entry, ttl);
  });
  return { results: planned.map(({ entry }, i) => ({ id: entry.id, status: statuses[i]! })) };
}

/** A ULID derived from the redacted entry, recordedAt aside (a retry is recorded later). */
function serverId(entry: AuditEntry): string {
  const { id: _id, recordedAt: _recordedAt, ...content } = entry;
  return contentUlid(entry.occurredAt, content);
}

/** Input fields toEntry replaces (id) or redacts (changes, details, request.url). */
const REPLACED: ReadonlySet<string> = new Set(['id', 'changes', 'details', 'request']);

/** The stored entry: redacted input plus id, recordedAt, summary and attribution. */
export function toEntry(input: AuditEventInput, id: string, recordedAt: string): AuditEntry {
  const { changes, details, request } = input;
  // Every other validated field as it is: a copy loop, cheaper on the hot path than
  // `{ id, changes, details, request, ...rest }` followed by a spread (same keys, same order).
  const entry = {} as AuditEntry;
  for (const key in input) {
    if (!REPLACED.has(key)) (entry as Record<string, unknown>)[key] = input[key as keyof AuditEventInput];
  }
  entry.id = id;
  entry.recordedAt = recordedAt;
  entry.summary = summarise(input);
  entry.attribution = attribution(input);
  if (request) entry.request = { ...request, url: redactUrl(request.url) };
  if (changes) entry.changes = redactChanges(changes);
  if (details) entry.details = redactDeep(details) as Record<string, unknown>;
  return entry;
}

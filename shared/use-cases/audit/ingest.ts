import { ulid } from 'ulidx';
import { attribution, summarise } from '../../domain/audit/describe.ts';
import {
  type AuditEntry,
  type AuditEventInput,
  auditEventInputSchema,
  MAX_BATCH,
  timestampSchema,
} from '../../domain/audit/schema.ts';
import { retentionEndEpoch } from '../../domain/audit/time.ts';
import { type FieldError, ThrottledError, ValidationError } from '../../domain/errors.ts';
import { hourStart } from '../../domain/integrity/digest.ts';
import { sealEntry } from '../../domain/integrity/entry-hash.ts';
import { redactChanges, redactDeep, redactUrl } from '../../domain/redaction.ts';
import { issuesToFieldErrors } from '../../http/validate.ts';
import type { AuditEventWriter, Clock } from './ports.ts';

export interface IngestAuditDeps {
  store: AuditEventWriter;
  clock: Clock;
  retentionMonths: number;
  /** Server-assigned ids for events without one; a ULID by default. */
  newId?: () => string;
  /** Writes in flight at once. */
  concurrency?: number;
  /** Salt bytes for the entry hashes' commitments; crypto.randomBytes by default. */
  random?: (n: number) => Buffer;
}

export interface IngestAuditResult {
  results: { id: string; status: 'created' | 'duplicate' }[];
}

const MAX_FUTURE_MS = 5 * 60 * 1000;

/**
 * Validates and redacts the whole batch before the first write (a 400 writes nothing), then
 * writes each entry with a conditional put, many at once. An id already stored, or repeated
 * earlier in the batch, answers `duplicate` and is not written again. If a write fails after
 * the SDK's retries the batch fails (429 when throttled, 503 otherwise): ids make a retry safe.
 */
export async function ingestAuditEvents(
  deps: IngestAuditDeps,
  events: readonly unknown[],
): Promise<IngestAuditResult> {
  if (events.length > MAX_BATCH) {
    throw new ValidationError([{ path: 'events', message: `must hold at most ${MAX_BATCH} events` }]);
  }
  const now = deps.clock();
  const nowEpoch = Math.floor(now.getTime() / 1000);
  const errors: FieldError[] = [];
  const valid: { input: AuditEventInput; ttl: number }[] = [];
  const timeRules = (occurredAt: string, path: string): number => {
    const ttl = retentionEndEpoch(occurredAt, deps.retentionMonths);
    if (Date.parse(occurredAt) > now.getTime() + MAX_FUTURE_MS) {
      errors.push({ path, message: 'must be at most 5 minutes in the future' });
    } else if (ttl <= nowEpoch) {
      errors.push({ path, message: `is older than the retention period (${deps.retentionMonths} months)` });
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
      if (occurred.success) timeRules(occurred.data, `${prefix}.occurredAt`);
      return;
    }
    const ttl = timeRules(parsed.data.occurredAt, `${prefix}.occurredAt`);
    valid.push({ input: parsed.data, ttl });
  });
  if (errors.length > 0) throw new ValidationError(errors);

  const newId = deps.newId ?? (() => ulid());
  const recordedAt = now.toISOString();
  const planned = valid.map(({ input, ttl }) => {
    const entry = toEntry(input, input.id ?? newId(), recordedAt);
    // Sealed over what is stored: after redaction, before the write.
    entry.integrity = sealEntry(entry, deps.random);
    return { entry, ttl };
  });

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

  // The hour's mark before any entry of it, so an acknowledged entry is always found by the sealer.
  const markHour = deps.store.markHour?.bind(deps.store);
  if (markHour && writes.length > 0) {
    const tenants = new Set(writes.map((i) => planned[i]!.entry.tenantId));
    await Promise.all([...tenants].map((tenantId) => markHour(tenantId, hourStart(recordedAt))));
  }
  await boundedAll(writes, deps.concurrency ?? 25, async (i) => {
    const { entry, ttl } = planned[i]!;
    statuses[i] = await deps.store.put(entry, ttl);
  });
  return { results: planned.map(({ entry }, i) => ({ id: entry.id, status: statuses[i]! })) };
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

/**
 * Runs `fn` over `items` with at most `limit` in flight. After the first failure no new work
 * starts; once in-flight work settles, a throttling failure wins over any other.
 */
async function boundedAll<T>(items: readonly T[], limit: number, fn: (item: T) => Promise<void>) {
  let next = 0;
  const failures: unknown[] = [];
  const worker = async () => {
    while (failures.length === 0 && next < items.length) {
      const item = items[next++]!;
      try {
        await fn(item);
      } catch (err) {
        failures.push(err);
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  if (failures.length > 0) throw failures.find((f) => f instanceof ThrottledError) ?? failures[0];
}

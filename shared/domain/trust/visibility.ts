import { tenantIdSchema } from '../caller.ts';
import { coverageOf, type HoldCoverage, isHeld, type LegalHold } from './holds.ts';
import { monthsOf, type RetentionMonths, retentionStart, type TrustLog } from './retention.ts';

/** A tenant's trust settings as every read and write applies them: retention and active holds. */
export interface TrustState {
  retention: RetentionMonths;
  /** Active holds only. */
  holds: readonly LegalHold[];
}

/** Reads a tenant's trust state (the state table; briefly cached per process). */
export interface TrustReader {
  state(tenantId: string): Promise<TrustState>;
}

/** Which stored entries a read returns, at one moment. */
export interface Visibility {
  /** Oldest `occurredAt` (ISO, inclusive) the tenant's current setting keeps. */
  retentionStart: string;
  nowEpochSeconds: number;
  coverage: HoldCoverage;
}

export function visibilityOf(state: TrustState, log: TrustLog, now: Date): Visibility {
  return {
    retentionStart: retentionStart(now, monthsOf(state.retention, log)),
    nowEpochSeconds: Math.floor(now.getTime() / 1000),
    coverage: coverageOf(state.holds),
  };
}

/**
 * The one rule of what a read returns: an entry an active hold covers, always (whatever its
 * age or stored expiry); any other entry while it is within the tenant's current retention and
 * its stored expiry (if it has one: a released entry may wait for its expiry to be restored) has
 * not passed. Both bounds are inclusive: an entry is kept through the second its retention ends
 * (as DynamoDB's TTL, which deletes only items whose `ttl` is before now).
 */
export function isVisible(
  v: Visibility,
  occurredAt: string,
  ttl: number | undefined,
  persons: readonly (string | undefined)[],
): boolean {
  if (isHeld(v.coverage, persons)) return true;
  return occurredAt >= v.retentionStart && (ttl === undefined || ttl >= v.nowEpochSeconds);
}

export function tenantOf(raw: unknown): string {
  const t = (raw as { tenantId?: unknown } | null)?.tenantId;
  return typeof t === 'string' ? t : '';
}

/** The trust state of every tenant the batch names (one read each, cached by the reader). */
export async function trustStates(
  trust: TrustReader | undefined,
  events: readonly unknown[],
): Promise<Map<string, TrustState>> {
  const out = new Map<string, TrustState>();
  if (!trust) return out;
  const tenants = new Set(events.map(tenantOf).filter((t) => tenantIdSchema.safeParse(t).success));
  await Promise.all([...tenants].map(async (t) => out.set(t, await trust.state(t))));
  return out;
}

import { hourStart } from '../../domain/audit/digest.ts';
import { type EntryIntegrity, sealEntry } from '../../domain/audit/integrity.ts';
import type { AuditEntry } from '../../domain/audit/schema.ts';

/**
 * What the legacy backfill needs from storage: a tenant's entries stored before entry hashes
 * existed (no `integrity.hash`), page by page, and the one permitted enrichment of a stored entry:
 * adding the missing integrity attributes (hash, salt, bySeal keys) with a conditional update
 * (`attribute_not_exists` on the hash), so an entry that already has a hash is never changed.
 */
export interface BackfillStore {
  head(tenantId: string): Promise<{ digestHash: string; periodStart: string } | null>;
  legacyPage(
    tenantId: string,
    shard: number,
    startKey?: Record<string, unknown>,
    limit?: number,
  ): Promise<{ items: AuditEntry[]; nextKey?: Record<string, unknown> }>;
  /** Adds the integrity attributes if the entry still has no hash. False when it already had one. */
  enrich(entry: AuditEntry, integrity: EntryIntegrity): Promise<boolean>;
}

export interface BackfillCursor {
  shard: number;
  startKey?: Record<string, unknown>;
  /** Start of the oldest hour enriched so far (where the tenant's first sealing must start). */
  oldestHour?: string;
}

export interface BackfillResult {
  /** Entries given a hash by this run. */
  enriched: number;
  pages: number;
  /** False when stopped early: `cursor` is where the next run resumes. */
  done: boolean;
  cursor: BackfillCursor;
  /** True when the tenant's chain had already started: nothing was enriched (docs/data-model.md). */
  chainStarted: boolean;
}

/**
 * Gives every legacy entry of a tenant its integrity by the same recipe as ingest (sealEntry:
 * a fresh salt, the RFC 8785 hash with personal fields as commitments) and its bySeal keys, so
 * the tenant's first sealing seals it like any other entry of its hour. Runs before that first
 * sealing: a tenant whose chain has started is left alone (its legacy hours lie before its head,
 * which the chain never goes back to). Resumable (the cursor), bounded (shouldStop after each
 * page) and idempotent (the conditional enrichment).
 */
export async function backfillLegacyEntries(
  deps: {
    store: BackfillStore;
    /** The tenant's byTime write shards (shardResolver). */
    shardsFor: (tenantId: string) => number;
    pageLimit?: number;
  },
  opts: { tenantId: string; cursor?: BackfillCursor; shouldStop?: () => boolean },
): Promise<BackfillResult> {
  let cursor: BackfillCursor = opts.cursor ?? { shard: 0 };
  const result: BackfillResult = { enriched: 0, pages: 0, done: true, cursor, chainStarted: false };
  if (await deps.store.head(opts.tenantId)) return { ...result, chainStarted: true };
  const shards = deps.shardsFor(opts.tenantId);
  for (let shard = cursor.shard; shard < shards; shard++) {
    let startKey = shard === cursor.shard ? cursor.startKey : undefined;
    for (;;) {
      const page = await deps.store.legacyPage(opts.tenantId, shard, startKey, deps.pageLimit);
      result.pages++;
      for (const entry of page.items) {
        if (entry.integrity?.hash) continue;
        const { integrity: _none, ...bare } = entry;
        if (await deps.store.enrich(entry, sealEntry(bare))) result.enriched++;
        const hour = hourStart(Date.parse(entry.recordedAt));
        if (!cursor.oldestHour || hour < cursor.oldestHour) cursor = { ...cursor, oldestHour: hour };
      }
      startKey = page.nextKey;
      if (!startKey) break;
      if (opts.shouldStop?.()) {
        cursor = { ...cursor, shard, startKey };
        return { ...result, done: false, cursor };
      }
    }
    cursor = { shard: shard + 1, ...(cursor.oldestHour ? { oldestHour: cursor.oldestHour } : {}) };
  }
  return { ...result, cursor };
}

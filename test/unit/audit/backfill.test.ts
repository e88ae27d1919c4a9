import { describe, expect, it } from 'vitest';
import { type EntryIntegrity, entryHash } from '../../../shared/domain/audit/integrity.ts';
import type { AuditEntry } from '../../../shared/domain/audit/schema.ts';
import { type BackfillStore, backfillLegacyEntries } from '../../../shared/use-cases/audit/backfill.ts';

/** The DynamoDB store's semantics in memory: byTime pages of legacy entries, conditional enrichment. */
class MemoryBackfillStore implements BackfillStore {
  readonly entries = new Map<string, AuditEntry>();
  updates = 0;
  headOf: { digestHash: string; periodStart: string } | null = null;
  constructor(
    list: AuditEntry[],
    private readonly shardOf: (id: string) => number,
  ) {
    for (const e of list) this.entries.set(e.id, e);
  }
  async head() {
    return this.headOf;
  }
  async legacyPage(_t: string, shard: number, startKey?: Record<string, unknown>, limit = 1000) {
    const all = [...this.entries.values()]
      .filter((e) => this.shardOf(e.id) === shard)
      .sort((a, b) => (a.id < b.id ? -1 : 1));
    const from = startKey ? Number(startKey.at) : 0;
    // The filter runs after the limit, as DynamoDB's does: a page may come back short.
    const items = all.slice(from, from + limit).filter((e) => !e.integrity);
    return { items, nextKey: from + limit < all.length ? { at: from + limit } : undefined };
  }
  async enrich(entry: AuditEntry, integrity: EntryIntegrity) {
    const stored = this.entries.get(entry.id)!;
    if (stored.integrity) return false;
    this.updates++;
    this.entries.set(entry.id, { ...stored, integrity });
    return true;
  }
}

const H = Date.parse('2026-11-30T08:00:00.000Z');
function legacy(i: number): AuditEntry {
  const at = new Date(H - (i % 5) * 3_600_000 + i * 1000).toISOString();
  return {
    id: `e${String(i).padStart(3, '0')}`,
    tenantId: 'acme',
    occurredAt: at,
    recordedAt: at,
    actor: { type: 'user', id: 'u1', name: 'Ada', email: 'ada@example.com' },
    action: 'Updated',
    object: { type: 'User', id: `o${i}`, name: `Person ${i}` },
    source: { kind: 'web' },
    ip: '203.0.113.9',
    changes: [{ field: 'title', before: 'a', after: `b${i}` }],
  } as AuditEntry;
}
const shardOf = (id: string) => Number(id.slice(1)) % 3;
const deps = (store: BackfillStore, pageLimit?: number) => ({ store, shardsFor: () => 3, pageLimit });

describe('legacy backfill', () => {
  it('gives every legacy entry a hash by the ingest recipe, and reports the oldest hour', async () => {
    const store = new MemoryBackfillStore(
      Array.from({ length: 23 }, (_, i) => legacy(i)),
      shardOf,
    );
    const out = await backfillLegacyEntries(deps(store, 4), { tenantId: 'acme' });
    expect(out).toMatchObject({ enriched: 23, done: true, chainStarted: false });
    expect(out.cursor.oldestHour).toBe(new Date(H - 4 * 3_600_000).toISOString());
    for (const e of store.entries.values()) {
      const { integrity, ...rest } = e;
      expect(integrity?.salt).toBeTypeOf('string');
      expect(entryHash(rest, integrity!)).toBe(integrity!.hash);
    }
  });

  it('leaves entries that have a hash alone, and enriches nothing twice', async () => {
    const hashed = { ...legacy(1), integrity: { hash: 'ab'.repeat(32), salt: 'AAAAAAAAAAAAAAAAAAAAAA' } };
    const store = new MemoryBackfillStore([legacy(0), hashed, legacy(2)], shardOf);
    expect((await backfillLegacyEntries(deps(store), { tenantId: 'acme' })).enriched).toBe(2);
    expect(store.entries.get('e001')).toEqual(hashed);
    expect((await backfillLegacyEntries(deps(store), { tenantId: 'acme' })).enriched).toBe(0);
    expect(store.updates).toBe(2);
  });

  it('stops between pages and resumes from the cursor with the same result', async () => {
    const store = new MemoryBackfillStore(
      Array.from({ length: 30 }, (_, i) => legacy(i)),
      shardOf,
    );
    let cursor: Parameters<typeof backfillLegacyEntries>[1]['cursor'];
    let runs = 0;
    let enriched = 0;
    for (;;) {
      runs++;
      const out = await backfillLegacyEntries(deps(store, 3), {
        tenantId: 'acme',
        cursor,
        shouldStop: () => true,
      });
      enriched += out.enriched;
      cursor = out.cursor;
      if (out.done) break;
    }
    expect(runs).toBeGreaterThan(3);
    expect(enriched).toBe(30);
    expect(store.updates).toBe(30);
    expect(cursor?.oldestHour).toBe(new Date(H - 4 * 3_600_000).toISOString());
  });

  it('leaves a tenant whose chain has started alone', async () => {
    const store = new MemoryBackfillStore([legacy(0)], shardOf);
    store.headOf = { digestHash: 'x', periodStart: new Date(H).toISOString() };
    const out = await backfillLegacyEntries(deps(store), { tenantId: 'acme' });
    expect(out).toMatchObject({ enriched: 0, chainStarted: true });
    expect(store.entries.get('e000')?.integrity).toBeUndefined();
  });
});

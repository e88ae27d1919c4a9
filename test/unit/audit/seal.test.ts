import { createHash } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { localDigestSigner } from '../../../shared/adapters/kms/digest-signer.ts';
import type { AuditDigest } from '../../../shared/domain/audit/digest.ts';
import type { EntryIntegrity } from '../../../shared/domain/audit/integrity.ts';
import { MerkleBuilder } from '../../../shared/domain/audit/merkle.ts';
import type { AuditEntry } from '../../../shared/domain/audit/schema.ts';
import type { BackfillCursor } from '../../../shared/use-cases/audit/backfill.ts';
import {
  type ChainStartStore,
  type SealCursorLike,
  type SealStore,
  sealClosedHours,
} from '../../../shared/use-cases/audit/seal.ts';

/** The DynamoDB store's semantics in memory: bySeal pages in (tenant, id) order, conditional appends. */
class MemorySealStore implements SealStore {
  readonly digests = new Map<string, AuditDigest[]>();
  saved: SealCursorLike | null = null;
  readonly heads = new Map<string, { digestHash: string; periodStart: string; starting?: boolean }>();
  constructor(readonly rows: Map<string, { tenantId: string; id: string; hash: string }[]>) {}
  async head(t: string) {
    return this.heads.get(t) ?? null;
  }
  async append(t: string, d: AuditDigest, prev: { digestHash: string } | null, starting = false) {
    if ((this.heads.get(t)?.digestHash ?? null) !== (prev?.digestHash ?? null)) return false;
    this.digests.set(t, [...(this.digests.get(t) ?? []), d]);
    this.heads.set(t, {
      digestHash: d.digestHash,
      periodStart: d.periodStart,
      ...(starting ? { starting } : {}),
    });
    return true;
  }
  async putKey() {}
  /** Leaf pages, write-once as in DynamoDB: `tenant periodStart start` → leaves. */
  readonly leafPages = new Map<string, { id: string; hash: string }[]>();
  async putLeaves(t: string, periodStart: string, start: number, leaves: { id: string; hash: string }[]) {
    const key = `${t} ${periodStart} ${String(start).padStart(6, '0')}`;
    if (!this.leafPages.has(key)) this.leafPages.set(key, leaves);
  }
  /** A digest's leaf list, pages in order (and none missing: each starts where the last ended). */
  leafList(t: string, periodStart: string) {
    const out: { id: string; hash: string }[] = [];
    for (const key of [...this.leafPages.keys()].sort()) {
      if (!key.startsWith(`${t} ${periodStart} `)) continue;
      expect(Number(key.split(' ')[2])).toBe(out.length);
      out.push(...this.leafPages.get(key)!);
    }
    return out;
  }
  async cursor() {
    return this.saved;
  }
  async saveCursor(c: SealCursorLike) {
    this.saved = JSON.parse(JSON.stringify(c));
  }
  readonly pagesOf: (string | undefined)[] = [];
  async sealPage(
    hour: string,
    shard: number,
    startKey?: Record<string, unknown>,
    limit = 1000,
    tenantId?: string,
  ) {
    this.pagesOf.push(tenantId);
    const all = (this.rows.get(`${hour.slice(0, 13)}#${shard}`) ?? []).filter(
      (r) => tenantId === undefined || r.tenantId === tenantId,
    );
    const from = startKey ? Number(startKey.at) : 0;
    const items = all.slice(from, from + limit);
    return { items, nextKey: from + limit < all.length ? { at: from + limit } : undefined };
  }
}

const H = Date.parse('2026-11-30T08:00:00.000Z');
const hex = (s: string) => createHash('sha256').update(s).digest('hex');

/** Two partitions, tenants of many sizes over three hours. */
function dataset() {
  const rows = new Map<string, { tenantId: string; id: string; hash: string }[]>();
  for (let h = 0; h < 3; h++) {
    const hour = new Date(H + h * 3_600_000).toISOString().slice(0, 13);
    for (let shard = 0; shard < 2; shard++) {
      const list: { tenantId: string; id: string; hash: string }[] = [];
      for (const [t, n] of [
        [`a${shard}`, 1 + h],
        [`b${shard}`, 17 + h * 5],
        [`c${shard}`, 2],
      ] as const) {
        for (let i = 0; i < n; i++)
          list.push({ tenantId: t, id: `e${String(i).padStart(3, '0')}`, hash: hex(`${t}${h}${i}`) });
      }
      rows.set(`${hour}#${shard}`, list);
    }
  }
  return rows;
}

const deps = (store: SealStore, pageLimit?: number, leafPage?: number) => ({
  store,
  signer: localDigestSigner(join(tmpdir(), `logbook-seal-unit-${process.pid}.pem`)),
  clock: { now: () => new Date('2026-11-30T12:00:00.000Z') },
  shards: 2,
  pageLimit,
  leafPage,
});
const now = new Date(H + 3 * 3_600_000 + 6 * 60_000);
const view = (s: MemorySealStore) =>
  [...s.digests].map(([t, ds]) => [t, ds.map(({ signature: _s, ...d }) => d)] as const).sort();

describe('sealing split across invocations', () => {
  it('gives the same digests when stopped after every page of 4 items as in one run', async () => {
    const whole = new MemorySealStore(dataset());
    await whole.saveCursor({ hour: new Date(H).toISOString(), shard: 0 });
    const one = await sealClosedHours(deps(whole), { now });
    expect(one.done).toBe(true);
    expect(one.digests).toBe(18);

    const split = new MemorySealStore(dataset());
    await split.saveCursor({ hour: new Date(H).toISOString(), shard: 0 });
    let runs = 0;
    let digests = 0;
    for (;;) {
      runs++;
      const r = await sealClosedHours(deps(split, 4), { now, shouldStop: () => true });
      digests += r.digests;
      if (r.done) break;
    }
    expect(runs).toBeGreaterThan(20);
    expect(digests).toBe(18);
    expect(view(split)).toEqual(view(whole));
    // Counts as stored, chained per tenant.
    const b0 = whole.digests.get('b0')!;
    expect(b0.map((d) => d.count)).toEqual([17, 22, 27]);
    expect(b0[1]!.previousDigestHash).toBe(b0[0]!.digestHash);
    expect(split.saved?.hour).toBe(new Date(H + 3 * 3_600_000).toISOString());
  });

  it("stores each digest's leaf list in pages that rebuild its root, the same when split", async () => {
    const whole = new MemorySealStore(dataset());
    await sealClosedHours(deps(whole, undefined, 5), { now, fromHour: new Date(H).toISOString() });
    const split = new MemorySealStore(dataset());
    await split.saveCursor({ hour: new Date(H).toISOString(), shard: 0 });
    for (;;) {
      // Pages of 4 items, leaf pages of 5: stops fall inside leaf pages, whose tails ride in the cursor.
      const r = await sealClosedHours(deps(split, 4, 5), { now, shouldStop: () => true });
      if (r.done) break;
    }
    expect([...split.leafPages.keys()].sort()).toEqual([...whole.leafPages.keys()].sort());
    for (const [t, ds] of whole.digests) {
      for (const d of ds) {
        const leaves = whole.leafList(t, d.periodStart);
        expect(leaves).toEqual(split.leafList(t, d.periodStart));
        expect(leaves.map((l) => l.id)).toEqual([...leaves.map((l) => l.id)].sort());
        const m = new MerkleBuilder();
        for (const l of leaves) m.add(Buffer.from(l.hash, 'hex'));
        expect(leaves.length).toBe(d.count);
        expect(m.root().toString('hex')).toBe(d.rootHash);
      }
    }
    // b0's third hour: 27 leaves in pages starting at 0, 5, …, 25.
    expect(
      [...whole.leafPages.keys()].filter((k) =>
        k.startsWith(`b0 ${new Date(H + 2 * 3_600_000).toISOString()}`),
      ),
    ).toHaveLength(6);
    // Sealing again writes no digest and changes no page (pages are written once).
    const before = new Map(whole.leafPages);
    expect(
      (await sealClosedHours(deps(whole, undefined, 5), { now, fromHour: new Date(H).toISOString() }))
        .digests,
    ).toBe(0);
    expect(whole.leafPages).toEqual(before);
  });

  it('seals nothing before an hour has closed, and nothing twice', async () => {
    const store = new MemorySealStore(dataset());
    await store.saveCursor({ hour: new Date(H).toISOString(), shard: 0 });
    const early = await sealClosedHours(deps(store), { now: new Date(H + 3_600_000 + 5 * 60_000 - 1) });
    expect(early.digests).toBe(0);
    expect((await sealClosedHours(deps(store), { now })).digests).toBe(18);
    expect((await sealClosedHours(deps(store), { now, fromHour: new Date(H).toISOString() })).digests).toBe(
      0,
    );
  });

  it('seals only the named tenants, each read on its own, and leaves the shared cursor alone', async () => {
    const whole = new MemorySealStore(dataset());
    await sealClosedHours(deps(whole), { now, fromHour: new Date(H).toISOString() });

    const store = new MemorySealStore(dataset());
    const some = await sealClosedHours(deps(store, 4), {
      now,
      fromHour: new Date(H).toISOString(),
      tenants: ['b0', 'c1'],
      shouldStop: () => false,
    });
    expect(some.digests).toBe(6);
    expect([...store.digests.keys()].sort()).toEqual(['b0', 'c1']);
    expect(store.pagesOf.every((t) => t === 'b0' || t === 'c1')).toBe(true);
    expect(store.saved).toBeNull();
    // The same digests as a run over everyone (signatures aside), and the others still seal later.
    expect(view(store)).toEqual(view(whole).filter(([t]) => t === 'b0' || t === 'c1'));
    expect((await sealClosedHours(deps(store), { now, fromHour: new Date(H).toISOString() })).digests).toBe(
      12,
    );
    // Without fromHour, a run for some tenants starts where a first run would (a day back).
    const fresh = new MemorySealStore(dataset());
    const first = await sealClosedHours(deps(fresh), { now, tenants: ['a0'] });
    expect(first.digests).toBe(3);
    expect(fresh.saved).toBeNull();
    expect((await sealClosedHours(deps(fresh), { now, tenants: [] })).digests).toBe(0);
  });
});

/**
 * The chain-start side in memory: legacy entries (no hash) of a tenant in one byTime shard, paged
 * like DynamoDB's filtered Query; an enrichment puts the entry into its hour's bySeal rows.
 */
class MemoryStartStore extends MemorySealStore implements ChainStartStore {
  readonly legacy = new Map<string, AuditEntry>();
  readonly states = new Map<string, { done: boolean; cursor: BackfillCursor }>();
  legacyPages = 0;
  enrich = async (entry: AuditEntry, integrity: EntryIntegrity) => {
    const stored = this.legacy.get(entry.id)!;
    if (stored.integrity) return false;
    this.legacy.set(entry.id, { ...stored, integrity });
    const key = `${entry.recordedAt.slice(0, 13)}#${Number(entry.tenantId.slice(1))}`;
    const list = [
      ...(this.rows.get(key) ?? []),
      { tenantId: entry.tenantId, id: entry.id, hash: integrity.hash },
    ];
    list.sort((a, b) => (`${a.tenantId}#${a.id}` < `${b.tenantId}#${b.id}` ? -1 : 1));
    this.rows.set(key, list);
    return true;
  };
  async legacyPage(t: string, _shard: number, startKey?: Record<string, unknown>, limit = 1000) {
    this.legacyPages++;
    const all = [...this.legacy.values()].filter((e) => e.tenantId === t);
    const from = startKey ? Number(startKey.at) : 0;
    const items = all.slice(from, from + limit).filter((e) => !e.integrity);
    return { items, nextKey: from + limit < all.length ? { at: from + limit } : undefined };
  }
  async backfillState(t: string) {
    return this.states.get(t) ?? null;
  }
  async saveBackfillState(t: string, state: { done: boolean; cursor: BackfillCursor }) {
    const kept = this.states.get(t)?.cursor.oldestHour;
    const oldest = state.cursor.oldestHour;
    const merged =
      kept !== undefined && (oldest === undefined || kept < oldest)
        ? { ...state, cursor: { ...state.cursor, oldestHour: kept } }
        : state;
    this.states.set(t, JSON.parse(JSON.stringify(merged)));
    return merged;
  }
}

/** A legacy entry of tenant `t` recorded `hoursBack` hours before H (plus `minute` minutes). */
function legacyEntry(t: string, id: string, hoursBack: number, minute = 1): AuditEntry {
  const at = new Date(H - hoursBack * 3_600_000 + minute * 60_000).toISOString();
  return {
    id,
    tenantId: t,
    occurredAt: at,
    recordedAt: at,
    actor: { type: 'user', id: 'u1', name: 'Ada', email: 'ada@example.com' },
    action: 'Updated',
    object: { type: 'User', id: `o-${id}`, name: `Person ${id}` },
    source: { kind: 'web' },
    ip: '203.0.113.9',
  } as AuditEntry;
}

function startStore(legacy: AuditEntry[]) {
  const store = new MemoryStartStore(dataset());
  for (const e of legacy) store.legacy.set(e.id, e);
  return store;
}
const startDeps = (store: MemoryStartStore, backfillPage?: number, leafPage?: number) => ({
  ...deps(store, undefined, leafPage),
  start: { store, shardsFor: () => 1, pageLimit: backfillPage },
});
const iso = (ms: number) => new Date(ms).toISOString();
/** b0's legacy entries: two old hours, and one in the first hour sealed (H) among its new ones. */
const legacyOfB0 = () => [
  legacyEntry('b0', 'e000a', 0, 10),
  legacyEntry('b0', 'l1', 5),
  legacyEntry('b0', 'l2', 5, 30),
  legacyEntry('b0', 'l3', 2),
];

describe("a tenant's first sealing (chain start)", () => {
  it('backfills its legacy entries first, then starts the chain at the oldest backfilled hour', async () => {
    const store = startStore(legacyOfB0());
    await store.saveCursor({ hour: iso(H), shard: 0 });
    const run = await sealClosedHours(startDeps(store, undefined, 5), { now });
    expect(run).toMatchObject({ done: true, enriched: 4, digests: 20 });
    const b0 = store.digests.get('b0')!;
    expect(b0.map((d) => d.periodStart)).toEqual([-5, -2, 0, 1, 2].map((h) => iso(H + h * 3_600_000)));
    expect(b0.map((d) => d.count)).toEqual([2, 1, 18, 22, 27]);
    expect(b0[0]!.previousDigestHash).toBeNull();
    for (let i = 1; i < b0.length; i++) expect(b0[i]!.previousDigestHash).toBe(b0[i - 1]!.digestHash);
    expect(store.heads.get('b0')?.starting).toBeUndefined();
    // The hour read before the backfill is re-read: its leaf list holds the enriched entry too.
    const leaves = store.leafList('b0', iso(H));
    expect(leaves).toHaveLength(18);
    expect(leaves[1]!.id).toBe('e000a');
    const m = new MerkleBuilder();
    for (const l of leaves) m.add(Buffer.from(l.hash, 'hex'));
    expect(m.root().toString('hex')).toBe(b0[2]!.rootHash);
    // Other tenants' chains start at their first hour as before, each after one empty backfill.
    expect(store.digests.get('a0')!.map((d) => d.periodStart)[0]).toBe(iso(H));
    expect(store.states.get('a0')).toMatchObject({ done: true });
  });

  it('resumes a backfill cut by the time budget next run, and starts the chain only after it', async () => {
    const whole = startStore(legacyOfB0());
    await whole.saveCursor({ hour: iso(H), shard: 0 });
    await sealClosedHours(startDeps(whole, undefined, 5), { now });

    const store = startStore(legacyOfB0());
    await store.saveCursor({ hour: iso(H), shard: 0 });
    // Backfill pages of one entry, and a budget that is always spent: one page per run.
    const first = await sealClosedHours(startDeps(store, 1, 5), { now, shouldStop: () => true });
    expect(first).toMatchObject({ done: false, nextHour: iso(H), enriched: 1 });
    expect(store.digests.get('b0')).toBeUndefined();
    expect(store.heads.get('b0')).toBeUndefined();
    expect(store.states.get('b0')).toMatchObject({ done: false });
    expect(store.saved).toMatchObject({ hour: iso(H), shard: 0 });
    let runs = 1;
    for (;;) {
      const r = await sealClosedHours(startDeps(store, 1, 5), { now, shouldStop: () => true });
      runs++;
      if (r.done) break;
      // Until its backfill is done the tenant's hours wait: no chain yet.
      expect(store.heads.get('b0')).toBeUndefined();
    }
    expect(runs).toBeGreaterThan(3);
    // The same digests as an uncut run (b0's differ only by the fresh salts of its legacy entries).
    expect(view(store).filter(([t]) => t !== 'b0')).toEqual(view(whole).filter(([t]) => t !== 'b0'));
    const shape = (s: MemoryStartStore) => s.digests.get('b0')!.map((d) => [d.periodStart, d.count]);
    expect(shape(store)).toEqual(shape(whole));
    const b0 = store.digests.get('b0')!;
    expect(b0[0]!.previousDigestHash).toBeNull();
    for (let i = 1; i < b0.length; i++) expect(b0[i]!.previousDigestHash).toBe(b0[i - 1]!.digestHash);
    expect(store.states.get('b0')).toMatchObject({
      done: true,
      cursor: { oldestHour: iso(H - 5 * 3_600_000) },
    });
  });

  it('never backfills a tenant whose chain has started', async () => {
    const store = startStore(legacyOfB0());
    store.heads.set('b0', { digestHash: 'ab'.repeat(32), periodStart: iso(H - 3_600_000) });
    await store.saveCursor({ hour: iso(H), shard: 0 });
    const run = await sealClosedHours(startDeps(store), { now });
    expect(run.enriched).toBe(0);
    expect(store.states.has('b0')).toBe(false);
    expect([...store.legacy.values()].every((e) => !e.integrity)).toBe(true);
    // Its chain goes on from its head; the other tenants each cost one legacy page, once.
    expect(store.digests.get('b0')!.map((d) => d.count)).toEqual([17, 22, 27]);
    expect(store.legacyPages).toBe(5);
    await sealClosedHours(startDeps(store), { now: new Date(now.getTime() + 3_600_000) });
    expect(store.legacyPages).toBe(5);
  });
});

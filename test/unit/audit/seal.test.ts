import { createHash } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { localDigestSigner } from '../../../shared/adapters/kms/digest-signer.ts';
import type { AuditDigest } from '../../../shared/domain/audit/digest.ts';
import { MerkleBuilder } from '../../../shared/domain/audit/merkle.ts';
import {
  type SealCursorLike,
  type SealStore,
  sealClosedHours,
} from '../../../shared/use-cases/audit/seal.ts';

/** The DynamoDB store's semantics in memory: bySeal pages in (tenant, id) order, conditional appends. */
class MemorySealStore implements SealStore {
  readonly digests = new Map<string, AuditDigest[]>();
  readonly heads = new Map<string, { digestHash: string; periodStart: string }>();
  saved: SealCursorLike | null = null;
  constructor(private readonly rows: Map<string, { tenantId: string; id: string; hash: string }[]>) {}
  async head(t: string) {
    return this.heads.get(t) ?? null;
  }
  async append(t: string, d: AuditDigest, prev: { digestHash: string } | null) {
    if ((this.heads.get(t)?.digestHash ?? null) !== (prev?.digestHash ?? null)) return false;
    this.digests.set(t, [...(this.digests.get(t) ?? []), d]);
    this.heads.set(t, { digestHash: d.digestHash, periodStart: d.periodStart });
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

  it('starts the very first run at the oldest backfilled hour when that is older than a day', async () => {
    const store = new MemorySealStore(dataset());
    const late = new Date(H + 30 * 3_600_000 + 6 * 60_000);
    // Without firstHour the first run looks back one day only: the dataset's hours are older.
    expect((await sealClosedHours(deps(new MemorySealStore(dataset())), { now: late })).digests).toBe(0);
    const first = await sealClosedHours(deps(store), { now: late, firstHour: new Date(H).toISOString() });
    expect(first.digests).toBe(18);
    // Once the cursor exists, firstHour changes nothing.
    expect(
      (await sealClosedHours(deps(store), { now: late, firstHour: new Date(H).toISOString() })).digests,
    ).toBe(0);
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
    // Without fromHour, a run for some tenants starts where a first run would (firstHour here).
    const fresh = new MemorySealStore(dataset());
    const late = new Date(H + 30 * 3_600_000 + 6 * 60_000);
    const first = await sealClosedHours(deps(fresh), {
      now: late,
      tenants: ['a0'],
      firstHour: new Date(H).toISOString(),
    });
    expect(first.digests).toBe(3);
    expect(fresh.saved).toBeNull();
    expect((await sealClosedHours(deps(fresh), { now, tenants: [] })).digests).toBe(0);
  });
});

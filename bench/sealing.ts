import { createHash } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { localDigestSigner } from '../shared/adapters/kms/digest-signer.ts';
import type { AuditDigest } from '../shared/domain/audit/digest.ts';
import { type SealStore, sealClosedHours } from '../shared/use-cases/audit/seal.ts';
import type { Section } from './lib/report.ts';

/**
 * Sealing: entries sealed per second (CPU of the sealer: paging, Merkle trees, digest hashes,
 * signatures, chain bookkeeping) over an in-memory store with DynamoDB's page size, and the read
 * units it costs per entry, from the size of a bySeal index item (keys + hash) and DynamoDB's
 * rounding (eventually consistent Query: 0.5 RCU per 4 KB of a page; consistent GetItem of the
 * head: 1 RCU per digest). Local P-256 signing stands in for KMS (one Sign call per digest in AWS).
 */
const ITEM_BYTES = 8 + 16 + 2 + 40 + 1 + 40 + 2 + 64 + 100; // sl, ss, pk (names + values), h, overhead
const PAGE_ITEMS = Math.floor((1024 * 1024) / ITEM_BYTES);

function store(
  rows: { tenantId: string; id: string; hash: string }[],
): SealStore & { digests: number; leafBytes: number; leafWcu: number } {
  const heads = new Map<string, { digestHash: string; periodStart: string }>();
  const s = {
    digests: 0,
    head: async (t: string) => heads.get(t) ?? null,
    append: async (t: string, d: AuditDigest) => {
      heads.set(t, { digestHash: d.digestHash, periodStart: d.periodStart });
      s.digests++;
      return true;
    },
    putKey: async () => {},
    leafBytes: 0,
    leafWcu: 0,
    putLeaves: async (_t: string, _p: string, _start: number, leaves: { id: string; hash: string }[]) => {
      // As stored: ids newline-joined, hashes as 32 raw bytes each, plus the keys and names.
      const bytes = leaves.reduce((n, l) => n + l.id.length + 1 + 32, 0) + 90;
      s.leafBytes += bytes;
      s.leafWcu += Math.ceil(bytes / 1024);
    },
    cursor: async () => null,
    saveCursor: async () => {},
    sealPage: async (_hour: string, shard: number, startKey?: Record<string, unknown>) => {
      if (shard !== 0) return { items: [] };
      const from = Number(startKey?.at ?? 0);
      return {
        items: rows.slice(from, from + PAGE_ITEMS),
        nextKey: from + PAGE_ITEMS < rows.length ? { at: from + PAGE_ITEMS } : undefined,
      };
    },
  };
  return s;
}

async function run(tenants: number, perTenant: number) {
  const rows: { tenantId: string; id: string; hash: string }[] = [];
  for (let t = 0; t < tenants; t++) {
    for (let i = 0; i < perTenant; i++) {
      rows.push({
        tenantId: `t${String(t).padStart(6, '0')}`,
        id: `01J${String(i).padStart(23, '0')}`,
        hash: createHash('sha256').update(`${t}:${i}`).digest('hex'),
      });
    }
  }
  const s = store(rows);
  const hour = Date.parse('2026-11-30T08:00:00.000Z');
  const started = process.hrtime.bigint();
  const result = await sealClosedHours(
    {
      store: s,
      signer: localDigestSigner(join(tmpdir(), `logbook-bench-seal-${process.pid}.pem`)),
      clock: { now: () => new Date() },
      shards: 8,
    },
    { now: new Date(hour + 2 * 3_600_000), fromHour: new Date(hour).toISOString() },
  );
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const entries = rows.length;
  const queryRcu = Math.ceil((entries * ITEM_BYTES) / 4096) * 0.5 + 7 * 0.5; // + 7 empty shards
  const headRcu = result.digests * 1;
  return {
    entries,
    digests: result.digests,
    seconds,
    rcuPerEntry: (queryRcu + headRcu) / entries,
    leafWcuPerEntry: s.leafWcu / entries,
    leafBytesPerEntry: s.leafBytes / entries,
  };
}

export async function sealing(o: { quick: boolean }): Promise<Section> {
  const big = o.quick ? 20_000 : 100_000;
  const many = o.quick ? 2_000 : 10_000;
  const one = await run(1, big);
  const spread = await run(many, 3);
  const row = (label: string, r: Awaited<ReturnType<typeof run>>) => [
    label,
    r.entries,
    r.digests,
    r.entries / r.seconds,
    r.rcuPerEntry,
    (r.digests * 4) / r.entries,
    r.leafWcuPerEntry,
    r.leafBytesPerEntry,
  ];
  return {
    id: 'sealing',
    title: 'Sealing: entries sealed per second and read units per entry (one hour)',
    baseline: 'none (absolute figures; the sealer has no earlier version)',
    columns: [
      'hour',
      'entries',
      'digests',
      'entries sealed / s',
      'RCU / entry',
      'WCU / entry (digest + head, transactional)',
      'WCU / entry (leaf list pages)',
      'leaf list bytes / entry',
    ],
    rows: [
      row(`1 tenant × ${big.toLocaleString('en-GB')}`, one),
      row(`${many.toLocaleString('en-GB')} tenants × 3`, spread),
    ],
    notes: [
      `${o.quick ? 'Quick sizes' : 'Full sizes'}: one tenant with ${big.toLocaleString('en-GB')} entries in the hour; ${many.toLocaleString('en-GB')} tenants with 3 each (full run: 100,000 and 10,000).`,
      `CPU of sealClosedHours over an in-memory store paged like bySeal (${PAGE_ITEMS.toLocaleString('en-GB')} items of ≈ ${ITEM_BYTES} bytes per 1 MB page), local P-256 signing; DynamoDB and KMS latency are not in it (in AWS: one Query page per ${PAGE_ITEMS.toLocaleString('en-GB')} entries, and per digest a consistent GetItem of the head, a KMS Sign and one 2-item transaction, 16 tenants at once).`,
      'RCU: the bySeal Query, eventually consistent, 0.5 RCU per 4 KB, plus 1 RCU per digest for the head. WCU: a transaction of two items under 1 KB costs 2 × 2 WCU.',
      'Leaf list: each digest stores its (id, hash) leaves in the State table, pages of up to 1,000 written once (a conditional PutItem, 1 WCU per KB started) before the digest; `GET /v1/audit-digests/{id}/leaves` serves them so `npm run verify` can name a removed entry.',
    ],
    data: { one, spread },
  };
}

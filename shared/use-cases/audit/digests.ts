import type { JWK } from 'jose';
import { type AuditDigest, hourStart, LEAF_PAGE, type Leaf } from '../../domain/audit/digest.ts';
import { auditPath, MerkleBuilder } from '../../domain/audit/merkle.ts';
import type { UserCaller } from '../../domain/caller.ts';
import { ConflictError, NotFoundError } from '../../domain/errors.ts';
import type { Clock } from '../../domain/time.ts';
import type { AuditEventReader } from './ports.ts';
import { assertAuditReader } from './query.ts';

/** What the digest routes read (shared/adapters/dynamodb/digest-store.ts). */
export interface DigestReader {
  list(
    tenantId: string,
    q: { from: string; to: string; after?: string; limit: number },
  ): Promise<{ items: AuditDigest[]; last: string | null }>;
  digest(tenantId: string, periodStart: string): Promise<AuditDigest | null>;
  keys(): Promise<JWK[]>;
  hourHashes(tenantId: string, hour: string): Promise<{ id: string; hash: string }[]>;
  leaves(tenantId: string, periodStart: string, start: number): Promise<Leaf[] | null>;
}

export interface DigestRouteDeps {
  digests: DigestReader;
  entries: Pick<AuditEventReader, 'get'>;
  clock: Clock;
}

const EARLIEST = '0000-01-01T00:00:00.000Z';

/** The cursor is the last periodStart returned, base64url; the tenant always comes from the token. */
const encodeCursor = (periodStart: string) => Buffer.from(periodStart, 'utf8').toString('base64url');
function decodeCursor(cursor: string): string {
  const at = Buffer.from(cursor, 'base64url').toString('utf8');
  if (!/^\d{4}-\d\d-\d\dT\d\d:00:00\.000Z$/.test(at)) throw new NotFoundError('Unknown cursor.');
  return at;
}

export async function listDigests(
  deps: DigestRouteDeps,
  caller: UserCaller,
  q: { from?: string; to?: string; limit: number; cursor?: string },
) {
  assertAuditReader(caller);
  const after = q.cursor ? decodeCursor(q.cursor) : undefined;
  const page = await deps.digests.list(caller.tenantId, {
    from: q.from ?? EARLIEST,
    to: q.to ?? deps.clock.now().toISOString(),
    after,
    limit: q.limit,
  });
  return { items: page.items, nextCursor: page.last ? encodeCursor(page.last) : null };
}

export async function listDigestKeys(deps: DigestRouteDeps, caller: UserCaller) {
  assertAuditReader(caller);
  return { keys: await deps.digests.keys() };
}

/** RFC 6962 audit path of the entry in its hour's digest; 409 until the hour is sealed with it. */
export async function entryProof(deps: DigestRouteDeps, caller: UserCaller, id: string) {
  assertAuditReader(caller);
  const nowEpoch = Math.floor(deps.clock.now().getTime() / 1000);
  const entry = await deps.entries.get(caller.tenantId, id, nowEpoch);
  if (!entry) throw new NotFoundError('No audit entry with this id.');
  const hour = hourStart(Date.parse(entry.recordedAt));
  const digest = entry.integrity ? await deps.digests.digest(caller.tenantId, hour) : null;
  if (!digest) throw new ConflictError("The entry's hour is not sealed yet; try again after it closes.");
  const hashes = await deps.digests.hourHashes(caller.tenantId, hour);
  const leafIndex = hashes.findIndex((h) => h.id === id);
  const leaves = hashes.map((h) => Buffer.from(h.hash, 'hex'));
  const merkle = new MerkleBuilder();
  for (const leaf of leaves) merkle.add(leaf);
  if (leafIndex < 0 || hashes.length !== digest.count || merkle.root().toString('hex') !== digest.rootHash) {
    throw new ConflictError(
      "The entry is not in its hour's digest: the hour was sealed before it was recorded.",
    );
  }
  return {
    entryHash: entry.integrity!.hash,
    digestId: digest.id,
    leafIndex,
    treeSize: digest.count,
    path: auditPath(leaves, leafIndex).map((p) => p.toString('hex')),
  };
}

/**
 * One page of a digest's leaf list, as stored at sealing (pages of LEAF_PAGE from leaf 0). The
 * cursor is the next page's first leaf. 404 for an unknown digest, and for one sealed before leaf
 * lists were kept (or whose list is gone): nothing here is trusted until it rebuilds the root.
 */
export async function digestLeaves(
  deps: DigestRouteDeps,
  caller: UserCaller,
  q: { id: string; cursor?: string },
) {
  assertAuditReader(caller);
  const periodStart = `${q.id.slice(3)}:00:00.000Z`;
  const start = q.cursor ? decodeLeafCursor(q.cursor) : 0;
  const digest = await deps.digests.digest(caller.tenantId, periodStart);
  if (!digest) throw new NotFoundError('No digest with this id.');
  const items = start < digest.count ? await deps.digests.leaves(caller.tenantId, periodStart, start) : [];
  if (!items)
    throw new NotFoundError('No leaf list is stored for this digest (sealed before leaf lists were kept).');
  const next = start + items.length;
  return {
    digestId: digest.id,
    start,
    items,
    nextCursor: items.length > 0 && next < digest.count ? encodeLeafCursor(next) : null,
  };
}

const encodeLeafCursor = (start: number) => Buffer.from(`leaf:${start}`, 'utf8').toString('base64url');
function decodeLeafCursor(cursor: string): number {
  const m = /^leaf:(\d{1,9})$/.exec(Buffer.from(cursor, 'base64url').toString('utf8'));
  if (!m || Number(m[1]) % LEAF_PAGE !== 0) throw new NotFoundError('Unknown cursor.');
  return Number(m[1]);
}

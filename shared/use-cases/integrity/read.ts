import { addMonthsUtc } from '../../domain/audit/time.ts';
import { ConflictError, NotFoundError, ValidationError } from '../../domain/errors.ts';
import { type Digest, hourStart, type PublicJwk } from '../../domain/integrity/digest.ts';
import { auditPath, merkleRoot } from '../../domain/integrity/merkle.ts';
import type { UserCaller } from '../../http/caller.ts';
import { decodeCursor, encodeCursor } from '../../query/cursor.ts';
import type { AuditEventReader } from '../audit/ports.ts';
import { assertAuditReader } from '../audit/query.ts';
import type { DigestStore, SealLeaf } from './ports.ts';

export interface DigestReadDeps {
  digests: DigestStore;
  entries: AuditEventReader;
  clock: () => Date;
  signingKey: () => Promise<Uint8Array>;
}

export interface DigestListInput {
  from?: string;
  to?: string;
  limit: number;
  cursor?: string;
}

const LIST = 'audit-digests';

/** Digests with `periodStart` in [from, to), oldest first. Default window: the 3 months before now. */
export async function listDigests(
  deps: DigestReadDeps,
  caller: UserCaller,
  input: DigestListInput,
): Promise<{ items: Digest[]; nextCursor: string | null }> {
  assertAuditReader(caller);
  const to = input.to ?? deps.clock().toISOString();
  const from = input.from ?? addMonthsUtc(new Date(to), -3).toISOString();
  if (from > to) throw new ValidationError([{ path: 'from', message: 'must not be after `to`' }]);
  const binding = { tenantId: caller.tenantId, list: LIST, filters: { from, to } };
  const key = await deps.signingKey();
  const after = input.cursor ? decodeCursor(key, binding, input.cursor) : undefined;
  const items = await deps.digests.list(caller.tenantId, { from, to, limit: input.limit + 1, after });
  const page = items.slice(0, input.limit);
  const more = items.length > input.limit;
  return {
    items: page,
    nextCursor: more ? encodeCursor(key, binding, page[page.length - 1]!.periodStart) : null,
  };
}

/** Every key that ever signed a digest (none is ever removed, so old digests still verify). */
export async function listDigestKeys(
  deps: DigestReadDeps,
  caller: UserCaller,
): Promise<{ keys: PublicJwk[] }> {
  assertAuditReader(caller);
  return { keys: await deps.digests.keys() };
}

/**
 * The leaf list a digest sealed (entry ids and hashes, in tree order), paged by position. With
 * it a verifier names the entries removed or added since sealing, not only that the root differs.
 */
export async function listDigestLeaves(
  deps: DigestReadDeps,
  caller: UserCaller,
  id: string,
  page: { limit: number; cursor?: string },
): Promise<{ digestId: string; items: SealLeaf[]; nextCursor: string | null }> {
  assertAuditReader(caller);
  const prefix = `dg_${caller.tenantId}_`;
  const hour = id.startsWith(prefix) ? id.slice(prefix.length) : '';
  if (!/^\d{10}$/.test(hour)) throw new NotFoundError('No digest with this id.');
  const periodStart = `${hour.slice(0, 4)}-${hour.slice(4, 6)}-${hour.slice(6, 8)}T${hour.slice(8, 10)}:00:00.000Z`;
  const digest = await deps.digests.get(caller.tenantId, periodStart);
  if (!digest || digest.id !== id) throw new NotFoundError('No digest with this id.');
  const binding = { tenantId: caller.tenantId, list: 'audit-digest-leaves', filters: { id } };
  const key = await deps.signingKey();
  const start = page.cursor ? Number(decodeCursor(key, binding, page.cursor)) : 0;
  const leaves = await deps.digests.leaves(caller.tenantId, periodStart);
  const items = leaves.slice(start, start + page.limit);
  const next = start + items.length;
  return {
    digestId: id,
    items,
    nextCursor: next < leaves.length ? encodeCursor(key, binding, String(next)) : null,
  };
}

export interface EntryProof {
  entryHash: string;
  digestId: string;
  leafIndex: number;
  treeSize: number;
  path: string[];
}

/**
 * The RFC 6962 audit path of an entry in its hour's digest, from the leaf list sealed with the
 * digest. 409 while the hour is not sealed, and for an entry the sealed list does not hold
 * (recorded into an hour after it was sealed, which only a local simulation can do).
 */
export async function getEntryProof(
  deps: DigestReadDeps,
  caller: UserCaller,
  id: string,
): Promise<EntryProof> {
  assertAuditReader(caller);
  const now = deps.clock();
  const entry = await deps.entries.get(caller.tenantId, id, Math.floor(now.getTime() / 1000));
  if (!entry) throw new NotFoundError('No audit entry with this id.');
  const entryHash = entry.integrity?.hash;
  const periodStart = hourStart(entry.recordedAt);
  const digest = entryHash ? await deps.digests.get(caller.tenantId, periodStart) : null;
  if (!entryHash || !digest) {
    throw new ConflictError(
      'The hour of this entry is not sealed yet; digests are made after each hour closes.',
    );
  }
  const leaves = await deps.digests.leaves(caller.tenantId, periodStart);
  const index = leaves.findIndex((l) => l.id === entry.id);
  if (index < 0)
    throw new ConflictError('This entry was recorded after its hour was sealed; it is not in the digest.');
  const hashes = leaves.map((l) => Buffer.from(l.hash, 'hex'));
  if (merkleRoot(hashes).toString('hex') !== digest.rootHash || leaves[index]!.hash !== entryHash) {
    throw new ConflictError('The sealed hour no longer matches its digest; run `npm run verify`.');
  }
  return {
    entryHash,
    digestId: digest.id,
    leafIndex: index,
    treeSize: leaves.length,
    path: auditPath(hashes, index).map((h) => h.toString('hex')),
  };
}

import pLimit from 'p-limit';
import {
  type Digest,
  digestHashOf,
  digestId,
  hourEnd,
  isClosed,
  type UnsignedDigest,
} from '../../domain/integrity/digest.ts';
import { merkleRoot } from '../../domain/integrity/merkle.ts';
import type { DigestSigner, DigestStore, HourMark, SealIndex } from './ports.ts';

export interface SealDeps {
  index: SealIndex;
  digests: DigestStore;
  signer: DigestSigner;
  clock: () => Date;
  /** Tenants sealed at once. */
  concurrency?: number;
  /** Marks taken per run. */
  batch?: number;
  /** Local extension: only this tenant (tests sharing one stack stay apart). */
  onlyTenant?: string;
}

export interface SealResult {
  /** Digests this run created. */
  digests: number;
  /** Entries sealed into them. */
  entries: number;
  /** Seconds since the end of the oldest closed hour still without a digest after this run (0: none). */
  oldestUnsealedAgeSeconds: number;
  /** Hours that failed this run (retried by the next); later hours of their tenant wait. */
  failures: { tenantId: string; periodStart: string; error: unknown }[];
}

/**
 * Seals every closed hour that has a mark: per tenant oldest first, one digest per (tenant,
 * hour), chained by `previousDigestHash`. Exactly once: the digest and the chain head move in
 * one conditional transaction, so a second sealer (or a retry after a crash) loses and moves on.
 * An hour older than the tenant's head (only possible when a local simulation sealed ahead of
 * time) is never sealed: its entries stay unsealed and `npm run verify` reports them.
 */
export async function sealClosedHours(deps: SealDeps): Promise<SealResult> {
  const now = deps.clock();
  const marks = (await deps.digests.closedMarks(now, deps.batch ?? 5000)).filter(
    (m) => isClosed(m.periodStart, now) && (!deps.onlyTenant || m.tenantId === deps.onlyTenant),
  );
  const byTenant = new Map<string, HourMark[]>();
  for (const m of marks) byTenant.set(m.tenantId, [...(byTenant.get(m.tenantId) ?? []), m]);

  const jwk = await deps.signer.publicJwk();
  if (byTenant.size > 0) await deps.digests.registerKey(jwk, now.toISOString());

  const result: SealResult = { digests: 0, entries: 0, oldestUnsealedAgeSeconds: 0, failures: [] };
  let oldestUnsealed: string | undefined;
  const limit = pLimit(deps.concurrency ?? 16);
  await Promise.all(
    [...byTenant].map(([tenantId, hours]) =>
      limit(async () => {
        hours.sort((a, b) => (a.periodStart < b.periodStart ? -1 : 1));
        for (const [i, { periodStart }] of hours.entries()) {
          try {
            const sealed = await sealHour(deps, jwk.kid, tenantId, periodStart);
            if (sealed) {
              result.digests++;
              result.entries += sealed;
            }
          } catch (err) {
            // The chain must follow the hours: a later hour waits for this one.
            const first = hours[i]!.periodStart;
            if (!oldestUnsealed || first < oldestUnsealed) oldestUnsealed = first;
            result.failures.push({ tenantId, periodStart: first, error: err });
            return;
          }
        }
      }),
    ),
  );
  if (oldestUnsealed) {
    result.oldestUnsealedAgeSeconds = Math.max(
      0,
      Math.floor((now.getTime() - Date.parse(hourEnd(oldestUnsealed))) / 1000),
    );
  }
  return result;
}

/** Seals one hour; the number of entries sealed, or 0 when there was nothing to do. */
export async function sealHour(
  deps: Pick<SealDeps, 'index' | 'digests' | 'signer' | 'clock'>,
  keyId: string,
  tenantId: string,
  periodStart: string,
  attempt = 0,
): Promise<number> {
  const head = await deps.digests.head(tenantId);
  if (head && head.periodStart >= periodStart) {
    // Sealed already (this hour), or sealed past it: either way this mark is done.
    await deps.digests.clearMark(tenantId, periodStart);
    return 0;
  }
  const leaves = await deps.index.hourLeaves(tenantId, periodStart);
  if (leaves.length === 0) {
    await deps.digests.clearMark(tenantId, periodStart);
    return 0;
  }
  await deps.digests.saveLeaves(tenantId, periodStart, leaves);
  const unsigned: UnsignedDigest = {
    id: digestId(tenantId, periodStart),
    periodStart,
    periodEnd: hourEnd(periodStart),
    count: leaves.length,
    rootHash: merkleRoot(leaves.map((l) => Buffer.from(l.hash, 'hex'))).toString('hex'),
    previousDigestHash: head?.digestHash ?? null,
    keyId,
    createdAt: deps.clock().toISOString(),
  };
  const digestHash = digestHashOf(unsigned);
  const signature = Buffer.from(await deps.signer.sign(Buffer.from(digestHash, 'ascii'))).toString(
    'base64url',
  );
  const digest: Digest = { ...unsigned, digestHash, signature };
  if ((await deps.digests.commit(tenantId, digest, head)) === 'lost') {
    // Another sealer moved the head: it sealed this hour (the next look clears the mark) or an
    // earlier one (the next look seals this hour after it).
    if (attempt >= 3) throw new Error(`sealing ${tenantId} ${periodStart}: the chain head keeps moving`);
    return sealHour(deps, keyId, tenantId, periodStart, attempt + 1);
  }
  await deps.digests.clearMark(tenantId, periodStart);
  return leaves.length;
}

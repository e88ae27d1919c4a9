import { createHash } from 'node:crypto';
import canonicalize from 'canonicalize';

/**
 * An hour's digest (API.md "Trust → Integrity"): the RFC 6962 root over the tenant's entries of
 * one UTC hour (by recordedAt), chained to the tenant's previous digest and signed.
 */
export interface AuditDigest {
  id: string;
  periodStart: string;
  periodEnd: string;
  count: number;
  rootHash: string;
  previousDigestHash: string | null;
  digestHash: string;
  signature: string;
  keyId: string;
  createdAt: string;
}

export type UnsignedDigest = Omit<AuditDigest, 'digestHash' | 'signature'>;

export const HOUR_MS = 60 * 60 * 1000;

/**
 * How long after an hour's end it is sealed. An entry's recordedAt is taken before its write; the
 * write lands within the ingest function's timeout (29 s), and the bySeal index follows the
 * table within about a second. Five minutes leave a wide margin over both, and the sealer runs
 * every 5 minutes, so an hour is sealed 5–10 minutes after it ends.
 */
export const SEAL_GRACE_MS = 5 * 60 * 1000;

/** Hex SHA-256 of the RFC 8785 canonical JSON of the digest's fields but digestHash and signature. */
export function digestHashOf(d: UnsignedDigest): string {
  const fields: UnsignedDigest = {
    id: d.id,
    periodStart: d.periodStart,
    periodEnd: d.periodEnd,
    count: d.count,
    rootHash: d.rootHash,
    previousDigestHash: d.previousDigestHash,
    keyId: d.keyId,
    createdAt: d.createdAt,
  };
  return createHash('sha256')
    .update(canonicalize(fields) ?? '')
    .digest('hex');
}

/** `2026-12-02T10:00:00.000Z` for the hour holding `at`. */
export function hourStart(at: number): string {
  return new Date(Math.floor(at / HOUR_MS) * HOUR_MS).toISOString();
}

/** The start (ms) of the last hour closed at `now`: one whose end plus the grace has passed. */
export function lastClosedHour(now: number, graceMs = SEAL_GRACE_MS): number {
  return Math.floor((now - graceMs) / HOUR_MS) * HOUR_MS - HOUR_MS;
}

/** The digest's id: its tenant-unique hour, `dg-2026-12-02T10`. */
export function digestId(periodStart: string): string {
  return `dg-${periodStart.slice(0, 13)}`;
}

/** One leaf of a digest's tree: the entry's id and its `integrity.hash`, in Merkle (id) order. */
export interface Leaf {
  id: string;
  hash: string;
}

/**
 * Leaves per stored page of a digest's leaf list. Pages start at multiples of it, so a run
 * stopped (or crashed) midway and resumed writes exactly the same pages.
 */
export const LEAF_PAGE = 1000;

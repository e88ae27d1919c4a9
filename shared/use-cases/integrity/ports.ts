import type { Digest, PublicJwk } from '../../domain/integrity/digest.ts';

/** One sealed leaf: an entry id and its `integrity.hash`. */
export interface SealLeaf {
  id: string;
  hash: string;
}

/** A (tenant, hour) that has entries and may not be sealed yet. */
export interface HourMark {
  tenantId: string;
  periodStart: string;
}

/** Written by ingest: "this tenant has entries recorded in this hour". Cheap and idempotent. */
export interface HourMarker {
  mark(tenantId: string, periodStart: string): Promise<void>;
}

/** The hour's entries as the seal index holds them (audit table). */
export interface SealIndex {
  /** Every entry recorded in the hour, with its hash, ordered by id (byte-wise). */
  hourLeaves(tenantId: string, periodStart: string): Promise<SealLeaf[]>;
}

export interface ChainHead {
  periodStart: string;
  digestHash: string;
}

/** Digests, the chain head, the sealed leaf lists, hour marks and the key registry (state table). */
export interface DigestStore extends HourMarker {
  /** Marks whose hour closed by `closedBy` (hour end + grace ≤ now), oldest first per tenant. */
  closedMarks(now: Date, limit: number): Promise<HourMark[]>;
  clearMark(tenantId: string, periodStart: string): Promise<void>;
  head(tenantId: string): Promise<ChainHead | null>;
  /** Stores the hour's leaf list; idempotent (a retry writes the same list). */
  saveLeaves(tenantId: string, periodStart: string, leaves: readonly SealLeaf[]): Promise<void>;
  /**
   * Writes the digest and moves the head from `previous` to it in one transaction. `lost` when
   * the head is no longer `previous` or the digest exists: another sealer got there first.
   */
  commit(tenantId: string, digest: Digest, previous: ChainHead | null): Promise<'created' | 'lost'>;
  registerKey(jwk: PublicJwk, at: string): Promise<void>;
  keys(): Promise<PublicJwk[]>;
  /** Digests with `periodStart` in [from, to), oldest first, after `after` (a periodStart). */
  list(tenantId: string, q: { from: string; to: string; limit: number; after?: string }): Promise<Digest[]>;
  get(tenantId: string, periodStart: string): Promise<Digest | null>;
  leaves(tenantId: string, periodStart: string): Promise<SealLeaf[]>;
}

/** Signs digests with a key that never leaves it (KMS in AWS, node:crypto locally). */
export interface DigestSigner {
  publicJwk(): Promise<PublicJwk>;
  /** ECDSA P-256 / SHA-256 over `message`, IEEE P1363 (r‖s). */
  sign(message: Uint8Array): Promise<Uint8Array>;
}

import { createPublicKey, verify as verifySignature } from 'node:crypto';
import { z } from 'zod';
import { canonicalHash } from './entry-hash.ts';

/**
 * A digest seals one tenant's entries of one UTC hour (by `recordedAt`). The fields are exactly
 * the contract's; `digestHash` is the SHA-256 of the RFC 8785 canonical JSON of every other field
 * but `signature`, and `signature` is ECDSA P-256 / SHA-256 (IEEE P1363 r‖s, base64url) over
 * the ASCII bytes of `digestHash`.
 */
export const HOUR_MS = 60 * 60 * 1000;

/**
 * An hour closes this long after it ends. Longer than the ingest path's longest write (its
 * Lambda times out after 29 s, the SDK's retries included) plus the seal index's propagation
 * (a GSI, normally under a second): an entry acknowledged before the hour ended is stored and
 * indexed before the hour is sealed.
 */
export const SEAL_GRACE_MS = 2 * 60 * 1000;

const hex64 = z.string().regex(/^[0-9a-f]{64}$/, 'must be 64 lower-case hex digits');

export const digestSchema = z
  .object({
    id: z.string().meta({ description: '`dg_<tenantId>_<yyyymmddhh>`: one digest per tenant and hour' }),
    periodStart: z.string().meta({ description: 'Start of the UTC hour (inclusive), by `recordedAt`' }),
    periodEnd: z.string().meta({ description: 'End of the hour (exclusive)' }),
    count: z.number().int().min(1).meta({ description: 'Entries sealed: the Merkle tree size' }),
    rootHash: hex64.meta({
      description:
        'RFC 6962 Merkle tree hash (SHA-256) over the entries’ `integrity.hash` (32 raw bytes each), ordered by `id` ' +
        '(byte-wise, as ASCII): leaf = SHA-256(0x00 ‖ hash), node = SHA-256(0x01 ‖ left ‖ right)',
    }),
    previousDigestHash: hex64.nullable().meta({
      description: 'The `digestHash` of the tenant’s previous digest (by hour); null for the first',
    }),
    digestHash: hex64.meta({
      description:
        'hex SHA-256 of the RFC 8785 canonical JSON of {id, periodStart, periodEnd, count, rootHash, previousDigestHash, keyId, createdAt}',
    }),
    signature: z.string().meta({
      description:
        'ECDSA P-256 with SHA-256 over the 64 ASCII bytes of `digestHash`; IEEE P1363 (r‖s, 64 bytes), base64url',
    }),
    keyId: z.string().meta({ description: '`kid` of the signing key in GET /v1/audit-digests/keys' }),
    createdAt: z.string(),
  })
  .meta({ id: 'AuditDigest', description: 'One tenant’s sealed hour' });
export type Digest = z.infer<typeof digestSchema>;
export type UnsignedDigest = Omit<Digest, 'digestHash' | 'signature'>;

/** `2026-12-02T10:15:00.000Z` → `2026-12-02T10:00:00.000Z`. */
export function hourStart(iso: string): string {
  return `${iso.slice(0, 13)}:00:00.000Z`;
}

export function hourEnd(periodStart: string): string {
  return new Date(Date.parse(periodStart) + HOUR_MS).toISOString();
}

/** True once the hour starting at `periodStart` is closed at `now` (its end + the grace). */
export function isClosed(periodStart: string, now: Date): boolean {
  return Date.parse(periodStart) + HOUR_MS + SEAL_GRACE_MS <= now.getTime();
}

export function digestId(tenantId: string, periodStart: string): string {
  return `dg_${tenantId}_${periodStart.slice(0, 13).replace(/[-T]/g, '')}`;
}

export function digestHashOf(d: UnsignedDigest): string {
  return canonicalHash({
    id: d.id,
    periodStart: d.periodStart,
    periodEnd: d.periodEnd,
    count: d.count,
    rootHash: d.rootHash,
    previousDigestHash: d.previousDigestHash,
    keyId: d.keyId,
    createdAt: d.createdAt,
  });
}

/** A public signing key as GET /v1/audit-digests/keys lists it. */
export const publicJwkSchema = z
  .object({
    kty: z.literal('EC'),
    crv: z.literal('P-256'),
    x: z.string(),
    y: z.string(),
    kid: z.string().meta({ description: 'RFC 7638 JWK thumbprint (SHA-256, base64url) of the key' }),
    alg: z.literal('ES256'),
    use: z.literal('sig'),
  })
  .meta({ id: 'DigestKey' });
export type PublicJwk = z.infer<typeof publicJwkSchema>;

export function verifyDigestSignature(
  digest: Pick<Digest, 'digestHash' | 'signature'>,
  jwk: PublicJwk,
): boolean {
  try {
    const key = createPublicKey({ key: { kty: jwk.kty, crv: jwk.crv, x: jwk.x, y: jwk.y }, format: 'jwk' });
    return verifySignature(
      'sha256',
      Buffer.from(digest.digestHash, 'ascii'),
      { key, dsaEncoding: 'ieee-p1363' },
      Buffer.from(digest.signature, 'base64url'),
    );
  } catch {
    return false;
  }
}

import { createHash } from 'node:crypto';
import canonicalize from 'canonicalize';
import { encodeTime } from 'ulidx';

const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/**
 * A ULID for a record sent without an id, derived from what it says: the time part is
 * `occurredAt` (so ids still sort by time), the 80 "random" bits are the first bits of SHA-256
 * over the record's RFC 8785 canonical JSON. Sending the same record again (a batch retried
 * after a 429/503) gives the same id, so it answers `duplicate` instead of being stored twice.
 * The record must be redacted already (a hash of a secret could be guessed offline) and bounded
 * in depth (canonicalize recurses): callers pass only validated, stored-shape content.
 */
export function contentUlid(occurredAt: string, content: unknown): string {
  const digest = createHash('sha256')
    .update(canonicalize(content) ?? '')
    .digest();
  let random = '';
  // 16 Crockford digits × 5 bits = the first 80 bits of the digest.
  for (let i = 0; i < 16; i++) {
    const bit = i * 5;
    const byte = bit >> 3;
    const pair = (digest[byte]! << 8) | (digest[byte + 1] ?? 0);
    random += CROCKFORD[(pair >> (11 - (bit & 7))) & 31];
  }
  return encodeTime(Date.parse(occurredAt), 10) + random;
}

// Download tokens: `payload.mac`, both base64url. The payload names the tenant, the export and
// the expiry (epoch seconds); the HMAC-SHA256 (the service's signing key, domain-separated from
// cursors) binds them. Anything altered, unparsable or expired verifies as null — the route
// answers 404 for all of them alike, so a token reveals nothing.

import { createHmac, timingSafeEqual } from 'node:crypto';

export interface DownloadClaims {
  tenantId: string;
  exportId: string;
  /** Epoch seconds after which the link is dead. */
  expiresAt: number;
}

const VERSION = 1;

export function signDownloadToken(key: Uint8Array, claims: DownloadClaims): string {
  const payload = Buffer.from(
    JSON.stringify({ v: VERSION, t: claims.tenantId, e: claims.exportId, x: claims.expiresAt }),
  ).toString('base64url');
  return `${payload}.${mac(key, payload)}`;
}

export function verifyDownloadToken(
  key: Uint8Array,
  token: string,
  nowEpochSeconds: number,
): DownloadClaims | null {
  const [payload, tag, extra] = token.split('.');
  if (!payload || !tag || extra !== undefined) return null;
  const expected = Buffer.from(mac(key, payload));
  const given = Buffer.from(tag);
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) return null;
  let parsed: { v?: unknown; t?: unknown; e?: unknown; x?: unknown };
  try {
    parsed = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
  } catch {
    return null;
  }
  if (
    parsed.v !== VERSION ||
    typeof parsed.t !== 'string' ||
    typeof parsed.e !== 'string' ||
    typeof parsed.x !== 'number' ||
    !Number.isFinite(parsed.x)
  )
    return null;
  if (nowEpochSeconds >= parsed.x) return null;
  return { tenantId: parsed.t, exportId: parsed.e, expiresAt: parsed.x };
}

function mac(key: Uint8Array, payload: string): string {
  return createHmac('sha256', key).update(`download|${payload}`).digest('base64url');
}

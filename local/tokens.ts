import { jwtVerify, SignJWT } from 'jose';

/** Local HS256 tokens, verified by the dev gateway as API Gateway's JWT authorizer would in AWS. */
export const DEFAULT_DEV_JWT_SECRET = 'logbook-local-dev-secret';
export const LOCAL_ISSUER = 'logbook-local';
export const LOCAL_AUDIENCE = 'logbook';

export function devJwtSecret(): Uint8Array {
  return new TextEncoder().encode(process.env.DEV_JWT_SECRET || DEFAULT_DEV_JWT_SECRET);
}

export interface TokenSpec {
  sub: string;
  role: string;
  tenant?: string;
  reporting?: boolean;
  /** Lifetime, e.g. `12h`, `30d`. */
  expiresIn?: string;
}

export function mintToken(spec: TokenSpec, secret: Uint8Array = devJwtSecret()): Promise<string> {
  const claims: Record<string, unknown> = { role: spec.role };
  if (spec.tenant) claims.tenant_id = spec.tenant;
  if (spec.reporting !== undefined) claims.reporting = spec.reporting;
  return new SignJWT(claims)
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setSubject(spec.sub)
    .setIssuer(LOCAL_ISSUER)
    .setAudience(LOCAL_AUDIENCE)
    .setIssuedAt()
    .setExpirationTime(spec.expiresIn ?? '12h')
    .sign(secret);
}

/** Verified claims, or null for a missing, expired, malformed or wrongly signed token. */
export async function verifyToken(
  token: string,
  secret: Uint8Array = devJwtSecret(),
): Promise<Record<string, unknown> | null> {
  try {
    const { payload } = await jwtVerify(token, secret, {
      algorithms: ['HS256'],
      issuer: LOCAL_ISSUER,
      audience: LOCAL_AUDIENCE,
    });
    return payload as Record<string, unknown>;
  } catch {
    return null;
  }
}

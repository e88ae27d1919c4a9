import { jwtVerify, SignJWT } from 'jose';

/** Local HS256 tokens, verified by the dev gateway as API Gateway's JWT authorizer would in AWS. */
export const DEFAULT_DEV_JWT_SECRET = 'logbook-local-dev-secret';
export const LOCAL_ISSUER = 'logbook-local';
export const LOCAL_AUDIENCE = 'logbook';

/** The warning `npm start` prints while the well-known default secret signs tokens, else null. */
export function defaultSecretWarning(env: NodeJS.ProcessEnv = process.env): string | null {
  if (env.DEV_JWT_SECRET && env.DEV_JWT_SECRET !== DEFAULT_DEV_JWT_SECRET) return null;
  return (
    `WARNING: tokens are signed with the default DEV_JWT_SECRET ("${DEFAULT_DEV_JWT_SECRET}"), ` +
    'which anyone can use to mint an owner token. Set DEV_JWT_SECRET to a secret of your own ' +
    'if anyone else can reach this machine.'
  );
}

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
      // Like API Gateway's JWT authorizer: a token without an expiry is refused, not eternal.
      requiredClaims: ['exp', 'iss', 'aud'],
    });
    return payload as Record<string, unknown>;
  } catch {
    return null;
  }
}

import { SignJWT } from 'jose';
import { describe, expect, it } from 'vitest';
import {
  DEFAULT_DEV_JWT_SECRET,
  defaultSecretWarning,
  devJwtSecret,
  mintToken,
  verifyToken,
} from '../../../local/tokens.ts';

describe('local tokens', () => {
  it('verifies a token it minted and keeps its claims', async () => {
    const t = await mintToken({ sub: 'u1', role: 'curator', tenant: 't1', reporting: true });
    expect(await verifyToken(t)).toMatchObject({
      sub: 'u1',
      role: 'curator',
      tenant_id: 't1',
      reporting: true,
    });
  });

  it('rejects a token signed with another secret', async () => {
    const forged = await new SignJWT({ role: 'admin', tenant_id: 't1' })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject('u1')
      .setIssuer('logbook-local')
      .setAudience('logbook')
      .setExpirationTime('1h')
      .sign(new TextEncoder().encode('some-other-secret'));
    expect(await verifyToken(forged)).toBeNull();
  });

  it('rejects an expired token', async () => {
    const expired = await mintToken({ tenant: 't1', role: 'admin', sub: 'u1', expiresIn: '-1m' });
    expect(await verifyToken(expired)).toBeNull();
  });

  it('rejects a token with an unsigned algorithm', async () => {
    const header = Buffer.from(JSON.stringify({ alg: 'none' })).toString('base64url');
    const body = Buffer.from(JSON.stringify({ sub: 'u1', role: 'owner', tenant_id: 't1' })).toString(
      'base64url',
    );
    expect(await verifyToken(`${header}.${body}.`)).toBeNull();
  });

  it('rejects a token without exp, iss or aud, as API Gateway’s authorizer does (401)', async () => {
    const sign = (omit: 'exp' | 'iss' | 'aud') => {
      let jwt = new SignJWT({ role: 'owner', tenant_id: 't1' })
        .setProtectedHeader({ alg: 'HS256' })
        .setSubject('u1');
      if (omit !== 'iss') jwt = jwt.setIssuer('logbook-local');
      if (omit !== 'aud') jwt = jwt.setAudience('logbook');
      if (omit !== 'exp') jwt = jwt.setExpirationTime('1h');
      return jwt.sign(devJwtSecret());
    };
    for (const omit of ['exp', 'iss', 'aud'] as const) {
      expect(await verifyToken(await sign(omit)), `without ${omit}`).toBeNull();
    }
    const minted = JSON.parse(
      Buffer.from(
        (await mintToken({ sub: 'u1', role: 'owner', tenant: 't1' })).split('.')[1]!,
        'base64url',
      ).toString(),
    );
    expect(minted).toMatchObject({ iss: 'logbook-local', aud: 'logbook', exp: expect.any(Number) });
  });

  it('warns while the default dev secret signs tokens, and not with a secret of your own', () => {
    expect(defaultSecretWarning({})).toMatch(/default DEV_JWT_SECRET/);
    expect(defaultSecretWarning({ DEV_JWT_SECRET: DEFAULT_DEV_JWT_SECRET })).toMatch(/DEV_JWT_SECRET/);
    expect(defaultSecretWarning({ DEV_JWT_SECRET: 'a-long-secret-of-our-own' })).toBeNull();
  });
});

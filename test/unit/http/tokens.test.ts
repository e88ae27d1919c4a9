import { SignJWT } from 'jose';
import { describe, expect, it } from 'vitest';
import { mintToken, verifyToken } from '../../../local/tokens.ts';

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
});

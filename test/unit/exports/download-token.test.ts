import { describe, expect, it } from 'vitest';
import { signDownloadToken, verifyDownloadToken } from '../../../shared/domain/exports/download-token.ts';

const key = new TextEncoder().encode('k'.repeat(32));
const claims = { tenantId: 't1', exportId: 'EXP1', expiresAt: 2_000_000_000 };

describe('download tokens', () => {
  it('verifies a token it signed, before its expiry', () => {
    const token = signDownloadToken(key, claims);
    expect(verifyDownloadToken(key, token, claims.expiresAt - 1)).toEqual(claims);
  });

  it('rejects a token at and after its expiry', () => {
    const token = signDownloadToken(key, claims);
    expect(verifyDownloadToken(key, token, claims.expiresAt)).toBeNull();
    expect(verifyDownloadToken(key, token, claims.expiresAt + 86_400)).toBeNull();
  });

  it('rejects a token whose payload was altered (another export, tenant or a later expiry)', () => {
    const token = signDownloadToken(key, claims);
    const [, tag] = token.split('.');
    for (const forged of [
      { ...claims, exportId: 'EXP2' },
      { ...claims, tenantId: 't2' },
      { ...claims, expiresAt: claims.expiresAt + 1 },
    ]) {
      const payload = Buffer.from(
        JSON.stringify({ v: 1, t: forged.tenantId, e: forged.exportId, x: forged.expiresAt }),
      ).toString('base64url');
      expect(verifyDownloadToken(key, `${payload}.${tag}`, 0)).toBeNull();
    }
  });

  it('rejects a token signed with another key, a flipped signature character, and garbage', () => {
    const token = signDownloadToken(key, claims);
    const other = signDownloadToken(new TextEncoder().encode('x'.repeat(32)), claims);
    expect(verifyDownloadToken(key, other, 0)).toBeNull();
    const last = token.at(-1) === 'A' ? 'B' : 'A';
    expect(verifyDownloadToken(key, `${token.slice(0, -1)}${last}`, 0)).toBeNull();
    for (const junk of ['', 'abc', 'a.b', `${token}.x`, '..', token.split('.')[0]!])
      expect(verifyDownloadToken(key, junk, 0)).toBeNull();
  });

  it('is URL-safe', () => {
    expect(signDownloadToken(key, claims)).toMatch(/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/);
  });
});

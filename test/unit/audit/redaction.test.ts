import { describe, expect, it } from 'vitest';
import {
  isSensitiveField,
  REDACTED,
  redactChanges,
  redactDeep,
  redactUrl,
} from '../../../shared/domain/redaction.ts';

describe('redaction', () => {
  it.each([
    'password',
    'Password',
    'newPassword',
    'clientSecret',
    'client_secret',
    'x-api-key',
    'API Key',
    'apiKey',
    'accessToken',
    'refresh-token',
    'credentials',
    'Authorization',
    'private_key',
    'PRIVATE-KEY',
    'privateKeyPem',
  ])('treats "%s" as sensitive', (name) => {
    expect(isSensitiveField(name)).toBe(true);
  });

  it.each(['name', 'email', 'role', 'apiVersion', 'key', 'private', 'author'])('keeps "%s"', (name) => {
    expect(isSensitiveField(name)).toBe(false);
  });

  it('redacts keys at any depth, through arrays, keeping the key', () => {
    const input = {
      a: 1,
      list: [{ token: 't', ok: 'yes' }, [{ nested: { clientSecret: 's' } }], 'plain'],
      deep: { deeper: { Authorization: { scheme: 'Bearer', value: 'v' }, keep: true } },
    };
    expect(redactDeep(input)).toEqual({
      a: 1,
      list: [{ token: REDACTED, ok: 'yes' }, [{ nested: { clientSecret: REDACTED } }], 'plain'],
      deep: { deeper: { Authorization: REDACTED, keep: true } },
    });
    expect(input.list[0]).toEqual({ token: 't', ok: 'yes' });
  });

  it('redacts before and after of a sensitive change, and secrets inside other values', () => {
    expect(
      redactChanges([
        { field: 'password', before: 'a', after: 'b' },
        { field: 'apiKey', after: 'k' },
        { field: 'settings', before: { webhookSecret: 'w', url: 'u' } },
        { field: 'name', before: 'x', after: 'y' },
      ]),
    ).toEqual([
      { field: 'password', before: REDACTED, after: REDACTED },
      { field: 'apiKey', after: REDACTED },
      { field: 'settings', before: { webhookSecret: REDACTED, url: 'u' } },
      { field: 'name', before: 'x', after: 'y' },
    ]);
  });

  it('redacts sensitive query parameters of a URL', () => {
    expect(redactUrl('/api/users?access_token=abc&page=2#top')).toBe(
      '/api/users?access_token=%5BREDACTED%5D&page=2#top',
    );
    expect(redactUrl('/api/users')).toBe('/api/users');
  });
});

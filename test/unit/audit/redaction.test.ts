import { describe, expect, it } from 'vitest';
import {
  isSensitiveField,
  REDACTED,
  redactChanges,
  redactDeep,
  redactString,
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
    'ｐassword',
    'ＡＰＩ＿ＫＥＹ',
    'passphrase',
    'pwd',
    'Cookie',
    'sessionId',
    'X-Amz-Signature',
    '𝐭𝐨𝐤𝐞𝐧',
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

  it('redacts the value of a name/value pair whose name is sensitive, keeping harmless pairs', () => {
    expect(
      redactDeep({
        headers: [
          { name: 'Authorization', value: 'Bearer abc' },
          { key: 'x-api-key', value: 'k1' },
          { header: 'Cookie', value: 'sid=1' },
          { name: 'Accept', value: 'text/csv' },
        ],
      }),
    ).toEqual({
      headers: [
        { name: 'Authorization', value: REDACTED },
        { key: 'x-api-key', value: REDACTED },
        { header: 'Cookie', value: REDACTED },
        { name: 'Accept', value: 'text/csv' },
      ],
    });
  });

  it.each([
    ['https://ada:hunter2@db.example.com/app', 'https://ada:[REDACTED]@db.example.com/app'],
    ['/cb#id_token=abc&state=s1', '/cb#id_token=%5BREDACTED%5D&state=s1'],
    ['/app;jsessionid=abc?lang=en', '/app;jsessionid=%5BREDACTED%5D?lang=en'],
    ['/p?X-Amz-Signature=abc&X-Amz-Date=1', '/p?X-Amz-Signature=%5BREDACTED%5D&X-Amz-Date=1'],
    ['called with Bearer eyJhbGciOi.J9.x and more', 'called with Bearer [REDACTED] and more'],
    [`Basic ${Buffer.from('ada:hunter2').toString('base64')}`, 'Basic [REDACTED]'],
    ['Authorization: Token abc\nAccept: */*', 'Authorization: [REDACTED]\nAccept: */*'],
    ['login with password=hunter2 failed', 'login with password=%5BREDACTED%5D failed'],
  ])('redacts credentials inside the string %j', (input, expected) => {
    expect(redactString(input)).toBe(expected);
    expect(redactDeep({ note: input })).toEqual({ note: expected });
  });

  it.each([
    'Basic training',
    'https://example.com/p?page=2#top',
    'Note: bring a pen',
    'mailto:ada@example.com',
    '{"name": "colour", "value": "blue"}',
  ])('keeps the harmless string %j as it is', (input) => {
    expect(redactString(input)).toBe(input);
  });

  it('redacts a JSON string by the same rules and keeps it a string', () => {
    const inner = JSON.stringify({ clientSecret: 's', colour: 'blue', url: 'https://u:p@h/x' });
    const out = redactDeep({ payload: inner }) as { payload: string };
    expect(typeof out.payload).toBe('string');
    expect(JSON.parse(out.payload)).toEqual({
      clientSecret: REDACTED,
      colour: 'blue',
      url: 'https://u:[REDACTED]@h/x',
    });
  });
});

import { describe, expect, it } from 'vitest';
import { api, tokensFor, uniqueTenant } from './helpers.ts';

/**
 * What API Gateway answers by itself, the local gateway answers the same way (and the OpenAPI
 * document lists it: api() checks every answer against it).
 */
describe('API Gateway’s own answers, locally', () => {
  it('a bearer-token route without a valid token: 401 {"message":"Unauthorized"}', async () => {
    for (const token of [undefined, 'not-a-jwt']) {
      const res = await api('/v1/audit-events', token ? { token } : {});
      expect(res.status).toBe(401);
      expect(res.headers.get('content-type')).toBe('application/json');
      expect(res.body).toEqual({ message: 'Unauthorized' });
    }
  });

  it('a body over 10 MB: 413 {"message":"Request Entity Too Large"}, before any function', async () => {
    const { service } = await tokensFor(uniqueTenant('gwp'));
    const res = await api('/v1/audit-events', {
      method: 'POST',
      token: service,
      rawBody: 'x'.repeat(10 * 1024 * 1024 + 1),
      headers: { 'content-type': 'application/json' },
    });
    expect(res.status).toBe(413);
    expect(res.body).toEqual({ message: 'Request Entity Too Large' });
  });
});

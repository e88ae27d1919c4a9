import { describe, expect, it } from 'vitest';
import { api } from './helpers.ts';

describe('the dev gateway and the shared middleware', () => {
  it('answers health without a token', async () => {
    const res = await api('/health');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ status: 'ok' });
  });

  it('serves the OpenAPI 3.1 document without a token', async () => {
    const res = await api('/v1/openapi.json');
    expect(res.status).toBe(200);
    expect(res.body.openapi).toBe('3.1.0');
    expect(Object.keys(res.body.paths)).toContain('/health');
  });

  it('answers an unknown route with a problem+json 404', async () => {
    const res = await api('/v1/no-such-thing');
    expect(res.status).toBe(404);
    expect(res.headers.get('content-type')).toContain('application/problem+json');
    expect(res.body).toMatchObject({ status: 404, title: 'Not Found' });
  });

  it('answers an unknown method on a known path with 404, not 500', async () => {
    const res = await api('/health', { method: 'DELETE' });
    expect(res.status).toBe(404);
  });
});

import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROUTES } from '../../../functions/routes.ts';
import { apiHandler } from '../../../shared/http/handler.ts';
import { json } from '../../../shared/http/responses.ts';
import { apiEvent, lambdaContext } from '../../fixtures/events.ts';

type Result = { statusCode: number; headers: Record<string, string>; body: string };

const handler = apiHandler(
  { auth: 'none' },
  {
    'GET /v1/things': async () => json(200, { route: 'list' }),
    'GET /v1/things/{id}': async ({ params }) => json(200, { route: 'one', id: params.id }),
  },
);
const call = async (routeKey: string, params?: Record<string, string>) =>
  (await handler(apiEvent({ routeKey, params }), lambdaContext)) as Result;

describe('a route map', () => {
  it('dispatches each request to the entry of its route key', async () => {
    expect(JSON.parse((await call('GET /v1/things')).body)).toEqual({ route: 'list' });
    expect(JSON.parse((await call('GET /v1/things/{id}', { id: 't1' })).body)).toEqual({
      route: 'one',
      id: 't1',
    });
  });

  it('answers 404 problem+json for a route key it does not hold, inherited names included', async () => {
    for (const key of ['POST /v1/things', 'toString', '__proto__']) {
      const res = await call(key);
      expect(res.statusCode, key).toBe(404);
      expect(JSON.parse(res.body).detail, key).toBe('No such route.');
    }
  });

  it('is how every function serving several routes dispatches them, with one entry per route', () => {
    const byFn = new Map<string, string[]>();
    for (const r of ROUTES) byFn.set(r.fn, [...(byFn.get(r.fn) ?? []), `${r.method} ${r.path}`]);
    const several = [...byFn].filter(([, keys]) => keys.length > 1);
    expect(several.length).toBeGreaterThan(3);
    for (const [fn, keys] of several) {
      const source = readFileSync(
        resolve(import.meta.dirname, `../../../functions/${fn}/handler.ts`),
        'utf8',
      );
      for (const key of keys) expect(source, fn).toContain(`'${key}': async`);
      expect(source, fn).not.toMatch(/switch \(|routeKey|http\.method ===/);
    }
  });
});

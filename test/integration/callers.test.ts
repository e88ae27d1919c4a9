import { beforeAll, describe, expect, it } from 'vitest';
import { CATALOG } from '../../shared/domain/catalog.ts';
import { api, baseUrl, tokensFor, uniqueTenant } from './helpers.ts';

/** Issue 16 over HTTP: the catalog, errors that teach, and saved filters read back as saved. */
const tenant = uniqueTenant('dx');
let t: Awaited<ReturnType<typeof tokensFor>>;

beforeAll(async () => {
  t = await tokensFor(tenant);
});

describe('GET /v1/catalog', () => {
  it('answers any signed-in role with the labelled filter values', async () => {
    for (const who of [t.learner, t.manager, t.curator, t.owner]) {
      const res = await api('/v1/catalog', { token: who });
      expect(res.status).toBe(200);
      expect(res.body).toEqual(CATALOG);
    }
    expect((await api('/v1/catalog')).status).toBe(401);
  });

  it('lists only values the filters accept', async () => {
    const catalog = (await api('/v1/catalog', { token: t.owner })).body as typeof CATALOG;
    const actions = catalog.actions.map((a) => a.value).join(',');
    expect((await api(`/v1/audit-events?action=${actions}`, { token: t.owner })).status).toBe(200);
    const kinds = catalog.activityActions.map((a) => a.value).join(',');
    expect((await api(`/v1/activity?action=${kinds}`, { token: t.owner })).status).toBe(200);
  });
});

describe('errors that teach', () => {
  it('accepts a date alone as midnight UTC and repeated parameters as a list', async () => {
    const res = await api('/v1/audit-events?from=2026-11-01&to=2026-12-01&action=Created&action=Deleted', {
      token: t.owner,
    });
    expect(res.status).toBe(200);
  });

  it('hints at URL-encoding an offset’s +', async () => {
    const res = await api('/v1/audit-events?from=2026-11-01T10:00:00+01:00', { token: t.owner });
    expect(res.status).toBe(400);
    expect(res.body.errors).toEqual([{ path: 'from', message: expect.stringContaining('%2B') }]);
  });

  it('answers two bad dates with two errors, on the lists, exports and reports', async () => {
    const bad = { from: 'last-tuesday', to: '2026-13-01' };
    for (const path of ['/v1/audit-events', '/v1/activity']) {
      const res = await api(`${path}?from=${bad.from}&to=${bad.to}`, { token: t.owner });
      expect(res.body.errors?.map((e: { path: string }) => e.path)).toEqual(['from', 'to']);
    }
    const exp = await api('/v1/exports', {
      token: t.owner,
      body: { log: 'audit', format: 'csv', filters: bad },
    });
    expect(exp.body.errors?.map((e: { path: string }) => e.path)).toEqual(['filters.from', 'filters.to']);
    const rep = await api('/v1/reports', {
      token: t.owner,
      body: { name: 'r', log: 'activity', visibility: 'private', filters: bad },
    });
    expect(rep.body.errors?.map((e: { path: string }) => e.path)).toEqual(['filters.from', 'filters.to']);
  });

  it('names an unknown action and where to find the allowed ones', async () => {
    const res = await api('/v1/audit-events?action=Delted', { token: t.owner });
    expect(res.status).toBe(400);
    expect(res.body.errors).toEqual([
      { path: 'action[0]', message: expect.stringMatching(/"Delted".*\/v1\/catalog/) },
    ]);
  });

  it('tells a curator without reporting which claim is missing', async () => {
    const res = await api('/v1/activity', { token: t.curator });
    expect(res.status).toBe(403);
    expect(res.body.detail).toMatch(/`reporting` claim/);
    expect((await api('/v1/activity', { token: t.curatorReporting })).status).toBe(200);
  });
});

describe('saved report filters', () => {
  it('read back exactly as saved: booleans stay booleans, lists stay lists', async () => {
    const filters = {
      completed: true,
      action: ['Completed', 'Started'],
      contentType: ['Quiz'],
      range: 'last30d',
    };
    const saved = await api('/v1/reports', {
      token: t.owner,
      body: { name: 'Quiz completions', log: 'activity', visibility: 'private', filters },
    });
    expect(saved.status).toBe(201);
    expect(saved.body.filters).toEqual(filters);
    expect((await api(`/v1/reports/${saved.body.id}`, { token: t.owner })).body.filters).toEqual(filters);
    const audit = { system: false, action: ['Created', 'Deleted'], requestStatus: [500, 503] };
    const put = await api(`/v1/reports/${saved.body.id}`, {
      method: 'PUT',
      token: t.owner,
      body: { name: 'Deletions', log: 'audit', visibility: 'private', filters: audit },
    });
    expect(put.status).toBe(200);
    expect((await api(`/v1/reports/${saved.body.id}`, { token: t.owner })).body.filters).toEqual(audit);
  });

  it('keep reading the query-string text form', async () => {
    const filters = { completed: 'true', action: 'Completed,Started' };
    const saved = await api('/v1/reports', {
      token: t.owner,
      body: { name: 'Old style', log: 'activity', visibility: 'private', filters },
    });
    expect(saved.status).toBe(201);
    expect((await api(`/v1/reports/${saved.body.id}`, { token: t.owner })).body.filters).toEqual(filters);
  });
});

describe('the local gateway', () => {
  it('answers CORS preflight requests from http://localhost:* origins, and only those', async () => {
    const preflight = (origin: string) =>
      fetch(`${baseUrl()}/v1/audit-events`, {
        method: 'OPTIONS',
        headers: {
          origin,
          'access-control-request-method': 'GET',
          'access-control-request-headers': 'authorization',
        },
      });
    const ok = await preflight('http://localhost:5173');
    expect(ok.status).toBe(204);
    expect(ok.headers.get('access-control-allow-origin')).toBe('http://localhost:5173');
    expect(ok.headers.get('access-control-allow-headers')).toContain('authorization');
    const other = await preflight('https://evil.example.com');
    expect(other.status).toBe(403);
    expect(other.headers.get('access-control-allow-origin')).toBeNull();
    const get = await fetch(`${baseUrl()}/v1/catalog`, {
      headers: { origin: 'http://localhost:8080', authorization: `Bearer ${t.owner}` },
    });
    expect(get.headers.get('access-control-allow-origin')).toBe('http://localhost:8080');
  });

  it('answers /_local errors as problem+json with a type', async () => {
    const res = await api('/_local/run-schedules', { body: { now: 'tomorrow' } });
    expect(res.status).toBe(400);
    expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(res.body).toMatchObject({
      type: 'urn:logbook:problem:400',
      status: 400,
      errors: [{ path: 'now' }],
    });
  });

  it('serves the HTML API reference at /docs', async () => {
    const res = await fetch(`${baseUrl()}/docs`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/html/);
    expect(await res.text()).toContain('Logbook API');
  });
});

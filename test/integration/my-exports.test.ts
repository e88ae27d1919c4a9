import { beforeAll, describe, expect, it } from 'vitest';
import { api, token, tokensFor, uniqueTenant } from './helpers.ts';

/**
 * `GET /v1/exports`: the caller's own exports, newest first, paged; never anyone else's (another
 * user of the tenant, an owner included, or another tenant's user with the same id).
 */
const tenant = uniqueTenant('myexp');
const other = uniqueTenant('myexp-other');
let t: Awaited<ReturnType<typeof tokensFor>>;
const mine: string[] = [];
let adminExport = '';

async function requestExport(tok: string, format: 'csv' | 'json'): Promise<string> {
  const res = await api('/v1/exports', { token: tok, body: { log: 'audit', format, filters: {} } });
  expect(res.status, res.text).toBe(202);
  return res.body.id;
}

async function settle(tok: string, id: string) {
  for (let i = 0; i < 120; i++) {
    const job = await api(`/v1/exports/${id}`, { token: tok });
    if (job.body.status === 'succeeded' || job.body.status === 'failed') return job.body;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`export ${id} did not finish`);
}

beforeAll(async () => {
  t = await tokensFor(tenant);
  // Sequential, so creation order is the list's order.
  for (const format of ['csv', 'json', 'csv'] as const) {
    const id = await requestExport(t.owner, format);
    mine.unshift(id);
    await settle(t.owner, id);
  }
  adminExport = await requestExport(t.admin, 'json');
  await settle(t.admin, adminExport);
});

describe('GET /v1/exports', () => {
  it('lists the caller’s own exports newest first, as GET /v1/exports/{id} shows them', async () => {
    const res = await api('/v1/exports', { token: t.owner });
    expect(res.status, res.text).toBe(200);
    expect(res.body.items.map((e: { id: string }) => e.id)).toEqual(mine);
    expect(res.body.nextCursor).toBeNull();
    const first = res.body.items[0];
    const one = await api(`/v1/exports/${first.id}`, { token: t.owner });
    expect({ ...first, downloadUrl: undefined }).toEqual({ ...one.body, downloadUrl: undefined });
    expect(first.status).toBe('succeeded');
    expect(first.downloadUrl).toMatch(/\/v1\/downloads\//);
  });

  it('never lists another user’s exports, whatever the caller’s role', async () => {
    const admin = await api('/v1/exports', { token: t.admin });
    expect(admin.body.items.map((e: { id: string }) => e.id)).toEqual([adminExport]);
    for (const tok of [t.hr, t.manager, t.learner, t.curator]) {
      const res = await api('/v1/exports', { token: tok });
      expect(res.status, res.text).toBe(200);
      expect(res.body).toEqual({ items: [], nextCursor: null });
    }
    // The same user id in another tenant: nothing of this tenant.
    const otherOwner = await token({ tenant: other, role: 'owner', sub: 'u-owner' });
    expect((await api('/v1/exports', { token: otherOwner })).body).toEqual({ items: [], nextCursor: null });
  });

  it('pages with limit and cursor', async () => {
    const first = await api('/v1/exports?limit=2', { token: t.owner });
    expect(first.body.items.map((e: { id: string }) => e.id)).toEqual(mine.slice(0, 2));
    expect(first.body.nextCursor).toBeTruthy();
    const next = await api(`/v1/exports?limit=2&cursor=${encodeURIComponent(first.body.nextCursor)}`, {
      token: t.owner,
    });
    expect(next.body.items.map((e: { id: string }) => e.id)).toEqual(mine.slice(2));
    expect(next.body.nextCursor).toBeNull();
    // Exactly a page's worth: no empty page after it.
    const exact = await api('/v1/exports?limit=3', { token: t.owner });
    expect(exact.body.nextCursor).toBeNull();
  });

  it('binds the cursor to the caller and tenant, and answers 400 naming every bad parameter', async () => {
    const first = await api('/v1/exports?limit=1', { token: t.owner });
    const cursor = encodeURIComponent(first.body.nextCursor);
    const otherOwner = await token({ tenant: other, role: 'owner', sub: 'u-owner' });
    for (const tok of [t.admin, otherOwner]) {
      const res = await api(`/v1/exports?limit=1&cursor=${cursor}`, { token: tok });
      expect(res.status, res.text).toBe(400);
      expect(res.body.errors.map((e: { path: string }) => e.path)).toEqual(['cursor']);
    }
    const bad = await api('/v1/exports?limit=0&status=queued', { token: t.owner });
    expect(bad.status, bad.text).toBe(400);
    expect(bad.body.errors.map((e: { path: string }) => e.path).sort()).toEqual(['limit', 'status']);
  });

  it('refuses services (403) and callers without a token (401)', async () => {
    expect((await api('/v1/exports', { token: t.service })).status).toBe(403);
    expect((await api('/v1/exports')).status).toBe(401);
  });
});

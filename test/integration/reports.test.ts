import { beforeAll, describe, expect, it } from 'vitest';
import { api, token, tokensFor, uniqueTenant } from './helpers.ts';

/** Saved reports over HTTP: who may save, list, read, change and delete what. */
const tenant = uniqueTenant('rep');
let t: Awaited<ReturnType<typeof tokensFor>>;
let otherAdmin: string;

beforeAll(async () => {
  t = await tokensFor(tenant);
  otherAdmin = await token({ tenant: uniqueTenant('rep-other'), role: 'admin', sub: 'u-admin' });
});

const audit = {
  name: 'Deleted users',
  log: 'audit',
  filters: { action: 'Deleted', range: 'last30d' },
  visibility: 'private',
};
const activity = {
  name: 'Completions',
  log: 'activity',
  filters: { completed: 'true' },
  visibility: 'shared',
};

describe('/v1/reports', () => {
  it('saves a report and answers 201 with it', async () => {
    const res = await api('/v1/reports', { token: t.admin, body: audit });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ ...audit, ownerId: 'u-admin' });
    expect(res.body.id).toEqual(expect.any(String));
    expect(res.body.createdAt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    const read = await api(`/v1/reports/${res.body.id}`, { token: t.admin });
    expect(read.body).toEqual(res.body);
  });

  it('answers 400 naming range combined with from, and 403 for roles that may not save that log', async () => {
    const both = await api('/v1/reports', {
      token: t.admin,
      body: { ...audit, filters: { range: 'last7d', from: '2026-01-01T00:00:00Z' } },
    });
    expect(both.status).toBe(400);
    expect(both.body.errors).toEqual([{ path: 'filters.range', message: expect.any(String) }]);
    expect((await api('/v1/reports', { token: t.hr, body: audit })).status).toBe(403);
    expect((await api('/v1/reports', { token: t.learner, body: activity })).status).toBe(403);
    expect((await api('/v1/reports', { token: t.manager, body: activity })).status).toBe(201);
  });

  it('lists own reports and shared ones the caller may use; hides the rest', async () => {
    const shared = await api('/v1/reports', { token: t.hr, body: activity });
    const privateOfHr = await api('/v1/reports', {
      token: t.hr,
      body: { ...activity, visibility: 'private' },
    });
    const sharedAudit = await api('/v1/reports', {
      token: t.owner,
      body: { ...audit, visibility: 'shared' },
    });
    const ofReporter = await api('/v1/reports', { token: t.reporter });
    expect(ofReporter.status).toBe(200);
    const ids = ofReporter.body.items.map((r: { id: string }) => r.id);
    expect(ids).toContain(shared.body.id);
    expect(ids).not.toContain(privateOfHr.body.id);
    expect(ids).not.toContain(sharedAudit.body.id);
    const ofAdmin = (await api('/v1/reports', { token: t.admin })).body.items.map(
      (r: { id: string }) => r.id,
    );
    expect(ofAdmin).toContain(sharedAudit.body.id);
    expect(ofAdmin).not.toContain(privateOfHr.body.id);
    expect((await api('/v1/reports', { token: t.learner })).status).toBe(403);
  });

  it('answers 404 for another user’s private report and for another tenant, 403 for a visible one', async () => {
    const mine = await api('/v1/reports', { token: t.hr, body: { ...activity, visibility: 'private' } });
    for (const tok of [t.admin, otherAdmin]) {
      expect((await api(`/v1/reports/${mine.body.id}`, { token: tok })).status).toBe(404);
      expect((await api(`/v1/reports/${mine.body.id}`, { token: tok, method: 'DELETE' })).status).toBe(404);
    }
    const shared = await api('/v1/reports', { token: t.hr, body: activity });
    const byReporter = await api(`/v1/reports/${shared.body.id}`, {
      token: t.reporter,
      method: 'PUT',
      body: activity,
    });
    expect(byReporter.status).toBe(403);
    const byAdmin = await api(`/v1/reports/${shared.body.id}`, {
      token: t.admin,
      method: 'PUT',
      body: { ...activity, name: 'Renamed' },
    });
    expect(byAdmin.status).toBe(200);
    expect(byAdmin.body).toMatchObject({ name: 'Renamed', ownerId: 'u-hr' });
    expect((await api(`/v1/reports/${shared.body.id}`, { token: otherAdmin, method: 'DELETE' })).status).toBe(
      404,
    );
    expect((await api(`/v1/reports/${shared.body.id}`, { token: t.owner, method: 'DELETE' })).status).toBe(
      204,
    );
    expect((await api(`/v1/reports/${shared.body.id}`, { token: t.hr })).status).toBe(404);
  });

  it('rejects a schedule with bad fields, naming each', async () => {
    const report = await api('/v1/reports', { token: t.admin, body: audit });
    const res = await api(`/v1/reports/${report.body.id}/schedule`, {
      token: t.admin,
      method: 'PUT',
      body: { frequency: 'hourly', recipients: [], timeZone: 'Nowhere/City', hour: 25 },
    });
    expect(res.status).toBe(400);
    expect(res.body.errors.map((e: { path: string }) => e.path)).toEqual([
      'frequency',
      'recipients',
      'timeZone',
      'hour',
    ]);
    const none = await api(`/v1/reports/${report.body.id}/schedule`, { token: t.admin, method: 'DELETE' });
    expect(none.status).toBe(404);
  });

  it('checks filters against the log’s own filter names and values', async () => {
    const res = await api('/v1/reports', {
      token: t.admin,
      body: { ...audit, filters: { action: 'Exploded', colour: 'red', range: 'last7d' } },
    });
    expect(res.status).toBe(400);
    const paths = res.body.errors.map((e: { path: string }) => e.path);
    expect(paths).toContain('filters.colour');
    expect(paths.some((p: string) => p.startsWith('filters.action'))).toBe(true);
    const activityBad = await api('/v1/reports', {
      token: t.hr,
      body: { ...activity, filters: { contentType: 'Spaceship' } },
    });
    expect(activityBad.status).toBe(400);
    expect(activityBad.body.errors[0].path).toMatch(/^filters\.contentType/);
  });

  it('records creating, changing and deleting reports and schedules in the audit log', async () => {
    const report = await api('/v1/reports', { token: t.admin, body: { ...audit, name: 'Audited' } });
    await api(`/v1/reports/${report.body.id}`, {
      token: t.admin,
      method: 'PUT',
      body: { ...audit, name: 'Audited 2' },
    });
    await api(`/v1/reports/${report.body.id}`, { token: t.admin, method: 'DELETE' });
    const res = await api(`/v1/audit-events?objectId=${report.body.id}&order=asc`, { token: t.admin });
    expect(res.status).toBe(200);
    expect(
      res.body.items.map((e: { action: string; object: { type: string } }) => `${e.object.type} ${e.action}`),
    ).toEqual(['Report Created', 'Report Updated', 'Report Deleted']);
    expect(res.body.items[0]).toMatchObject({
      actor: { type: 'user', id: 'u-admin' },
      source: { kind: 'web' },
    });
  });

  it('describes the report routes in the OpenAPI document', async () => {
    const doc = await api('/v1/openapi.json');
    expect(Object.keys(doc.body.paths)).toEqual(
      expect.arrayContaining(['/v1/reports', '/v1/reports/{id}', '/v1/reports/{id}/schedule']),
    );
  });
});

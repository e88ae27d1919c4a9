import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { addMonths } from '../../shared/domain/time.ts';
import { expiryEpoch } from '../../shared/domain/trust/retention.ts';
import { api, tokensFor, uniqueTenant } from './helpers.ts';
import { exportText } from './support/export-file.ts';
import { postLocal } from './support/local.ts';
import { rawDynamo } from './support/raw-dynamo.ts';

/**
 * Legal holds and retention per tenant, through the HTTP API into the emulators. DynamoDB Local
 * never deletes by TTL, so `/_local/ttl-sweep` applies DynamoDB's rule at a chosen `now`, and
 * `/_local/expiry-jobs` runs the queued expiry jobs (SQS's part in AWS). Every time is relative to
 * the moment the test runs.
 */
const raw = rawDynamo();
afterAll(() => raw.destroy());
type Tokens = Awaited<ReturnType<typeof tokensFor>>;

const monthsAgo = (n: number) => addMonths(new Date(), -n).toISOString();
const ALL = 'from=2000-01-01T00:00:00Z&limit=200';

const drain = () => postLocal('/_local/expiry-jobs');
const sweep = (tenantId: string, at: Date) =>
  postLocal('/_local/ttl-sweep', { now: at.toISOString(), tenantId });
const yearsFromNow = (n: number) => new Date(Date.now() + n * 365 * 86_400_000);

function auditEvent(tenant: string, id: string, occurredAt: string, actor: string, subject?: string) {
  return {
    id,
    tenantId: tenant,
    occurredAt,
    actor: { type: 'user', id: actor, name: `Person ${actor}` },
    action: 'Updated',
    object: { type: 'Task', id: `task-${id}`, name: `Task ${id}` },
    ...(subject ? { subject: { id: subject, name: `Person ${subject}` } } : {}),
    source: { kind: 'web' },
  };
}
function activityEvent(tenant: string, id: string, occurredAt: string, userId: string) {
  return { id, tenantId: tenant, occurredAt, userId, action: 'LoggedIn' };
}

async function ingestAudit(t: Tokens, events: unknown[]) {
  const res = await api('/v1/audit-events', { token: t.service, body: { events } });
  expect(res.status, res.text).toBe(200);
}
async function ingestActivity(t: Tokens, events: unknown[]) {
  const res = await api('/v1/activity-events', { token: t.service, body: { events } });
  expect(res.status, res.text).toBe(200);
}
async function auditIds(t: Tokens, q = ''): Promise<string[]> {
  const res = await api(`/v1/audit-events?${ALL}${q}`, { token: t.admin });
  expect(res.status, res.text).toBe(200);
  return res.body.items.map((i: { id: string }) => i.id);
}
async function activityIds(t: Tokens): Promise<string[]> {
  const res = await api('/v1/activity?from=2000-01-01T00:00:00Z&limit=200', { token: t.admin });
  expect(res.status, res.text).toBe(200);
  return res.body.items.map((i: { id: string }) => i.id);
}
async function exportIds(t: Tokens, log: 'audit' | 'activity'): Promise<string[]> {
  const text = await exportText(t.admin, { log, format: 'json', filters: { from: '2000-01-01T00:00:00Z' } });
  return text
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l).id);
}
async function putRetention(t: Tokens, body: unknown) {
  const res = await api('/v1/settings/retention', { method: 'PUT', token: t.owner, body });
  expect(res.status, res.text).toBe(200);
  return res.body;
}
async function stored(table: 'audit' | 'activity', tenant: string, id: string) {
  const out = await raw.send(
    new GetCommand({ TableName: inject('tables')[table], Key: { pk: `${tenant}#${id}` } }),
  );
  return out.Item;
}

describe('retention per tenant', () => {
  const tenant = uniqueTenant('ret');
  let t: Tokens;
  beforeAll(async () => {
    t = await tokensFor(tenant);
    await ingestAudit(t, [
      auditEvent(tenant, 'r-old', monthsAgo(10), 'p1'),
      auditEvent(tenant, 'r-new', monthsAgo(1), 'p1'),
    ]);
  });

  it('answers the deployment defaults until set, to owners and admins only', async () => {
    for (const tok of [t.owner, t.admin]) {
      const res = await api('/v1/settings/retention', { token: tok });
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ auditMonths: 18, activityMonths: 84, progress: {} });
    }
    for (const tok of [t.hr, t.manager, t.learner]) {
      expect((await api('/v1/settings/retention', { token: tok })).status).toBe(403);
    }
    const admin = await api('/v1/settings/retention', {
      method: 'PUT',
      token: t.admin,
      body: { auditMonths: 6 },
    });
    expect(admin.status).toBe(403);
  });

  it('names every bad field in a 400 and changes nothing', async () => {
    const res = await api('/v1/settings/retention', {
      method: 'PUT',
      token: t.owner,
      body: { auditMonths: 0, activityMonths: 121, keep: true },
    });
    expect(res.status).toBe(400);
    expect(res.headers.get('content-type')).toContain('application/problem+json');
    const paths = res.body.errors.map((e: { path: string }) => e.path).sort();
    expect(paths).toEqual(['activityMonths', 'auditMonths', 'keep']);
    const empty = await api('/v1/settings/retention', { method: 'PUT', token: t.owner, body: {} });
    expect(empty.status).toBe(400);
    expect((await api('/v1/settings/retention', { token: t.owner })).body.auditMonths).toBe(18);
  });

  it('hides older entries from reads and exports at once when shortened, and ingest follows it', async () => {
    expect(await auditIds(t, '&objectType=Task')).toEqual(['r-new', 'r-old']);
    const after = await putRetention(t, { auditMonths: 6 });
    expect(after).toMatchObject({ auditMonths: 6, activityMonths: 84 });
    expect(await auditIds(t, '&objectType=Task')).toEqual(['r-new']);
    expect((await api('/v1/audit-events/r-old', { token: t.admin })).status).toBe(404);
    expect(await exportIds(t, 'audit')).not.toContain('r-old');
    const late = await api('/v1/audit-events', {
      token: t.service,
      body: { events: [auditEvent(tenant, 'r-late', monthsAgo(7), 'p1')] },
    });
    expect(late.status).toBe(400);
    expect(late.body.errors).toEqual([
      { path: 'events[0].occurredAt', message: 'is older than the retention period (6 months)' },
    ]);
  });

  it('records each change in the audit log with before and after values', async () => {
    const res = await api(`/v1/audit-events?${ALL}&objectType=Setting`, { token: t.owner });
    const change = res.body.items[0];
    expect(change).toMatchObject({
      action: 'Updated',
      actor: { type: 'user', id: 'u-owner' },
      object: { type: 'Setting', id: 'retention', name: 'Retention' },
    });
    const full = await api(`/v1/audit-events/${change.id}`, { token: t.owner });
    expect(full.body.changes).toEqual([{ field: 'auditMonths', before: 18, after: 6 }]);
  });

  it('lengthening moves stored expiries out before they pass, with progress in GET', async () => {
    const occurredAt = monthsAgo(5);
    await ingestAudit(t, [auditEvent(tenant, 'r-mid', occurredAt, 'p2')]);
    await drain();
    expect((await stored('audit', tenant, 'r-mid'))?.ttl).toBe(expiryEpoch(occurredAt, 6));
    await putRetention(t, { auditMonths: 24 });
    const running = await api('/v1/settings/retention', { token: t.admin });
    expect(running.body.progress.audit).toMatchObject({ status: 'running', entriesChecked: 0 });
    await drain();
    const done = await api('/v1/settings/retention', { token: t.admin });
    expect(done.body.progress.audit).toMatchObject({ status: 'done', finishedAt: expect.any(String) });
    expect(done.body.progress.audit.entriesChecked).toBeGreaterThanOrEqual(3);
    expect((await stored('audit', tenant, 'r-mid'))?.ttl).toBe(expiryEpoch(occurredAt, 24));
    // Past the old setting's expiry, before the new one: the sweep leaves it, reads return it.
    await sweep(tenant, new Date(Date.now() + 45 * 86_400_000));
    expect(await stored('audit', tenant, 'r-mid')).toBeDefined();
    // r-old (10 months) is visible again: it was hidden, never deleted.
    expect(await auditIds(t, '&objectType=Task')).toEqual(['r-new', 'r-mid', 'r-old']);
  });
});

describe('legal holds', () => {
  const tenant = uniqueTenant('hold');
  let t: Tokens;
  let holdId: string;
  beforeAll(async () => {
    t = await tokensFor(tenant);
    await putRetention(t, { auditMonths: 84 });
    await ingestAudit(t, [
      auditEvent(tenant, 'h-actor', monthsAgo(30), 'P'),
      auditEvent(tenant, 'h-subject', monthsAgo(30), 'Q', 'P'),
      auditEvent(tenant, 'h-other', monthsAgo(30), 'Q'),
      auditEvent(tenant, 'h-recent', monthsAgo(1), 'Q'),
    ]);
    await ingestActivity(t, [
      activityEvent(tenant, 'b-held', monthsAgo(30), 'P'),
      activityEvent(tenant, 'b-other', monthsAgo(30), 'Q'),
    ]);
    await putRetention(t, { auditMonths: 18, activityMonths: 12 });
    await drain();
  });

  it('refuses other roles and names every bad field', async () => {
    const body = { name: 'Matter', reason: 'Dispute', personIds: ['P'] };
    for (const tok of [t.admin, t.hr, t.learner]) {
      expect((await api('/v1/legal-holds', { token: tok, body })).status).toBe(403);
    }
    for (const tok of [t.hr, t.manager, t.learner]) {
      expect((await api('/v1/legal-holds', { token: tok })).status).toBe(403);
    }
    const bad = await api('/v1/legal-holds', { token: t.owner, body: { name: '', personIds: [], extra: 1 } });
    expect(bad.status).toBe(400);
    expect(bad.body.errors.map((e: { path: string }) => e.path).sort()).toEqual([
      'extra',
      'name',
      'personIds',
      'reason',
    ]);
    expect((await api('/v1/legal-holds', { token: t.owner })).body.items).toEqual([]);
  });

  it('a person hold keeps their entries readable and exportable past retention', async () => {
    expect(await auditIds(t, '&objectType=Task')).toEqual(['h-recent']);
    const res = await api('/v1/legal-holds', {
      token: t.owner,
      body: { name: 'Matter 7', reason: 'Employment dispute', personIds: ['P'] },
    });
    expect(res.status, res.text).toBe(201);
    expect(res.body).toMatchObject({
      name: 'Matter 7',
      personIds: ['P'],
      status: 'active',
      createdBy: 'u-owner',
    });
    holdId = res.body.id;
    const entries = await api(`/v1/audit-events?${ALL}&objectType=LegalHold`, { token: t.owner });
    expect(entries.body.items).toHaveLength(1);
    expect(entries.body.items[0]).toMatchObject({
      action: 'Created',
      actor: { id: 'u-owner' },
      object: { type: 'LegalHold', id: holdId, name: 'Matter 7' },
    });
    // At once, before any job ran: the read rule applies the hold.
    expect(await auditIds(t, '&objectType=Task')).toEqual(['h-recent', 'h-subject', 'h-actor']);
    expect(await auditIds(t, '&actorId=P')).toEqual(['h-actor']);
    expect((await api('/v1/audit-events/h-subject', { token: t.admin })).status).toBe(200);
    expect((await api('/v1/audit-events/h-other', { token: t.admin })).status).toBe(404);
    expect(await activityIds(t)).toEqual(['b-held']);
    const exported = await exportIds(t, 'audit');
    expect(exported).toEqual(expect.arrayContaining(['h-actor', 'h-subject', 'h-recent']));
    expect(exported).not.toContain('h-other');
    expect(await exportIds(t, 'activity')).toEqual(['b-held']);
  });

  it('held entries survive the TTL sweep; unheld ones past retention are deleted', async () => {
    await drain();
    const held = await stored('audit', tenant, 'h-actor');
    expect(held?.ttl).toBeUndefined();
    expect(held?.rx).toBe(expiryEpoch(held?.e.occurredAt, 18));
    await sweep(tenant, new Date());
    for (const id of ['h-actor', 'h-subject', 'h-recent'])
      expect(await stored('audit', tenant, id)).toBeDefined();
    expect(await stored('audit', tenant, 'h-other')).toBeUndefined();
    expect(await stored('activity', tenant, 'b-held')).toBeDefined();
    expect(await stored('activity', tenant, 'b-other')).toBeUndefined();
    // Decades later, still there.
    await sweep(tenant, yearsFromNow(30));
    expect(await stored('audit', tenant, 'h-actor')).toBeDefined();
    expect(await stored('audit', tenant, 'h-recent')).toBeUndefined();
    expect(await auditIds(t, '&objectType=Task')).toEqual(['h-subject', 'h-actor']);
  });

  it('an entry ingested for a held person after the hold is stored without a TTL', async () => {
    await ingestAudit(t, [auditEvent(tenant, 'h-later', monthsAgo(2), 'P')]);
    await ingestActivity(t, [activityEvent(tenant, 'b-later', monthsAgo(2), 'P')]);
    expect((await stored('audit', tenant, 'h-later'))?.ttl).toBeUndefined();
    expect((await stored('activity', tenant, 'b-later'))?.ttl).toBeUndefined();
  });

  it('lists holds to owners and admins', async () => {
    const list = await api('/v1/legal-holds', { token: t.admin });
    expect(list.status).toBe(200);
    expect(list.body.items.map((h: { id: string }) => h.id)).toEqual([holdId]);
  });

  it('release returns the entries to normal retention, and is recorded', async () => {
    expect((await api(`/v1/legal-holds/${holdId}`, { method: 'DELETE', token: t.admin })).status).toBe(403);
    expect((await api('/v1/legal-holds/01NOSUCHHOLD', { method: 'DELETE', token: t.owner })).status).toBe(
      404,
    );
    const res = await api(`/v1/legal-holds/${holdId}`, { method: 'DELETE', token: t.owner });
    expect(res.status, res.text).toBe(200);
    expect(res.body).toMatchObject({ status: 'released', releasedBy: 'u-owner' });
    expect((await api(`/v1/legal-holds/${holdId}`, { method: 'DELETE', token: t.owner })).status).toBe(409);
    // Past retention: hidden at once.
    expect(await auditIds(t, '&objectType=Task')).toEqual(['h-later']);
    await drain();
    expect((await stored('audit', tenant, 'h-actor'))?.ttl).toBeLessThan(Date.now() / 1000);
    await sweep(tenant, new Date());
    expect(await stored('audit', tenant, 'h-actor')).toBeUndefined();
    expect(await stored('activity', tenant, 'b-held')).toBeUndefined();
    expect(await stored('audit', tenant, 'h-later')).toBeDefined();
    const entries = await api(`/v1/audit-events?${ALL}&objectType=LegalHold`, { token: t.owner });
    // (The Created entry went with the sweep 30 years on.)
    expect(entries.body.items.map((e: { action: string }) => e.action)).toEqual(['Released']);
  });
});

describe('a tenant-wide hold', () => {
  const tenant = uniqueTenant('wide');
  let t: Tokens;
  beforeAll(async () => {
    t = await tokensFor(tenant);
    await putRetention(t, { auditMonths: 84 });
    await ingestAudit(t, [
      auditEvent(tenant, 'w-old', monthsAgo(40), 'A'),
      auditEvent(tenant, 'w-new', monthsAgo(1), 'B'),
    ]);
    await putRetention(t, { auditMonths: 18 });
    await drain();
  });

  it('keeps every entry of the tenant until released', async () => {
    expect(await auditIds(t, '&objectType=Task')).toEqual(['w-new']);
    const res = await api('/v1/legal-holds', {
      token: t.owner,
      body: { name: 'Audit', reason: 'Regulator' },
    });
    expect(res.status).toBe(201);
    expect(res.body.personIds).toBeUndefined();
    expect(await auditIds(t, '&objectType=Task')).toEqual(['w-new', 'w-old']);
    await drain();
    await sweep(tenant, yearsFromNow(50));
    expect(await auditIds(t, '&objectType=Task')).toEqual(['w-new', 'w-old']);
    await api(`/v1/legal-holds/${res.body.id}`, { method: 'DELETE', token: t.owner });
    await drain();
    await sweep(tenant, new Date());
    expect(await stored('audit', tenant, 'w-old')).toBeUndefined();
    expect(await auditIds(t, '&objectType=Task')).toEqual(['w-new']);
  });
});

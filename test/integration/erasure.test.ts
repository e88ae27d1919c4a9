import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { DynamoAuditStore } from '../../shared/adapters/dynamodb/audit-store.ts';
import { DynamoPersonKeys } from '../../shared/adapters/dynamodb/person-keys.ts';
import { DynamoTrustStore } from '../../shared/adapters/dynamodb/trust-store.ts';
import { localKeyWrapper } from '../../shared/adapters/kms/data-keys.ts';
import { SEAL_GRACE_MS } from '../../shared/domain/audit/digest.ts';
import { sealEntry } from '../../shared/domain/audit/integrity.ts';
import { sealedKeys } from '../../shared/domain/audit/personal.ts';
import { auditEventInputSchema } from '../../shared/domain/audit/schema.ts';
import type { ErasureRecord } from '../../shared/domain/trust/erasure.ts';
import { toEntry } from '../../shared/use-cases/audit/ingest.ts';
import type { PersonKeys } from '../../shared/use-cases/audit/ports.ts';
import { api, tokensFor, uniqueTenant } from './helpers.ts';
import { exportText as exportFile } from './support/export-file.ts';
import { postLocal } from './support/local.ts';
import { rawDynamo } from './support/raw-dynamo.ts';
import { runVerify } from './support/verify.ts';

/**
 * Erasure of a person (API.md "Trust → Erasure of a person"), through the HTTP API into the
 * emulators: a learner appears as actor, subject, User object, impersonator and learner, an admin
 * acts on them; the hour is sealed; the learner is erased (the job driven by
 * `/_local/erasure-jobs`, stopped midway and resumed); then reads, exports, the directory and
 * `npm run verify` are checked. Every time is relative to the moment the test runs.
 */
const raw = rawDynamo();
afterAll(() => raw.destroy());

// The sealed hour must hold only entries from before the seal, so the learner's entries of that
// hour are stored as ingest would have stored them an hour ago (sealed under the same local key
// store the gateway uses); every other entry goes through the API.
const doc = rawDynamo({ removeUndefinedValues: true });
const keys = new DynamoPersonKeys(doc, localKeyWrapper(inject('personKeysFile')), {
  tableName: inject('tables').keys,
  cacheSeconds: 0,
});
const store = new DynamoAuditStore(doc, { tableName: inject('tables').audit, shardsFor: () => 1, keys });
afterAll(() => doc.destroy());
type Tokens = Awaited<ReturnType<typeof tokensFor>>;

const HOUR_MS = 3_600_000;
const LEE = {
  id: 'u-lee',
  name: 'Leonora Quellwater',
  email: 'leonora.quellwater@example.com',
  ip: '203.0.113.77',
  ua: 'QuellBrowser/9.1',
};
const ADAM = { id: 'u-adam', name: 'Adam Admin', ip: '198.51.100.5' };
const SECRETS = [LEE.name, 'Leonora', 'Quellwater', LEE.email, LEE.ip, LEE.ua];

/**
 * Seals the hour before `thisHour` for `tenant` only (the stack is shared, and another file's
 * chains must start where it says): that hour is closed (its grace passed), this one is not.
 */
async function sealLastHour(tenant: string, thisHour: number) {
  const sealed = await api<{ digests: number }>('/_local/seal', {
    body: {
      now: new Date(thisHour + SEAL_GRACE_MS + 1000).toISOString(),
      fromHour: new Date(thisHour - HOUR_MS).toISOString(),
      tenants: [tenant],
    },
    unchecked: true,
  });
  expect(sealed.status).toBe(200);
}
const drain = (maxSteps?: number) => postLocal('/_local/erasure-jobs', maxSteps ? { maxSteps } : {});

function events(tenant: string, at: string) {
  return [
    {
      id: 'by-admin',
      tenantId: tenant,
      occurredAt: at,
      actor: { type: 'user', id: ADAM.id, name: ADAM.name, email: 'adam@example.com' },
      action: 'Deactivated',
      object: { type: 'User', id: LEE.id, name: LEE.name },
      subject: { id: LEE.id, name: LEE.name },
      source: { kind: 'web' },
      ip: ADAM.ip,
      userAgent: 'AdminBrowser/1.0',
    },
    {
      id: 'by-lee',
      tenantId: tenant,
      occurredAt: at,
      actor: { type: 'user', id: LEE.id, name: LEE.name, email: LEE.email },
      action: 'Updated',
      object: { type: 'Task', id: 'task-1', name: 'Onboarding' },
      source: { kind: 'web' },
      ip: LEE.ip,
      userAgent: LEE.ua,
      changes: [{ field: 'title', before: 'a', after: 'b' }],
    },
    {
      id: 'lee-impersonates',
      tenantId: tenant,
      occurredAt: at,
      actor: { type: 'user', id: 'u-other', name: 'Olga Other' },
      impersonator: { id: LEE.id, name: LEE.name },
      action: 'Updated',
      object: { type: 'Task', id: 'task-2', name: 'Checklist' },
      source: { kind: 'web' },
    },
  ];
}

async function auditItems(t: Tokens, q = '') {
  const res = await api(`/v1/audit-events?from=2000-01-01T00:00:00Z&limit=100${q}`, { token: t.owner });
  expect(res.status, res.text).toBe(200);
  return res.body.items as Record<string, any>[];
}
const exportText = (t: Tokens, log: 'audit' | 'activity', format: 'csv' | 'json') =>
  exportFile(t.owner, { log, format, filters: { from: '2000-01-01T00:00:00Z' } });
describe('erasure of a person', () => {
  const tenant = uniqueTenant('erase');
  let t: Tokens;
  let erasureId: string;
  const thisHour = Math.floor(Date.now() / HOUR_MS) * HOUR_MS;
  let verifyTo: string;

  const lastHour = thisHour - HOUR_MS;

  beforeAll(async () => {
    t = await tokensFor(tenant);
    const users = [
      {
        id: LEE.id,
        firstName: 'Leonora',
        lastName: 'Quellwater',
        email: LEE.email,
        role: 'Learner',
        status: 'active',
      },
      {
        id: ADAM.id,
        firstName: 'Adam',
        lastName: 'Admin',
        email: 'adam@example.com',
        role: 'Admin',
        status: 'active',
      },
    ];
    const dir = await api('/v1/directory/users', {
      method: 'PUT',
      token: t.service,
      body: { tenantId: tenant, users },
    });
    expect(dir.status, dir.text).toBe(200);
    const at = new Date(lastHour + 60_000).toISOString();
    for (const raw of events(tenant, at)) {
      const input = auditEventInputSchema.parse(raw);
      const entry = toEntry(input, input.id!, new Date(lastHour + 61_000).toISOString());
      entry.integrity = sealEntry(entry);
      await store.put(entry, Math.floor(Date.now() / 1000) + 86_400 * 30);
    }
    // And one through the API, now.
    const now = events(tenant, new Date().toISOString())[1]!;
    const res = await api('/v1/audit-events', {
      token: t.service,
      body: { events: [{ ...now, id: 'by-lee-now' }] },
    });
    expect(res.status, res.text).toBe(200);
    const act = await api('/v1/activity-events', {
      token: t.service,
      body: {
        events: [{ id: 'lee-login', tenantId: tenant, occurredAt: at, userId: LEE.id, action: 'LoggedIn' }],
      },
    });
    expect(act.status, act.text).toBe(200);
  }, 60_000);

  it('stores no personal value of the entry in the clear, and reads it back whole', async () => {
    const item = (
      await raw.send(
        new GetCommand({ TableName: inject('tables').audit, Key: { pk: `${tenant}#by-lee-now` } }),
      )
    ).Item!;
    const text = JSON.stringify(item.e);
    for (const secret of SECRETS) expect(text).not.toContain(secret);
    const byLee = (await auditItems(t)).find((i) => i.id === 'by-lee-now')!;
    expect(byLee.actor).toMatchObject({ name: LEE.name, email: LEE.email });
    expect(byLee.ip).toBe(LEE.ip);
    expect(byLee.summary).toContain(LEE.name);
    // The IP filter works on sealed entries.
    expect((await auditItems(t, `&ip=${LEE.ip}`)).map((i) => i.id).sort()).toEqual(['by-lee', 'by-lee-now']);
  });

  it('refuses a person under an active legal hold with 409, and writes nothing', async () => {
    const hold = await api('/v1/legal-holds', {
      token: t.owner,
      body: { name: 'Case 7', reason: 'litigation', personIds: ['u-held'] },
    });
    expect(hold.status, hold.text).toBe(201);
    const res = await api('/v1/erasures', { token: t.owner, body: { personId: 'u-held' }, unchecked: true });
    expect(res.status).toBe(409);
    expect(res.headers.get('content-type')).toContain('application/problem+json');
    expect((await auditItems(t, '&objectType=Person')).length).toBe(0);
  });

  it('is for owners only', async () => {
    const res = await api('/v1/erasures', { token: t.admin, body: { personId: LEE.id }, unchecked: true });
    expect(res.status).toBe(403);
    const bad = await api('/v1/erasures', { token: t.owner, body: {}, unchecked: true });
    expect(bad.status).toBe(400);
  });

  it('seals the hour, erases the learner in resumable steps, and reports done with counts', async () => {
    await sealLastHour(tenant, thisHour);
    verifyTo = new Date(thisHour).toISOString();
    const before = await runVerify(t.owner, lastHour, verifyTo);
    expect(before.code, before.out).toBe(0);

    const res = await api('/v1/erasures', { token: t.owner, body: { personId: LEE.id } });
    expect(res.status, res.text).toBe(202);
    expect(res.body).toMatchObject({ personId: LEE.id, status: 'pending' });
    erasureId = res.body.id;
    // Stopped after two steps (as if the worker died): still pending, and it resumes.
    await drain(2);
    const midway = await api(`/v1/erasures/${erasureId}`, { token: t.owner });
    expect(midway.body.status).toBe('pending');
    await drain();
    const done = await api(`/v1/erasures/${erasureId}`, { token: t.owner });
    expect(done.status).toBe(200);
    expect(done.body).toMatchObject({
      id: erasureId,
      personId: LEE.id,
      status: 'done',
      auditEntries: 4,
      activityEntries: 1,
    });
    expect(done.body.completedAt).toBeDefined();
  }, 60_000);

  it('shows "[erased]" for the learner everywhere, and the admin keeps their own name', async () => {
    const items = await auditItems(t);
    const byAdmin = items.find((i) => i.id === 'by-admin')!;
    expect(byAdmin.actor.name).toBe(ADAM.name);
    expect(byAdmin.ip).toBe(ADAM.ip);
    expect(byAdmin.subject.name).toBe('[erased]');
    expect(byAdmin.object.name).toBe('[erased]');
    const byLee = items.find((i) => i.id === 'by-lee')!;
    expect(byLee.actor).toMatchObject({ id: LEE.id, name: '[erased]', email: '[erased]' });
    expect(byLee.ip).toBe('[erased]');
    expect(byLee.userAgent).toBe('[erased]');
    expect(items.find((i) => i.id === 'lee-impersonates')!.impersonator.name).toBe('[erased]');
    const detail = await api(`/v1/audit-events/by-lee`, { token: t.owner });
    expect(detail.body.changes).toEqual([{ field: 'title', before: 'a', after: 'b' }]);
    for (const secret of SECRETS) {
      expect(JSON.stringify(items)).not.toContain(secret);
      expect(detail.text).not.toContain(secret);
    }
    expect(await auditItems(t, `&ip=${LEE.ip}`)).toEqual([]);
    expect((await auditItems(t, `&ip=${ADAM.ip}`)).map((i) => i.id)).toEqual(['by-admin']);
    const activity = await api('/v1/activity?from=2000-01-01T00:00:00Z', { token: t.owner });
    expect(activity.body.items[0].user).toEqual({ id: LEE.id, name: '[erased]' });
    expect(activity.text).not.toContain('Leonora');
  });

  it('leaves no plaintext of the learner in exports made after it', async () => {
    for (const log of ['audit', 'activity'] as const) {
      for (const format of ['csv', 'json'] as const) {
        const text = await exportText(t, log, format);
        expect(text.length).toBeGreaterThan(0);
        for (const secret of SECRETS) expect(text, `${log} ${format}`).not.toContain(secret);
        // The directory tombstone's stored placeholder address never shows: the learner reads [erased].
        expect(text, `${log} ${format}`).not.toContain('erased.invalid');
        if (log === 'activity' && format === 'csv') expect(text).toContain('[erased]');
      }
    }
  }, 60_000);

  it('keeps every digest and entry hash verifiable (npm run verify exits 0)', async () => {
    const { code, out } = await runVerify(t.owner, lastHour, verifyTo);
    expect(code, out).toBe(0);
  }, 60_000);

  it('is recorded in the audit log with the person’s id and no personal data', async () => {
    const recorded = await auditItems(t, '&objectType=Person');
    expect(recorded).toHaveLength(1);
    expect(recorded[0]).toMatchObject({ action: 'Erased', object: { type: 'Person', id: LEE.id } });
    for (const secret of SECRETS) expect(JSON.stringify(recorded[0])).not.toContain(secret);
  });

  it('does nothing more when repeated (idempotent)', async () => {
    const again = await api('/v1/erasures', { token: t.owner, body: { personId: LEE.id } });
    expect(again.status).toBe(202);
    await drain();
    const done = await api(`/v1/erasures/${again.body.id}`, { token: t.owner });
    expect(done.body).toMatchObject({ status: 'done', auditEntries: 0 });
    expect((await runVerify(t.owner, lastHour, verifyTo)).code).toBe(0);
  }, 60_000);

  it('stores and reads entries recorded for the same person id afterwards as usual', async () => {
    const res = await api('/v1/audit-events', {
      token: t.service,
      body: {
        events: [
          {
            id: 'after',
            tenantId: tenant,
            occurredAt: new Date().toISOString(),
            actor: { type: 'user', id: LEE.id, name: 'Lee Again', email: 'lee.again@example.com' },
            action: 'Updated',
            object: { type: 'Task', id: 'task-3', name: 'Later' },
            source: { kind: 'web' },
          },
        ],
      },
    });
    expect(res.status, res.text).toBe(200);
    const after = (await auditItems(t)).find((i) => i.id === 'after')!;
    expect(after.actor).toMatchObject({ name: 'Lee Again', email: 'lee.again@example.com' });
    // The old entries stay erased.
    expect((await auditItems(t)).find((i) => i.id === 'by-lee')!.actor.name).toBe('[erased]');
  });
});

/**
 * The writers' race (issue 18): a writer whose key cache still holds the person's key seals a new
 * entry under it after the erasure began. The erasure retires the key version first and walks only
 * after writers' caches expired (locally at once: every function's copy lives in this process and
 * goes with the retirement), so that entry is walked too: it reads "[erased]", carries the
 * commitments that keep its hour verifiable, and keeps no plaintext helper. An entry written with
 * the fresh key after the retirement is the person's "after the erasure", and reads normally.
 */
describe('erasure against a writer holding the old key', () => {
  const tenant = uniqueTenant('erase-race');
  const PAT = {
    id: 'u-pat',
    name: 'Patience Wrenfold',
    email: 'pat.wrenfold@example.com',
    ip: '203.0.113.91',
  };
  const thisHour = Math.floor(Date.now() / HOUR_MS) * HOUR_MS;
  const lastHour = thisHour - HOUR_MS;
  let t: Tokens;

  const byPat = (id: string, occurredAt: string, name = PAT.name, email = PAT.email) => ({
    id,
    tenantId: tenant,
    occurredAt,
    actor: { type: 'user', id: PAT.id, name, email },
    action: 'Updated',
    object: { type: 'Task', id: `task-${id}`, name: 'Quarterly review' },
    source: { kind: 'web' },
    ip: PAT.ip,
    userAgent: 'WrenBrowser/2.0',
  });
  /** Stored in the last hour, as an ingest process would have, with the key `keys` answers. */
  async function storeInLastHour(id: string, minute: number, keyStore = store) {
    const input = auditEventInputSchema.parse(byPat(id, new Date(lastHour + minute * 60_000).toISOString()));
    const entry = toEntry(input, id, new Date(lastHour + minute * 60_000 + 1000).toISOString());
    entry.integrity = sealEntry(entry);
    await keyStore.put(entry, Math.floor(Date.now() / 1000) + 86_400 * 30);
  }
  const rawItem = async (id: string) =>
    (await raw.send(new GetCommand({ TableName: inject('tables').audit, Key: { pk: `${tenant}#${id}` } })))
      .Item!;
  const versionOf = (item: Record<string, any>) =>
    sealedKeys(item.e).find((g) => g.person === PAT.id)!.version;

  beforeAll(async () => {
    t = await tokensFor(tenant);
  });

  it('walks an entry sealed under the retired version after the request, and the hour verifies', async () => {
    await storeInLastHour('race-before', 5);
    const old = await keys.current(tenant, PAT.id);

    const res = await api('/v1/erasures', { token: t.owner, body: { personId: PAT.id } });
    expect(res.status, res.text).toBe(202);
    // Two steps: the version noted, then retired. No key is current until a writer needs one.
    await drain(2);
    expect(await keys.version(tenant, PAT.id)).toBeNull();
    expect((await keys.find(tenant, PAT.id, old.version))?.equals(old.key)).toBe(true);

    // A writer whose cache still holds the old key seals under it (before the walk).
    const staleKeys: PersonKeys = {
      current: async () => old,
      find: (tenantId, personId, version) => keys.find(tenantId, personId, version),
      version: (tenantId, personId) => keys.version(tenantId, personId),
      retire: async () => {},
      destroy: async () => {},
      cacheSeconds: 300,
    };
    const staleStore = new DynamoAuditStore(doc, {
      tableName: inject('tables').audit,
      shardsFor: () => 1,
      keys: staleKeys,
    });
    await storeInLastHour('race-stale', 10, staleStore);
    expect(versionOf(await rawItem('race-stale'))).toBe(old.version);
    // A writer looking the key up now gets a fresh version: the person after the erasure.
    const fresh = await api('/v1/audit-events', {
      token: t.service,
      body: { events: [byPat('race-fresh', new Date().toISOString(), 'Pat Again', 'pat.again@example.com')] },
    });
    expect(fresh.status, fresh.text).toBe(200);
    expect(versionOf(await rawItem('race-fresh'))).not.toBe(old.version);

    await drain();
    const done = await api(`/v1/erasures/${res.body.id}`, { token: t.owner });
    expect(done.body).toMatchObject({ status: 'done', auditEntries: 2 });
    expect(await keys.find(tenant, PAT.id, old.version)).toBeNull();

    const items = await auditItems(t);
    for (const id of ['race-before', 'race-stale']) {
      const item = items.find((i) => i.id === id)!;
      expect(item.actor, id).toMatchObject({ name: '[erased]', email: '[erased]' });
      expect(item.ip, id).toBe('[erased]');
      expect(item.userAgent, id).toBe('[erased]');
      const stored = await rawItem(id);
      expect(stored.e.integrity.commitments, id).toBeDefined();
      expect(stored.f?.ip, id).toBeUndefined();
      expect(stored.ipp, id).toBeUndefined();
    }
    const after = items.find((i) => i.id === 'race-fresh')!;
    expect(after.actor).toMatchObject({ name: 'Pat Again', email: 'pat.again@example.com' });
    expect(after.ip).toBe(PAT.ip);
    // The IP filter finds only the entry written after the erasure: the others' helpers are gone.
    expect((await auditItems(t, `&ip=${PAT.ip}`)).map((i) => i.id)).toEqual(['race-fresh']);
    for (const secret of [PAT.name, PAT.email]) expect(JSON.stringify(items)).not.toContain(secret);

    await sealLastHour(tenant, thisHour);
    const { code, out } = await runVerify(t.owner, lastHour, new Date(thisHour).toISOString());
    expect(code, out).toBe(0);
  }, 60_000);
});

/**
 * The stuck erasure (issue 18): a pending erasure whose message was lost (here: one waiting out
 * key caches whose delayed message never came) is found by the resumer, which each local drain runs
 * first, and finishes; a fresh pending one and a done one are left alone.
 */
describe('the resumer and erasures', () => {
  const tenant = uniqueTenant('erase-stuck');
  const trust = new DynamoTrustStore(doc, { tableName: inject('tables').state });
  const minutesAgo = (m: number) => new Date(Date.now() - m * 60_000).toISOString();
  const record = (id: string, patch: Partial<ErasureRecord>): ErasureRecord => ({
    tenantId: tenant,
    id,
    personId: `u-${id}`,
    status: 'pending',
    phase: 'wait',
    keyVersion: null,
    stream: 0,
    shard: 0,
    auditEntries: 0,
    activityEntries: 0,
    requestedAt: minutesAgo(60),
    updatedAt: minutesAgo(40),
    waitUntil: minutesAgo(35),
    ...patch,
  });
  afterAll(async () => {
    // The fresh one leaves the resumer's index: no later drain of the shared stack picks it up.
    await trust.putErasure(record('FRESH', { status: 'blocked', updatedAt: minutesAgo(0) }));
  });

  it('re-queues a stalled pending erasure and leaves fresh and done ones alone', async () => {
    const t = await tokensFor(tenant);
    await trust.putErasure(record('STALLED', {}));
    const { waitUntil: _w, ...fresh } = record('FRESH', { phase: 'retire', updatedAt: minutesAgo(1) });
    await trust.putErasure(fresh);
    const finished = record('FINISHED', { status: 'done', phase: 'done', completedAt: minutesAgo(30) });
    await trust.putErasure(finished);

    await drain();
    const stalled = await api(`/v1/erasures/STALLED`, { token: t.owner });
    expect(stalled.body).toMatchObject({ status: 'done' });
    expect(await trust.getErasure(tenant, 'FRESH')).toMatchObject({ status: 'pending', phase: 'retire' });
    expect(await trust.getErasure(tenant, 'FINISHED')).toEqual(finished);
  }, 60_000);

  it('writes a checkpoint only over the record its step loaded (a late copy of a step loses)', async () => {
    const loaded = record('LOCKED', { status: 'blocked' });
    await trust.putErasure(loaded);
    const first = { ...loaded, auditEntries: 1, updatedAt: minutesAgo(0) };
    expect(await trust.putErasure(first, loaded.updatedAt)).toBe(true);
    // A second copy that loaded the same record writes nothing.
    expect(
      await trust.putErasure({ ...loaded, auditEntries: 7, updatedAt: minutesAgo(0) }, loaded.updatedAt),
    ).toBe(false);
    expect(await trust.getErasure(tenant, 'LOCKED')).toEqual(first);
  });
});

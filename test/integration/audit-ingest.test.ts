import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { toAuditItem } from '../../shared/adapters/dynamodb/audit-keys.ts';
import type { AuditEntry } from '../../shared/domain/audit/schema.ts';
import { api, tokensFor, uniqueTenant } from './helpers.ts';

const tenant = uniqueTenant('audi');
const otherTenant = uniqueTenant('audi-other');
let tokens: Awaited<ReturnType<typeof tokensFor>>;
let otherTokens: Awaited<ReturnType<typeof tokensFor>>;
const raw = DynamoDBDocumentClient.from(
  new DynamoDBClient({
    region: 'eu-west-1',
    endpoint: inject('dynamoEndpoint'),
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  }),
);
afterAll(() => raw.destroy());

const minutesAgo = (n: number) => new Date(Date.now() - n * 60_000).toISOString();

function event(overrides: Record<string, unknown> = {}) {
  return {
    tenantId: tenant,
    occurredAt: minutesAgo(10),
    actor: { type: 'user', id: 'u-adam', name: 'Adam Admin' },
    action: 'Deleted',
    object: { type: 'Task', id: 'task-1', name: 'Onboarding checklist' },
    source: { kind: 'web' },
    ...overrides,
  };
}

const ingest = (events: unknown[], token = tokens.service) =>
  api('/v1/audit-events', { token, body: { events } });
const getEntry = (id: string, token = tokens.admin) =>
  api(`/v1/audit-events/${encodeURIComponent(id)}`, { token });

beforeAll(async () => {
  [tokens, otherTokens] = await Promise.all([tokensFor(tenant), tokensFor(otherTenant)]);
});

describe('POST /v1/audit-events', () => {
  it('answers created per event in input order and assigns a ULID when the id is absent', async () => {
    const res = await ingest([event({ id: 'order-b' }), event(), event({ id: 'order-a' })]);
    expect(res.status, res.text).toBe(200);
    expect(res.body.results.map((r: { status: string }) => r.status)).toEqual([
      'created',
      'created',
      'created',
    ]);
    expect(res.body.results[0].id).toBe('order-b');
    expect(res.body.results[1].id).toMatch(/^[0-9A-HJKMNP-TV-Z]{26}$/);
    expect(res.body.results[2].id).toBe('order-a');
    expect((await getEntry(res.body.results[1].id)).status).toBe(200);
  });

  it('answers duplicate for an id it already stored and never overwrites it', async () => {
    expect((await ingest([event({ id: 'dup-1' })])).body.results[0].status).toBe('created');
    const again = await ingest([
      event({ id: 'dup-1', action: 'Created', object: { type: 'Item', id: 'other', name: 'Changed' } }),
      event({ id: 'dup-2' }),
      event({ id: 'dup-2', action: 'Updated' }),
    ]);
    expect(again.status).toBe(200);
    expect(again.body.results).toEqual([
      { id: 'dup-1', status: 'duplicate' },
      { id: 'dup-2', status: 'created' },
      { id: 'dup-2', status: 'duplicate' },
    ]);
    const stored = await getEntry('dup-1');
    expect(stored.body).toMatchObject({ action: 'Deleted', object: { type: 'Task', id: 'task-1' } });
    expect((await getEntry('dup-2')).body.action).toBe('Deleted');
  });

  it('answers 400 naming every bad path of every bad event, and writes nothing', async () => {
    const res = await ingest([
      event({ id: 'batch-ok' }),
      event({ id: 'bad id!', actor: { type: 'robot', name: '' } }),
      event({ action: 'Exploded', object: { type: 'Spaceship', id: 'x' } }),
      event({ occurredAt: new Date(Date.now() + 3_600_000).toISOString(), ip: '300.1.1.1' }),
      event({ occurredAt: '2020-01-01T00:00:00Z', tenantId: 'bad tenant' }),
      event({ changes: Array.from({ length: 201 }, (_, i) => ({ field: `f${i}` })) }),
      event({ details: { blob: 'x'.repeat(33 * 1024) } }),
    ]);
    expect(res.status).toBe(400);
    expect(res.headers.get('content-type')).toContain('application/problem+json');
    const paths = res.body.errors.map((e: { path: string }) => e.path);
    expect(paths).toEqual(
      expect.arrayContaining([
        'events[1].id',
        'events[1].actor.type',
        'events[1].actor.name',
        'events[2].action',
        'events[2].object.type',
        'events[3].occurredAt',
        'events[3].ip',
        'events[4].tenantId',
        'events[4].occurredAt',
        'events[5].changes',
        'events[6].details',
      ]),
    );
    expect(paths.some((p: string) => p.startsWith('events[0]'))).toBe(false);
    expect((await getEntry('batch-ok')).status).toBe(404);
  });

  it('rejects an occurredAt older than the retention period', async () => {
    const old = new Date();
    old.setUTCMonth(old.getUTCMonth() - 19);
    const res = await ingest([event({ occurredAt: old.toISOString() })]);
    expect(res.status).toBe(400);
    expect(res.body.errors).toEqual([
      { path: 'events[0].occurredAt', message: expect.stringMatching(/retention/) },
    ]);
  });

  it('normalises a timestamp with an offset to UTC with milliseconds', async () => {
    const res = await ingest([event({ id: 'offset-1', occurredAt: '2026-11-01T12:00:00+02:00' })]);
    expect(res.status, res.text).toBe(200);
    expect((await getEntry('offset-1')).body.occurredAt).toBe('2026-11-01T10:00:00.000Z');
  });

  it('answers 400 for an empty batch, more than 100 events and malformed JSON; 413 over 1 MB', async () => {
    expect((await ingest([])).status).toBe(400);
    expect((await ingest(Array.from({ length: 101 }, () => event()))).status).toBe(400);
    const malformed = await api('/v1/audit-events', {
      method: 'POST',
      token: tokens.service,
      rawBody: '{"events": [',
      headers: { 'content-type': 'application/json' },
    });
    expect(malformed.status).toBe(400);
    const big = await ingest([event({ id: 'too-big', userAgent: 'x'.repeat(1024 * 1024) })]);
    expect(big.status).toBe(413);
    expect((await getEntry('too-big')).status).toBe(404);
  });

  it('redacts secrets in changes and at any depth of details, and stores no plaintext', async () => {
    const res = await ingest([
      event({
        id: 'redact-1',
        action: 'Updated',
        object: { type: 'ApiApplication', id: 'app-9', name: 'Payroll' },
        request: { method: 'patch', url: '/api/v2/apps/app-9?access_token=PLAIN-URL-TOKEN&x=1', status: 200 },
        changes: [
          { field: 'password', before: 'PLAIN-OLD-PW', after: 'PLAIN-NEW-PW' },
          { field: 'clientSecret', after: 'PLAIN-CLIENT-SECRET' },
          { field: 'name', before: 'Old', after: { label: 'New', privateKey: 'PLAIN-NESTED-KEY' } },
        ],
        details: {
          'x-api-key': 'PLAIN-API-KEY',
          config: {
            hooks: [
              { url: 'https://h', authorization: 'Bearer PLAIN-AUTH' },
              { accessToken: 'PLAIN-ACCESS' },
            ],
            nested: { deeper: { private_key: 'PLAIN-PRIVATE', keep: 'visible' } },
          },
          Credentials: { user: 'PLAIN-CRED-USER' },
        },
      }),
    ]);
    expect(res.status, res.text).toBe(200);
    const entry = (await getEntry('redact-1')).body;
    expect(entry.changes).toEqual([
      { field: 'password', before: '[REDACTED]', after: '[REDACTED]' },
      { field: 'clientSecret', after: '[REDACTED]' },
      { field: 'name', before: 'Old', after: { label: 'New', privateKey: '[REDACTED]' } },
    ]);
    expect(entry.details).toEqual({
      'x-api-key': '[REDACTED]',
      config: {
        hooks: [{ url: 'https://h', authorization: '[REDACTED]' }, { accessToken: '[REDACTED]' }],
        nested: { deeper: { private_key: '[REDACTED]', keep: 'visible' } },
      },
      Credentials: '[REDACTED]',
    });
    expect(entry.request.method).toBe('PATCH');
    const stored = await raw.send(
      new GetCommand({ TableName: inject('tables').audit, Key: { pk: `${tenant}#redact-1` } }),
    );
    const text = JSON.stringify(stored.Item);
    expect(text).toContain('visible');
    expect(text).not.toMatch(/PLAIN-/);
  });

  it('computes the summary and attribution at write time', async () => {
    await ingest([
      event({ id: 'sum-1' }),
      event({
        id: 'sum-2',
        actor: { type: 'user', id: 'u-leo', name: 'Leo Learner' },
        impersonator: { id: 'u-adam', name: 'Adam Admin' },
        action: 'Updated',
        source: { kind: 'web' },
      }),
      event({
        id: 'sum-3',
        action: 'MarkedAsCompleted',
        object: { type: 'Item', id: 'item-1', name: 'Fire Safety' },
        subject: { id: 'u-leo', name: 'Leo Learner' },
      }),
      event({
        id: 'sum-4',
        actor: { type: 'api', id: 'app-1', name: 'HR App' },
        source: { kind: 'api', name: 'HR App' },
      }),
      event({ id: 'sum-5', source: { kind: 'csv_import' } }),
    ]);
    const get = async (id: string) => (await getEntry(id)).body;
    expect(await get('sum-1')).toMatchObject({
      summary: 'Adam Admin deleted Task "Onboarding checklist"',
      attribution: 'Web',
    });
    expect((await get('sum-2')).summary).toBe(
      'Adam Admin while logged in as Leo Learner updated Task "Onboarding checklist"',
    );
    expect((await get('sum-3')).summary).toBe(
      'Adam Admin marked Item "Fire Safety" as completed on behalf of Leo Learner',
    );
    expect((await get('sum-4')).attribution).toBe('API (HR App)');
    expect((await get('sum-5')).attribution).toBe('CSV Import');
  });
});

describe('retention on read', () => {
  it('hides an entry whose retention has passed, before any TTL sweep', async () => {
    const entry: AuditEntry = {
      id: 'expired-1',
      tenantId: tenant,
      occurredAt: minutesAgo(60),
      recordedAt: minutesAgo(60),
      actor: { type: 'user', id: 'u-expired', name: 'Old Timer' },
      action: 'Created',
      object: { type: 'Task', id: 'task-expired', name: 'Expired' },
      source: { kind: 'web' },
      summary: 'Old Timer created Task "Expired"',
      attribution: 'Web',
    };
    const item = toAuditItem(entry, 1, Math.floor(Date.now() / 1000) - 60);
    await raw.send(new PutCommand({ TableName: inject('tables').audit, Item: item }));
    expect((await getEntry('expired-1')).status).toBe(404);
    for (const q of ['', 'objectId=task-expired', 'actorId=u-expired', 'objectName=expired']) {
      const list = await api(`/v1/audit-events?${q}&limit=200`, { token: tokens.admin });
      expect(list.status).toBe(200);
      expect(list.body.items.map((i: { id: string }) => i.id)).not.toContain('expired-1');
    }
  });
});

describe('access', () => {
  it('lets owners and admins read, and forbids every other role', async () => {
    await ingest([event({ id: 'role-1' })]);
    for (const t of [tokens.owner, tokens.admin]) {
      expect((await api('/v1/audit-events', { token: t })).status).toBe(200);
      expect((await getEntry('role-1', t)).status).toBe(200);
    }
    const others = [
      tokens.hr,
      tokens.reporter,
      tokens.designer,
      tokens.curator,
      tokens.curatorReporting,
      tokens.manager,
      tokens.learner,
      tokens.service,
    ];
    for (const t of others) {
      expect((await api('/v1/audit-events', { token: t })).status).toBe(403);
      expect((await api('/v1/audit-events?action=Nope&limit=0', { token: t })).status).toBe(403);
      expect((await getEntry('role-1', t)).status).toBe(403);
    }
  });

  it('answers 401 without a token and 403 for a user token on ingest', async () => {
    expect((await api('/v1/audit-events')).status).toBe(401);
    expect((await getEntry('role-1', '')).status).toBe(401);
    expect((await api('/v1/audit-events', { body: { events: [event()] } })).status).toBe(401);
    expect((await ingest([event({ id: 'by-user' })], tokens.admin)).status).toBe(403);
    expect((await getEntry('by-user')).status).toBe(404);
  });

  it('keeps tenants apart: another tenant’s id is 404 and never listed', async () => {
    await ingest([
      event({ id: 'mine-only' }),
      event({ id: 'theirs-only', tenantId: otherTenant, object: { type: 'Task', id: 'secret-task' } }),
      event({ id: 'same-id', object: { type: 'Task', id: 'task-a', name: 'Mine' } }),
      event({ id: 'same-id', tenantId: otherTenant, object: { type: 'Task', id: 'task-b', name: 'Theirs' } }),
    ]).then((r) =>
      expect(r.body.results.map((x: { status: string }) => x.status)).toEqual(Array(4).fill('created')),
    );
    expect((await getEntry('theirs-only')).status).toBe(404);
    expect((await getEntry('mine-only', otherTokens.admin)).status).toBe(404);
    expect((await getEntry('same-id')).body.object.name).toBe('Mine');
    expect((await getEntry('same-id', otherTokens.owner)).body.object.name).toBe('Theirs');
    const mine = await api('/v1/audit-events?limit=200', { token: tokens.admin });
    expect(mine.body.items.every((i: { tenantId: string }) => i.tenantId === tenant)).toBe(true);
    expect(mine.body.items.map((i: { id: string }) => i.id)).not.toContain('theirs-only');
    const byObject = await api('/v1/audit-events?objectId=secret-task', { token: tokens.admin });
    expect(byObject.body.items).toEqual([]);
  });
});

describe('the OpenAPI document', () => {
  it('describes the audit routes with their schemas as components', async () => {
    const doc = (await api('/v1/openapi.json')).body;
    expect(Object.keys(doc.paths['/v1/audit-events'])).toEqual(expect.arrayContaining(['get', 'post']));
    expect(doc.paths['/v1/audit-events/{id}'].get.responses['404']).toBeDefined();
    expect(Object.keys(doc.components.schemas)).toEqual(
      expect.arrayContaining(['AuditEventInput', 'AuditEntry', 'AuditListItem', 'AuditPage']),
    );
    const params = doc.paths['/v1/audit-events'].get.parameters.map((p: { name: string }) => p.name);
    expect(params).toEqual(
      expect.arrayContaining([
        'actorId',
        'objectName',
        'ip',
        'system',
        'requestUrl',
        'classId',
        'cursor',
        'limit',
      ]),
    );
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROUTES, type RouteDef } from '../../functions/routes.ts';
import { api, token, tokensFor, uniqueTenant } from './helpers.ts';

/**
 * Access: a matrix generated from functions/routes.ts — every route × every caller (the nine
 * roles, curator with `reporting`, no token, a bad token) × own or foreign tenant — with the
 * expected status from API.md's access table. A route without an expectation fails the suite.
 * Ids are created in tenant A; tenant B's callers must get 404 for them and never see them in
 * lists. Then cursor tampering: every alteration or replay is a 400 naming `cursor`.
 */
type Caller =
  | 'owner'
  | 'admin'
  | 'hr'
  | 'reporter'
  | 'learning_designer'
  | 'curator'
  | 'curator+reporting'
  | 'manager'
  | 'learner'
  | 'service'
  | 'no token'
  | 'bad token';
const CALLERS: Caller[] = [
  'owner',
  'admin',
  'hr',
  'reporter',
  'learning_designer',
  'curator',
  'curator+reporting',
  'manager',
  'learner',
  'service',
  'no token',
  'bad token',
];
const USER_ROLES = CALLERS.filter((c) => c !== 'service' && c !== 'no token' && c !== 'bad token');
const only =
  (allowed: Caller[], ok = 200) =>
  (c: Caller) =>
    c === 'no token' || c === 'bad token' ? 401 : allowed.includes(c) ? ok : 403;
const open = () => 200;

/** Roles that may use saved reports: those that may read at least one log. */
const REPORT_ROLES: Caller[] = [
  'owner',
  'admin',
  'hr',
  'reporter',
  'learning_designer',
  'curator+reporting',
  'manager',
];
function reportById(ok: number) {
  return (c: Caller) =>
    c === 'no token' || c === 'bad token'
      ? 401
      : !REPORT_ROLES.includes(c)
        ? 403
        : c === 'owner' || c === 'admin'
          ? ok
          : 404;
}

const DIRECTORY_READERS: Caller[] = [
  'owner',
  'admin',
  'hr',
  'reporter',
  'learning_designer',
  'curator+reporting',
  'manager',
];

/** API.md "Identity and access": status by caller, for the caller's own tenant. */
const EXPECTED: Record<string, (c: Caller) => number> = {
  'GET /health': open,
  'GET /v1/openapi.json': open,
  'GET /v1/catalog': only(USER_ROLES),
  'PUT /v1/directory/users': only(['service']),
  'PUT /v1/directory/teams': only(['service']),
  'PUT /v1/directory/groups': only(['service']),
  'PUT /v1/directory/content': only(['service']),
  'POST /v1/activity-events': only(['service']),
  'POST /v1/audit-events': only(['service']),
  'GET /v1/activity': only([
    'owner',
    'admin',
    'hr',
    'reporter',
    'learning_designer',
    'curator+reporting',
    'manager',
  ]),
  'GET /v1/me/activity': only(USER_ROLES),
  // The directory's pickers: scoped like the activity log (a manager sees their own tree).
  'GET /v1/directory/users': only(DIRECTORY_READERS),
  'GET /v1/directory/teams': only(DIRECTORY_READERS),
  'GET /v1/directory/groups': only(DIRECTORY_READERS),
  // Every user role lists its own exports (an empty list for one that never exported).
  'GET /v1/exports': only(USER_ROLES),
  'GET /v1/audit-events': only(['owner', 'admin']),
  'GET /v1/audit-events/{id}': only(['owner', 'admin']),
  // Integrity: the entry's hour is still open here, so its proof is a 409 for those who may read it.
  'GET /v1/audit-events/{id}/proof': only(['owner', 'admin'], 409),
  'GET /v1/audit-digests': only(['owner', 'admin']),
  'GET /v1/audit-digests/keys': only(['owner', 'admin']),
  // An extension (a digest's leaf list): tenant A has no digest of that hour, so 404 to its readers.
  'GET /v1/audit-digests/{id}/leaves': only(['owner', 'admin'], 404),
  'POST /v1/exports': only(['owner', 'admin'], 202),
  // The export was requested by tenant A's admin: only they and owners may read it; to anyone
  // else it does not exist (404); a service token may not use user routes (403).
  'GET /v1/exports/{id}': (c) =>
    c === 'no token' || c === 'bad token'
      ? 401
      : c === 'service'
        ? 403
        : ['owner', 'admin'].includes(c)
          ? 200
          : 404,
  // No Authorization: the token in the path is the credential, whoever presents it.
  'GET /v1/downloads/{token}': () => 302,
  // Saved reports: roles that may read neither log get 403; the fixture is tenant A's admin's
  // shared *audit* report, which roles without audit access cannot see (404).
  'POST /v1/reports': only(['owner', 'admin'], 201),
  'GET /v1/reports': only(REPORT_ROLES),
  'GET /v1/reports/{id}': reportById(200),
  'PUT /v1/reports/{id}': reportById(200),
  'DELETE /v1/reports/{id}': reportById(204),
  'PUT /v1/reports/{id}/schedule': reportById(200),
  'DELETE /v1/reports/{id}/schedule': reportById(204),
  // Legal holds and retention (API.md "Trust"): owners change, owners and admins read.
  'POST /v1/legal-holds': only(['owner'], 201),
  'GET /v1/legal-holds': only(['owner', 'admin']),
  'DELETE /v1/legal-holds/{id}': only(['owner']),
  'GET /v1/settings/retention': only(['owner', 'admin']),
  'PUT /v1/settings/retention': only(['owner']),
  // Erasure of a person: owners only (API.md "Trust → Erasure of a person").
  'POST /v1/erasures': only(['owner'], 202),
  'GET /v1/erasures/{id}': only(['owner']),
};

const tenantA = uniqueTenant('acc-a');
const tenantB = uniqueTenant('acc-b');
const AUDIT_IDS = ['acc-1', 'acc-2', 'acc-3'];
let tokens: Record<'A' | 'B', Record<Caller, string | undefined>>;
let exportId = '';
let reportId = '';
let downloadToken = '';
let erasureId = '';

async function callerTokens(tenant: string): Promise<Record<Caller, string | undefined>> {
  const t = await tokensFor(tenant);
  return {
    owner: t.owner,
    admin: t.admin,
    hr: t.hr,
    reporter: t.reporter,
    learning_designer: t.designer,
    curator: t.curator,
    'curator+reporting': t.curatorReporting,
    manager: t.manager,
    learner: t.learner,
    service: t.service,
    'no token': undefined,
    // Right claims, wrong signature.
    'bad token': await import('../../local/tokens.ts').then((m) =>
      m.mintToken({ tenant, role: 'owner', sub: 'u-owner' }, new TextEncoder().encode('not-the-secret')),
    ),
  };
}

const REPORT_BODY = { name: 'Weekly admin actions', log: 'audit', filters: {}, visibility: 'shared' };
const SCHEDULE_BODY = { frequency: 'weekly', recipients: ['u-admin'] };

/** A shared audit report of tenant A's admin (with a schedule when asked). */
/** A fresh active hold of tenant A (one person nobody is), so each release meets one. */
async function newHold(): Promise<string> {
  const res = await api('/v1/legal-holds', {
    token: tokens.A.owner,
    body: { name: 'Matrix', reason: 'Access matrix', personIds: ['nobody'] },
  });
  expect(res.status, res.text).toBe(201);
  return res.body.id;
}

async function newReport(withSchedule: boolean): Promise<string> {
  const created = await api('/v1/reports', { token: tokens.A.admin, body: REPORT_BODY });
  expect(created.status, created.text).toBe(201);
  if (withSchedule) {
    const put = await api(`/v1/reports/${created.body.id}/schedule`, {
      method: 'PUT',
      token: tokens.A.admin,
      body: SCHEDULE_BODY,
    });
    expect(put.status, put.text).toBe(200);
  }
  return created.body.id;
}

/** A request that would succeed for an allowed caller of tenant A. */
async function requestFor(route: RouteDef): Promise<{ path: string; method: string; body?: unknown }> {
  // Deletes get a fresh report each, so every cell meets one that exists.
  const report =
    route.method === 'DELETE' && route.path.startsWith('/v1/reports/')
      ? await newReport(route.path.endsWith('/schedule'))
      : reportId;
  const hold = route.path === '/v1/legal-holds/{id}' ? await newHold() : '';
  const path = route.path
    .replace('/v1/erasures/{id}', `/v1/erasures/${erasureId}`)
    .replace('/v1/legal-holds/{id}', `/v1/legal-holds/${hold}`)
    .replace('/v1/reports/{id}', `/v1/reports/${report}`)
    .replace('/v1/exports/{id}', `/v1/exports/${exportId}`)
    .replace('/v1/audit-digests/{id}', '/v1/audit-digests/dg-2020-01-01T00')
    .replace('{id}', AUDIT_IDS[0]!)
    .replace('{token}', downloadToken);
  const records: Record<string, unknown[]> = {
    users: [
      {
        id: 'u-acc',
        firstName: 'A',
        lastName: 'B',
        email: 'a@example.com',
        role: 'Learner',
        status: 'active',
      },
    ],
    teams: [{ id: 'team-acc', name: 'Team' }],
    groups: [{ id: 'group-acc', name: 'Group' }],
    content: [{ id: 'content-acc', type: 'Item', title: 'Title' }],
  };
  const kind = route.path.split('/').pop() ?? '';
  let body: unknown;
  if (route.path.startsWith('/v1/directory/')) body = { tenantId: tenantA, [kind]: records[kind] };
  if (route.path === '/v1/audit-events' && route.method === 'POST')
    body = { events: [auditEvent('acc-matrix')] };
  if (route.path === '/v1/activity-events') body = { events: [activityEvent('act-matrix')] };
  if (route.path === '/v1/exports') body = { log: 'audit', format: 'json', filters: {} };
  if (route.path === '/v1/reports' || route.path === '/v1/reports/{id}') body = REPORT_BODY;
  if (route.path === '/v1/reports/{id}/schedule') body = SCHEDULE_BODY;
  if (route.path === '/v1/legal-holds')
    body = { name: 'Matrix', reason: 'Access matrix', personIds: ['nobody'] };
  if (route.path === '/v1/settings/retention') body = { auditMonths: 18 };
  // A person no entry names: the erasure finds nothing to change.
  if (route.path === '/v1/erasures') body = { personId: 'nobody-erased' };
  if (route.method === 'DELETE' || route.method === 'GET') body = undefined;
  return { path, method: route.method, body };
}

const auditEvent = (id: string) => ({
  id,
  tenantId: tenantA,
  occurredAt: new Date(Date.now() - 60_000).toISOString(),
  actor: { type: 'user', id: 'u-admin', name: 'Ada Admin' },
  action: 'Created',
  object: { type: 'Team', id: 'team-acc', name: 'Team' },
  source: { kind: 'web' },
});
const activityEvent = (id: string) => ({
  id,
  tenantId: tenantA,
  occurredAt: new Date(Date.now() - 60_000).toISOString(),
  userId: 'u-acc',
  action: 'Viewed',
  content: { type: 'Item', id: 'content-acc', title: 'Title' },
});

const outcomes: { route: string; caller: Caller; tenant: string; status: number; expected: number }[] = [];

beforeAll(async () => {
  tokens = { A: await callerTokens(tenantA), B: await callerTokens(tenantB) };
  const service = tokens.A.service!;
  const put = await api('/v1/directory/users', {
    method: 'PUT',
    token: service,
    body: {
      tenantId: tenantA,
      users: [
        {
          id: 'u-acc',
          firstName: 'A',
          lastName: 'B',
          email: 'a@example.com',
          role: 'Learner',
          status: 'active',
        },
        {
          id: 'u-admin',
          firstName: 'Ada',
          lastName: 'Admin',
          email: 'ada@example.com',
          role: 'Admin',
          status: 'active',
        },
      ],
    },
  });
  expect(put.status, put.text).toBe(200);
  const audit = await api('/v1/audit-events', {
    token: service,
    body: { events: AUDIT_IDS.map(auditEvent) },
  });
  expect(audit.status, audit.text).toBe(200);
  const activity = await api('/v1/activity-events', {
    token: service,
    body: { events: [activityEvent('act-1'), activityEvent('act-2'), activityEvent('act-3')] },
  });
  expect(activity.status, activity.text).toBe(200);
  const requested = await api('/v1/exports', {
    token: tokens.A.admin,
    body: { log: 'audit', format: 'csv', filters: {} },
  });
  expect(requested.status, requested.text).toBe(202);
  exportId = requested.body.id;
  for (let i = 0; i < 120 && !downloadToken; i++) {
    const job = await api(`/v1/exports/${exportId}`, { token: tokens.A.admin });
    expect(job.body.status, job.text).not.toBe('failed');
    if (job.body.status === 'succeeded')
      downloadToken = new URL(job.body.downloadUrl).pathname.split('/').pop()!;
    else await new Promise((r) => setTimeout(r, 250));
  }
  expect(downloadToken).toBeTruthy();
  reportId = await newReport(true);
  const erasure = await api('/v1/erasures', { token: tokens.A.owner, body: { personId: 'nobody-erased' } });
  expect(erasure.status, erasure.text).toBe(202);
  erasureId = erasure.body.id;
});

afterAll(() => {
  const denied = outcomes.filter((o) => o.status >= 400).length;
  console.log(
    JSON.stringify({
      suite: 'access',
      cells: outcomes.length,
      routes: ROUTES.length,
      callers: CALLERS.length,
      denied,
    }),
  );
});

describe('the access matrix (routes × callers × tenants)', () => {
  it('has an expectation for every route', () => {
    expect(ROUTES.map((r) => `${r.method} ${r.path}`).filter((k) => !EXPECTED[k])).toEqual([]);
  });

  for (const route of ROUTES) {
    const key = `${route.method} ${route.path}`;
    it(`${key}: every caller of either tenant gets what API.md allows`, async () => {
      const expectOf = EXPECTED[key];
      expect(expectOf, `no expectation for ${key}`).toBeDefined();
      for (const side of ['A', 'B'] as const) {
        for (const caller of CALLERS) {
          const req = await requestFor(route);
          const res = await api(req.path, {
            method: req.method,
            token: tokens[side][caller],
            body: req.body,
          });
          let expected = expectOf!(caller);
          // Another tenant's id is unknown to the caller: 404, never 403-with-existence or 200.
          if (side === 'B' && (expected < 300 || expected === 409) && route.path.includes('{id}'))
            expected = 404;
          outcomes.push({ route: key, caller, tenant: side, status: res.status, expected });
          expect(res.status, `${key} as ${caller} of tenant ${side}: ${res.text}`).toBe(expected);
          if (side === 'B' && res.status === 200 && route.method === 'GET' && route.path.startsWith('/v1/')) {
            // Lists of tenant B never show tenant A's ids.
            expect(res.text, `${key} as ${caller} of B`).not.toMatch(/acc-[123]|act-[123]|u-acc|acc-matrix/);
          }
        }
      }
    });
  }

  it('shows tenant A its own entries, so the foreign-tenant checks above are meaningful', async () => {
    const list = await api('/v1/audit-events?objectId=team-acc&limit=200', { token: tokens.A.admin });
    expect(list.body.items.map((i: { id: string }) => i.id)).toEqual(expect.arrayContaining(AUDIT_IDS));
    const activity = await api('/v1/activity', { token: tokens.A.admin });
    expect(activity.body.items.map((i: { id: string }) => i.id)).toEqual(
      expect.arrayContaining(['act-1', 'act-2', 'act-3']),
    );
  });

  it('refuses a service token that names no tenant on user routes, and a token of an unknown role', async () => {
    const odd = await token({ tenant: tenantA, role: 'superuser', sub: 'u-x' });
    expect((await api('/v1/audit-events', { token: odd })).status).toBe(401);
    const noTenant = await token({ role: 'owner', sub: 'u-x' });
    expect((await api('/v1/audit-events', { token: noTenant })).status).toBe(401);
  });
});

describe('cursor tampering', () => {
  const flip = (s: string, at: number) => s.slice(0, at) + (s[at] === 'A' ? 'B' : 'A') + s.slice(at + 1);

  for (const list of [
    { path: '/v1/audit-events', other: 'action=Deleted' },
    { path: '/v1/activity', other: 'action=Completed' },
  ]) {
    it(`${list.path}: an altered, truncated, extended, foreign or re-filtered cursor is a 400 naming cursor`, async () => {
      const first = await api(`${list.path}?limit=1`, { token: tokens.A.admin });
      expect(first.status, first.text).toBe(200);
      const cursor: string = first.body.nextCursor;
      expect(cursor).toBeTruthy();
      expect(
        (await api(`${list.path}?limit=1&cursor=${encodeURIComponent(cursor)}`, { token: tokens.A.admin }))
          .status,
      ).toBe(200);
      const dot = cursor.indexOf('.');
      const tampered: [string, string, string][] = [
        ['bit flip in the payload', flip(cursor, 2), ''],
        ['bit flip in the signature', flip(cursor, dot + 3), ''],
        ['last character changed', flip(cursor, cursor.length - 1), ''],
        ['truncated', cursor.slice(0, -4), ''],
        ['signature removed', cursor.slice(0, dot), ''],
        ['extended', `${cursor}.x`, ''],
        ['garbage', 'not-a-cursor', ''],
        ['with other filters', cursor, `&${list.other}`],
        ['on the other list', cursor, ''],
      ];
      for (const [what, value, extra] of tampered) {
        const path =
          what === 'on the other list'
            ? list.path === '/v1/activity'
              ? '/v1/audit-events'
              : '/v1/activity'
            : list.path;
        const res = await api(`${path}?limit=1&cursor=${encodeURIComponent(value)}${extra}`, {
          token: tokens.A.admin,
        });
        expect(res.status, `${what}: ${res.text}`).toBe(400);
        expect(
          res.body.errors?.map((e: { path: string }) => e.path),
          what,
        ).toContain('cursor');
      }
      // Replayed by another tenant (same role): the cursor is bound to tenant A.
      const foreign = await api(`${list.path}?limit=1&cursor=${encodeURIComponent(cursor)}`, {
        token: tokens.B.admin,
      });
      expect(foreign.status, foreign.text).toBe(400);
      expect(foreign.text).not.toMatch(/acc-|act-/);
    });
  }
});

describe('download token tampering', () => {
  it('answers 404 to an altered, truncated, extended or invented download token, and 302 to the real one', async () => {
    const ok = await api(`/v1/downloads/${downloadToken}`);
    expect(ok.status).toBe(302);
    const flip = (s: string, at: number) => s.slice(0, at) + (s[at] === 'A' ? 'B' : 'A') + s.slice(at + 1);
    const variants = [
      flip(downloadToken, 1),
      flip(downloadToken, Math.floor(downloadToken.length / 2)),
      flip(downloadToken, downloadToken.length - 1),
      downloadToken.slice(0, -3),
      `${downloadToken}x`,
      `${downloadToken}.${downloadToken}`,
      'AAAAAAAAAAAAAAAA',
    ];
    for (const v of variants) {
      const res = await api(`/v1/downloads/${encodeURIComponent(v)}`);
      expect(res.status, v).toBe(404);
      expect(res.headers.get('location')).toBeNull();
    }
  });
});

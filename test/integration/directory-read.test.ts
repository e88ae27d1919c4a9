import { beforeAll, describe, expect, it } from 'vitest';
import { api, token, tokensFor, uniqueTenant } from './helpers.ts';

/**
 * The directory's pickers (`GET /v1/directory/users|teams|groups`): role scope (org readers see
 * the tenant, a manager their tree and its teams and groups, others 403), name order, `q` prefix
 * search, paging with a cursor bound to tenant, caller and query, and 400s naming every bad field.
 */
const tenant = uniqueTenant('dir');
const other = uniqueTenant('dir-other');
let t: Awaited<ReturnType<typeof tokensFor>>;

const user = (
  id: string,
  firstName: string,
  lastName: string,
  extra: Record<string, unknown> = {},
): Record<string, unknown> => ({
  id,
  firstName,
  lastName,
  email: `${id}@example.com`,
  role: 'Learner',
  status: 'active',
  ...extra,
});

const USERS = [
  user('u-manager', 'Maria', 'Manager', {
    role: 'Manager',
    primaryTeamId: 't-sales',
    groupIds: ['g-mentors'],
  }),
  user('u-sub', 'Sam', 'Submanager', { role: 'Manager', managerId: 'u-manager', primaryTeamId: 't-emea' }),
  user('u-deep', 'Dora', 'Deep', { managerId: 'u-sub', secondaryTeamIds: ['t-support'] }),
  user('u-adam', 'adam', 'Zed', { managerId: 'u-manager', groupIds: ['g-new'] }),
  user('u-gone', 'Gina', 'Gone', { managerId: 'u-manager', status: 'deactivated' }),
  user('u-out', 'Otto', 'Outsider', { primaryTeamId: 't-finance', groupIds: ['g-finance'] }),
  user('u-bea', 'Bea', 'Able', { email: 'zz-bea@example.com' }),
];
const TEAMS = [
  { id: 't-sales', name: 'Sales' },
  { id: 't-emea', name: 'Sales EMEA', parentId: 't-sales' },
  { id: 't-support', name: 'support' },
  { id: 't-finance', name: 'Finance' },
];
const GROUPS = [
  { id: 'g-mentors', name: 'Mentors' },
  { id: 'g-new', name: 'New joiners' },
  { id: 'g-finance', name: 'Finance circle' },
];

const ids = (res: { body: { items: { id: string }[] } }) => res.body.items.map((i) => i.id);

beforeAll(async () => {
  t = await tokensFor(tenant);
  for (const [kind, records] of [
    ['users', USERS],
    ['teams', TEAMS],
    ['groups', GROUPS],
  ] as const) {
    const put = await api(`/v1/directory/${kind}`, {
      method: 'PUT',
      token: t.service,
      body: { tenantId: tenant, [kind]: records },
    });
    expect(put.status, put.text).toBe(200);
  }
});

describe('GET /v1/directory/users', () => {
  it('shows an org reader every active user of the tenant, by name, with only the picker fields', async () => {
    for (const tok of [t.owner, t.admin, t.hr, t.reporter, t.designer, t.curatorReporting]) {
      const res = await api('/v1/directory/users', { token: tok });
      expect(res.status, res.text).toBe(200);
      // "adam Zed" sorts with the a's: case does not matter.
      expect(ids(res)).toEqual(['u-adam', 'u-bea', 'u-deep', 'u-manager', 'u-out', 'u-sub']);
      expect(res.body.nextCursor).toBeNull();
    }
    const res = await api('/v1/directory/users?q=maria', { token: t.owner });
    expect(res.body.items).toEqual([
      { id: 'u-manager', name: 'Maria Manager', email: 'u-manager@example.com', status: 'active' },
    ]);
  });

  it('adds deactivated users only when asked', async () => {
    const res = await api('/v1/directory/users?includeDeactivated=true', { token: t.admin });
    expect(ids(res)).toContain('u-gone');
    expect(res.body.items.find((i: { id: string }) => i.id === 'u-gone').status).toBe('deactivated');
  });

  it('shows a manager only themselves and their direct and indirect reports', async () => {
    const maria = await token({ tenant, role: 'manager', sub: 'u-manager' });
    const res = await api('/v1/directory/users?includeDeactivated=true', { token: maria });
    expect(res.status, res.text).toBe(200);
    expect(ids(res).sort()).toEqual(['u-adam', 'u-deep', 'u-gone', 'u-manager', 'u-sub']);
    // A search never reaches past the tree.
    expect(ids(await api('/v1/directory/users?q=otto', { token: maria }))).toEqual([]);
    // A manager the directory does not know sees nobody (not even a self it has no record of).
    const unknown = await token({ tenant, role: 'manager', sub: 'u-unknown' });
    expect(ids(await api('/v1/directory/users', { token: unknown }))).toEqual([]);
  });

  it('refuses learners, curators without reporting and services (403)', async () => {
    for (const tok of [t.learner, t.curator, t.service]) {
      const res = await api('/v1/directory/users', { token: tok });
      expect(res.status, res.text).toBe(403);
      expect(res.text).not.toMatch(/u-manager|Maria/);
    }
    expect((await api('/v1/directory/users')).status).toBe(401);
  });

  it('searches by a prefix of the first, last or full name or the e-mail address, ignoring case', async () => {
    const q = async (value: string) =>
      ids(await api(`/v1/directory/users?q=${encodeURIComponent(value)}`, { token: t.owner }));
    expect(await q('SA')).toEqual(['u-sub']);
    expect(await q('submanager')).toEqual(['u-sub']);
    expect(await q('sam sub')).toEqual(['u-sub']);
    expect(await q('zz-bea@')).toEqual(['u-bea']);
    expect(await q('ea')).toEqual([]); // a prefix, not a substring
  });

  it('pages with limit and cursor, every user once, in order', async () => {
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const query: string = `limit=2${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
      const res = await api(`/v1/directory/users?${query}`, { token: t.owner });
      expect(res.status, res.text).toBe(200);
      expect(res.body.items.length).toBeLessThanOrEqual(2);
      seen.push(...ids(res));
      cursor = res.body.nextCursor;
      pages++;
    } while (cursor && pages < 10);
    expect(seen).toEqual(['u-adam', 'u-bea', 'u-deep', 'u-manager', 'u-out', 'u-sub']);
    expect(pages).toBe(3);
  });

  it('binds the cursor to the tenant, the caller and the query (400 naming cursor)', async () => {
    const first = await api('/v1/directory/users?limit=1', { token: t.owner });
    const cursor = encodeURIComponent(first.body.nextCursor);
    const otherTenant = await token({ tenant: other, role: 'owner', sub: 'u-owner' });
    for (const [what, path, tok] of [
      ['other query', `/v1/directory/users?limit=1&q=s&cursor=${cursor}`, t.owner],
      ['other caller', `/v1/directory/users?limit=1&cursor=${cursor}`, t.admin],
      ['other tenant', `/v1/directory/users?limit=1&cursor=${cursor}`, otherTenant],
      ['other list', `/v1/directory/teams?limit=1&cursor=${cursor}`, t.owner],
      ['altered', `/v1/directory/users?limit=1&cursor=x${cursor}`, t.owner],
    ] as const) {
      const res = await api(path, { token: tok });
      expect(res.status, `${what}: ${res.text}`).toBe(400);
      expect(res.body.errors.map((e: { path: string }) => e.path)).toEqual(['cursor']);
    }
  });

  it('answers 400 naming every bad parameter', async () => {
    const res = await api(
      `/v1/directory/users?limit=0&includeDeactivated=maybe&q=${'x'.repeat(101)}&teamId=t-sales`,
      { token: t.owner },
    );
    expect(res.status, res.text).toBe(400);
    expect(res.body.errors.map((e: { path: string }) => e.path).sort()).toEqual(
      ['includeDeactivated', 'limit', 'q', 'teamId'].sort(),
    );
    expect((await api('/v1/directory/users?limit=201', { token: t.owner })).status).toBe(400);
  });

  it('shows another tenant nothing of this one', async () => {
    const otherOwner = await token({ tenant: other, role: 'owner', sub: 'u-owner' });
    for (const kind of ['users', 'teams', 'groups']) {
      const res = await api(`/v1/directory/${kind}`, { token: otherOwner });
      expect(res.status, res.text).toBe(200);
      expect(res.body).toEqual({ items: [], nextCursor: null });
    }
  });
});

describe('GET /v1/directory/teams and /groups', () => {
  it('shows an org reader every team and group by name, and searches by name prefix', async () => {
    expect(ids(await api('/v1/directory/teams', { token: t.hr }))).toEqual([
      't-finance',
      't-sales',
      't-emea',
      't-support',
    ]);
    expect(ids(await api('/v1/directory/teams?q=sales', { token: t.hr }))).toEqual(['t-sales', 't-emea']);
    expect(ids(await api('/v1/directory/groups', { token: t.reporter }))).toEqual([
      'g-finance',
      'g-mentors',
      'g-new',
    ]);
    expect((await api('/v1/directory/groups?q=ment', { token: t.reporter })).body.items).toEqual([
      { id: 'g-mentors', name: 'Mentors' },
    ]);
  });

  it('shows a manager only the teams and groups of their tree', async () => {
    const maria = await token({ tenant, role: 'manager', sub: 'u-manager' });
    expect(ids(await api('/v1/directory/teams', { token: maria }))).toEqual([
      't-sales',
      't-emea',
      't-support',
    ]);
    expect(ids(await api('/v1/directory/groups', { token: maria }))).toEqual(['g-mentors', 'g-new']);
    const sam = await token({ tenant, role: 'manager', sub: 'u-sub' });
    expect(ids(await api('/v1/directory/teams', { token: sam }))).toEqual(['t-emea', 't-support']);
    expect(ids(await api('/v1/directory/groups', { token: sam }))).toEqual([]);
  });

  it('pages teams, refuses learners and rejects bad parameters', async () => {
    const first = await api('/v1/directory/teams?limit=3', { token: t.owner });
    expect(ids(first)).toEqual(['t-finance', 't-sales', 't-emea']);
    const next = await api(
      `/v1/directory/teams?limit=3&cursor=${encodeURIComponent(first.body.nextCursor)}`,
      {
        token: t.owner,
      },
    );
    expect(ids(next)).toEqual(['t-support']);
    expect(next.body.nextCursor).toBeNull();
    expect((await api('/v1/directory/groups', { token: t.learner })).status).toBe(403);
    const bad = await api('/v1/directory/groups?includeDeactivated=true&limit=x', { token: t.owner });
    expect(bad.status).toBe(400);
    expect(bad.body.errors.map((e: { path: string }) => e.path).sort()).toEqual([
      'includeDeactivated',
      'limit',
    ]);
  });
});

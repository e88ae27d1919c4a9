import { beforeAll, describe, expect, it } from 'vitest';
import {
  buildEvents,
  CONTENT,
  expectedIds,
  GROUPS,
  groupMembers,
  isCompleted,
  isDeactivated,
  reportsOf,
  TEAMS,
  teamMembers,
  USERS,
} from './activity-fixture.ts';
import { api, token, uniqueTenant } from './helpers.ts';

const tenant = uniqueTenant('act');
const now = Date.now();
const events = buildEvents(tenant, now);
let service: string;
let owner: string;
const tokens = new Map<string, string>();

async function as(role: string, sub: string, reporting?: boolean) {
  const key = `${role}|${sub}|${reporting}`;
  if (!tokens.has(key)) tokens.set(key, await token({ tenant, role, sub, reporting }));
  return tokens.get(key)!;
}

/** Every page of a list, following nextCursor. */
async function walk(
  path: string,
  tok: string,
  limit = 7,
): Promise<{ ids: string[]; items: any[]; pages: number }> {
  const items: any[] = [];
  let cursor: string | null = null;
  let pages = 0;
  do {
    const sep = path.includes('?') ? '&' : '?';
    const url: string = `${path}${sep}limit=${limit}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
    const res = await api(url, { token: tok });
    expect(res.status, res.text).toBe(200);
    items.push(...res.body.items);
    cursor = res.body.nextCursor;
    pages++;
  } while (cursor && pages < 100);
  return { ids: items.map((i) => i.id), items, pages };
}

const visible = (e: any) => !isDeactivated(e.userId);
const inSet = (s: Set<string>) => (e: any) => s.has(e.userId);

beforeAll(async () => {
  service = await token({ role: 'service', sub: 'svc-test' });
  owner = await as('owner', 'u-owner');
  const put = async (kind: string, body: unknown) => {
    const res = await api(`/v1/directory/${kind}`, { method: 'PUT', token: service, body });
    expect(res.status, res.text).toBe(200);
  };
  await put('teams', { tenantId: tenant, teams: TEAMS });
  await put('groups', { tenantId: tenant, groups: GROUPS });
  await put('users', { tenantId: tenant, users: USERS });
  await put('content', {
    tenantId: tenant,
    content: [
      ...CONTENT.map((c) => ({ id: c.id, type: c.type, title: c.title })),
      { id: 'c-old', type: 'Item', title: 'Old Policy', archived: true },
    ],
  });
  for (let i = 0; i < events.length; i += 100) {
    const res = await api('/v1/activity-events', {
      token: service,
      body: { events: events.slice(i, i + 100) },
    });
    expect(res.status, res.text).toBe(200);
    expect(res.body.results.every((r: any) => r.status === 'created')).toBe(true);
  }
});

describe('GET /v1/activity scopes', () => {
  it('company scope shows every active user’s entries newest first across pages', async () => {
    const { ids, pages } = await walk('/v1/activity', owner);
    expect(ids).toEqual(expectedIds(events, visible));
    expect(pages).toBeGreaterThan(3);
  });

  it('walks the same entries oldest first with order=asc', async () => {
    const { ids } = await walk('/v1/activity?order=asc', owner, 11);
    expect(ids).toEqual(expectedIds(events, visible, 'asc'));
  });

  it('hides deactivated users by default and shows them with includeDeactivated=true', async () => {
    const hidden = await walk('/v1/activity?userId=l3b', owner);
    expect(hidden.ids).toEqual([]);
    const shown = await walk('/v1/activity?includeDeactivated=true', owner, 50);
    expect(shown.ids).toEqual(expectedIds(events, () => true));
    expect(shown.ids.some((id) => events.find((e) => e.id === id)?.userId === 'l3b')).toBe(true);
  });

  it('team scope: direct members, with sub-teams, and primary members only', async () => {
    const direct = await walk('/v1/activity?scope=team&teamId=sales', owner);
    expect(direct.ids).toEqual(expectedIds(events, (e) => visible(e) && inSet(teamMembers(['sales']))(e)));
    const sub = await walk('/v1/activity?scope=team&teamId=sales&includeSubTeams=true', owner);
    expect(sub.ids).toEqual(expectedIds(events, (e) => visible(e) && inSet(teamMembers(['sales'], true))(e)));
    const primary = await walk(
      '/v1/activity?scope=team&teamId=sales&includeSubTeams=true&primaryOnly=true',
      owner,
    );
    expect(primary.ids).toEqual(
      expectedIds(events, (e) => visible(e) && inSet(teamMembers(['sales'], true, true))(e)),
    );
    expect(new Set(sub.ids).size).toBeGreaterThan(new Set(primary.ids).size);
    const deep = await walk(
      '/v1/activity?scope=team&teamId=company&includeSubTeams=true&includeDeactivated=true',
      owner,
    );
    expect(deep.ids).toEqual(expectedIds(events, inSet(teamMembers(['company'], true))));
  });

  it('group scope shows the group’s members', async () => {
    const { ids } = await walk('/v1/activity?scope=group&groupId=g1,g2', owner);
    const members = new Set([...groupMembers('g1'), ...groupMembers('g2')]);
    expect(ids).toEqual(expectedIds(events, (e) => visible(e) && inSet(members)(e)));
  });

  it('answers 404 for a team or group scope naming an unknown id', async () => {
    expect((await api('/v1/activity?scope=team&teamId=nope', { token: owner })).status).toBe(404);
    expect((await api('/v1/activity?scope=group&groupId=nope', { token: owner })).status).toBe(404);
  });

  it('managed scope: a manager’s direct reports, and indirect ones with includeSubManagers', async () => {
    const m1 = await as('manager', 'm1');
    const direct = await walk('/v1/activity?scope=managed', m1);
    expect(direct.ids).toEqual(expectedIds(events, (e) => visible(e) && inSet(reportsOf('m1', false))(e)));
    const all = await walk('/v1/activity?scope=managed&includeSubManagers=true', m1);
    expect(all.ids).toEqual(expectedIds(events, (e) => visible(e) && inSet(reportsOf('m1', true))(e)));
    const asAdmin = await walk('/v1/activity?scope=managed&managerId=m2&includeSubManagers=true', owner);
    expect(asAdmin.ids).toEqual(expectedIds(events, (e) => visible(e) && inSet(reportsOf('m2', true))(e)));
  });

  it('a manager may name a manager in their tree, and gets 403 for one outside it', async () => {
    const m1 = await as('manager', 'm1');
    const sub = await walk('/v1/activity?scope=managed&managerId=m3', m1);
    expect(sub.ids).toEqual(expectedIds(events, (e) => visible(e) && inSet(reportsOf('m3', false))(e)));
    const m2 = await as('manager', 'm2');
    expect((await api('/v1/activity?scope=managed&managerId=m1', { token: m2 })).status).toBe(403);
    expect((await api('/v1/activity?scope=managed&managerId=x1', { token: m2 })).status).toBe(403);
  });

  it('a manager asking for company scope sees only their direct and indirect reports', async () => {
    const m2 = await as('manager', 'm2');
    const res = await walk('/v1/activity', m2);
    expect(res.ids).toEqual(expectedIds(events, (e) => visible(e) && inSet(reportsOf('m2', true))(e)));
    expect(res.ids.length).toBeGreaterThan(0);
  });

  it('a manager asking for another team, a group or an outside userId sees only their own reports in it', async () => {
    const m2 = await as('manager', 'm2');
    const tree = reportsOf('m2', true);
    const team = await walk('/v1/activity?scope=team&teamId=eng', m2);
    expect(team.ids).toEqual(
      expectedIds(events, (e) => visible(e) && tree.has(e.userId) && teamMembers(['eng']).has(e.userId)),
    );
    expect(team.ids.length).toBeGreaterThan(0);
    const group = await walk('/v1/activity?scope=group&groupId=g1', m2);
    expect(group.ids).toEqual([]);
    const outsider = await walk('/v1/activity?userId=x1,m1', m2);
    expect(outsider.ids).toEqual([]);
    const self = await walk('/v1/activity?userId=m2', m2);
    expect(self.ids).toEqual([]);
  });

  it('reads only the few reports’ entries for a manager’s tree, not the tenant’s', async () => {
    // The owner asks for m3's tree (a manager gets no cost headers): the same plan as m3's own view.
    const owner = await as('owner', 'o1');
    const res = await api('/v1/activity?limit=200&scope=managed&managerId=m3&includeSubManagers=true', {
      token: owner,
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('x-logbook-index')).toBe('byUser');
    const reportEntries = events.filter((e) => reportsOf('m3', true).has(e.userId)).length;
    expect(Number(res.headers.get('x-logbook-scanned'))).toBeLessThanOrEqual(reportEntries);
    expect(reportEntries).toBeLessThan(events.length / 3);
  });
});

describe('GET /v1/activity access', () => {
  it('lets org-wide roles in, and a curator only with reporting', async () => {
    for (const role of ['owner', 'admin', 'hr', 'reporter', 'learning_designer']) {
      const res = await api('/v1/activity?limit=1', { token: await as(role, `u-${role}`) });
      expect(res.status, role).toBe(200);
      expect(res.body.items).toHaveLength(1);
    }
    expect((await api('/v1/activity', { token: await as('curator', 'u-cur') })).status).toBe(403);
    const withReporting = await api('/v1/activity?limit=1', { token: await as('curator', 'u-cur', true) });
    expect(withReporting.status).toBe(200);
    expect(withReporting.body.items).toHaveLength(1);
  });

  it('answers 403 to learners and services, and 401 without a token', async () => {
    expect((await api('/v1/activity', { token: await as('learner', 'l1a') })).status).toBe(403);
    expect((await api('/v1/activity', { token: service })).status).toBe(403);
    expect((await api('/v1/activity')).status).toBe(401);
  });

  it('never shows another tenant’s entries', async () => {
    const other = await token({ tenant: uniqueTenant('other'), role: 'owner', sub: 'u-owner' });
    const res = await api('/v1/activity?includeDeactivated=true', { token: other });
    expect(res.status).toBe(200);
    expect(res.body.items).toEqual([]);
  });
});

describe('GET /v1/activity filters', () => {
  const cases: [string, (e: any) => boolean][] = [
    ['action=Failed,Completed', (e) => ['Failed', 'Completed'].includes(e.action)],
    ['contentType=Quiz', (e) => e.content?.type === 'Quiz'],
    ['itemType=Video,Article', (e) => ['Video', 'Article'].includes(e.content?.contentType)],
    ['contentId=c-video', (e) => e.content?.id === 'c-video'],
    ['title=SAFETY', (e) => !!e.content?.title.toLowerCase().includes('safety')],
    ['tag=compliance', (e) => !!e.content?.tags?.includes('Compliance')],
    ['userId=l1a,x2', (e) => ['l1a', 'x2'].includes(e.userId)],
    ['teamId=eng', (e) => teamMembers(['eng']).has(e.userId)],
    ['source=library-b', (e) => e.source === 'library-b'],
    ['cpdLabel=Health', (e) => !!e.cpdLabels?.includes('Health')],
    ['bulkImportId=bulk-1', (e) => e.bulkImportId === 'bulk-1'],
    ['completed=true', (e) => isCompleted(e)],
    ['completed=false', (e) => !isCompleted(e)],
    ['expired=true', (e) => !!e.expiresAt && Date.parse(e.expiresAt) < Date.now()],
    ['expired=false', (e) => !e.expiresAt || Date.parse(e.expiresAt) >= Date.now()],
    [
      'action=Watched&contentType=Item&source=library-a',
      (e) => e.action === 'Watched' && e.content?.type === 'Item' && e.source === 'library-a',
    ],
  ];
  for (const [query, keep] of cases) {
    it(`keeps exactly the matching entries for ${query}`, async () => {
      const { ids } = await walk(`/v1/activity?${query}`, owner, 9);
      const expected = expectedIds(events, (e) => visible(e) && keep(e));
      expect(expected.length).toBeGreaterThan(0);
      expect(ids).toEqual(expected);
    });
  }

  it('limits to the from/to window, from inclusive and to exclusive', async () => {
    const from = events[40].occurredAt;
    const to = events[10].occurredAt;
    const { ids } = await walk(`/v1/activity?from=${from}&to=${to}&includeDeactivated=true`, owner);
    expect(ids).toEqual(expectedIds(events, (e) => e.occurredAt >= from && e.occurredAt < to));
  });

  it('rejects bad filters naming each path', async () => {
    const res = await api('/v1/activity?action=Jumped&limit=500&order=sideways&bogus=1', { token: owner });
    expect(res.status).toBe(400);
    const paths = res.body.errors.map((e: any) => e.path);
    expect(paths).toEqual(expect.arrayContaining(['action[0]', 'limit', 'order']));
    const window = await api('/v1/activity?from=2026-02-01T00:00:00Z&to=2026-01-01T00:00:00Z', {
      token: owner,
    });
    expect(window.status).toBe(400);
    expect((await api('/v1/activity?scope=team', { token: owner })).body.errors[0].path).toBe('teamId');
  });
});

describe('entries as read', () => {
  it('describes entries with the directory’s names now, and shows archived content as archived', async () => {
    const { items } = await walk('/v1/activity?contentId=c-old', owner, 200);
    expect(items.length).toBeGreaterThan(0);
    for (const item of items) {
      expect(item.content.archived).toBe(true);
      expect(item.description).toContain('Old Policy (Archived)');
    }
    const quiz = await walk('/v1/activity?contentId=c-quiz&action=Failed', owner, 200);
    expect(quiz.items[0].content.archived).toBe(false);
    const ev = events.find((e) => e.id === quiz.ids[0])!;
    expect(quiz.items[0].description).toMatch(
      new RegExp(
        `^First-${ev.userId} Last-${ev.userId} failed Fire Safety Quiz scoring ${ev.result.scorePercent}% in `,
      ),
    );
    expect(quiz.items[0]).toMatchObject({
      id: ev.id,
      userId: ev.userId,
      user: { id: ev.userId },
      result: ev.result,
    });
    expect(typeof quiz.items[0].recordedAt).toBe('string');
  });

  it('shows a rename in the directory in user.name and the description', async () => {
    const user = USERS.find((u) => u.id === 'x1')!;
    const res = await api('/v1/directory/users', {
      method: 'PUT',
      token: service,
      body: { tenantId: tenant, users: [{ ...user, firstName: 'Renamed', lastName: 'Person' }] },
    });
    expect(res.status).toBe(200);
    const { items } = await walk('/v1/activity?userId=x1', owner, 200);
    expect(items.length).toBeGreaterThan(0);
    for (const item of items) {
      expect(item.user).toEqual({ id: 'x1', name: 'Renamed Person' });
      expect(item.description.startsWith('Renamed Person ')).toBe(true);
    }
  });
});

describe('cursors', () => {
  it('rejects a tampered cursor, one replayed with other filters, and another tenant’s', async () => {
    const first = await api('/v1/activity?limit=5', { token: owner });
    const cursor: string = first.body.nextCursor;
    expect(cursor).toBeTruthy();
    const tampered = `${cursor.slice(0, -2)}${cursor.endsWith('A') ? 'BB' : 'AA'}`;
    expect((await api(`/v1/activity?limit=5&cursor=${tampered}`, { token: owner })).status).toBe(400);
    expect((await api(`/v1/activity?limit=5&action=Read&cursor=${cursor}`, { token: owner })).status).toBe(
      400,
    );
    const other = await token({ tenant: uniqueTenant('other'), role: 'owner', sub: 'u-owner' });
    expect((await api(`/v1/activity?limit=5&cursor=${cursor}`, { token: other })).status).toBe(400);
    const m1 = await as('manager', 'm1');
    expect((await api(`/v1/activity?limit=5&cursor=${cursor}`, { token: m1 })).status).toBe(400);
    expect((await api(`/v1/activity?limit=9&cursor=${cursor}`, { token: owner })).status).toBe(200);
  });
});

describe('GET /v1/me/activity', () => {
  it('shows every user role only their own entries', async () => {
    const expected = expectedIds(events, (e) => e.userId === 'l3a');
    for (const role of [
      'owner',
      'admin',
      'hr',
      'reporter',
      'learning_designer',
      'curator',
      'manager',
      'learner',
    ]) {
      const { ids } = await walk('/v1/me/activity', await as(role, 'l3a'), 4);
      expect(ids, role).toEqual(expected);
    }
  });

  it('takes the content filters and rejects people filters', async () => {
    const tok = await as('learner', 'l2a');
    const { ids } = await walk('/v1/me/activity?completed=true&order=asc', tok);
    expect(ids).toEqual(expectedIds(events, (e) => e.userId === 'l2a' && isCompleted(e), 'asc'));
    for (const q of ['userId=l1a', 'teamId=sales', 'scope=company', 'groupId=g1', 'managerId=m1']) {
      expect((await api(`/v1/me/activity?${q}`, { token: tok })).status, q).toBe(400);
    }
  });

  it('answers 403 to services', async () => {
    expect((await api('/v1/me/activity', { token: service })).status).toBe(403);
  });
});

describe('POST /v1/activity-events', () => {
  it('answers duplicate for ids already stored and never overwrites them', async () => {
    const again = { ...events[1], action: 'Clicked', userId: 'x2' };
    const res = await api('/v1/activity-events', { token: service, body: { events: [again, { ...again }] } });
    expect(res.status).toBe(200);
    expect(res.body.results).toEqual([
      { id: again.id, status: 'duplicate' },
      { id: again.id, status: 'duplicate' },
    ]);
    const { items } = await walk(
      `/v1/activity?contentId=${events[1].content?.id ?? 'c-quiz'}&includeDeactivated=true`,
      owner,
      200,
    );
    const stored = items.find((i) => i.id === events[1].id);
    if (stored) expect(stored.action).toBe(events[1].action);
    const me = await walk('/v1/me/activity', await as('learner', events[1].userId), 200);
    expect(me.items.find((i) => i.id === events[1].id)?.action).toBe(events[1].action);
  });

  it('assigns a ULID when the id is absent and writes a repeated id once per batch', async () => {
    const at = new Date(now - 1000).toISOString();
    const res = await api('/v1/activity-events', {
      token: service,
      body: {
        events: [
          { tenantId: tenant, occurredAt: at, userId: 'u-new', action: 'LoggedIn' },
          { id: 'rep-1', tenantId: tenant, occurredAt: at, userId: 'u-new', action: 'LoggedOut' },
          { id: 'rep-1', tenantId: tenant, occurredAt: at, userId: 'u-new', action: 'LoggedOut' },
        ],
      },
    });
    expect(res.status).toBe(200);
    expect(res.body.results[0].id).toMatch(/^[0-9A-HJKMNP-TV-Z]{26}$/);
    expect(res.body.results.map((r: any) => r.status)).toEqual(['created', 'created', 'duplicate']);
    const me = await walk('/v1/me/activity', await as('learner', 'u-new'), 10);
    expect(me.items.map((i) => i.description).sort()).toEqual(['u-new logged in', 'u-new logged out']);
  });

  it('rejects an invalid batch naming every bad path and writes nothing', async () => {
    const good = {
      id: 'never-1',
      tenantId: tenant,
      occurredAt: new Date(now).toISOString(),
      userId: 'l1a',
      action: 'Viewed',
    };
    const res = await api('/v1/activity-events', {
      token: service,
      body: {
        events: [
          good,
          { ...good, id: 'bad id!', action: 'Jumped' },
          {
            ...good,
            id: 'never-2',
            content: { type: 'Thing', id: 'c', title: '' },
            result: { outcome: 'maybe', scorePercent: 120 },
          },
          { ...good, id: 'never-3', occurredAt: new Date(now + 3_600_000).toISOString(), device: 'fax' },
        ],
      },
    });
    expect(res.status).toBe(400);
    expect(res.body.errors.map((e: any) => e.path)).toEqual(
      expect.arrayContaining([
        'events[1].id',
        'events[1].action',
        'events[2].content.type',
        'events[2].content.title',
        'events[2].result.outcome',
        'events[2].result.scorePercent',
        'events[3].occurredAt',
        'events[3].device',
      ]),
    );
    const me = await walk('/v1/me/activity?contentId=never', await as('learner', 'l1a'));
    expect(me.ids).toEqual([]);
    const all = await walk('/v1/me/activity', await as('learner', 'l1a'), 200);
    expect(all.ids).not.toContain('never-1');
  });

  it('answers 413 for a body over 1 MB', async () => {
    const big = { ...events[0], id: 'big-1', content: { ...events[0].content, tags: ['x'.repeat(200)] } };
    const rawBody = JSON.stringify({ events: [big], padding: 'y'.repeat(1024 * 1024) });
    const res = await api('/v1/activity-events', {
      method: 'POST',
      token: service,
      rawBody,
      headers: { 'content-type': 'application/json' },
    });
    expect(res.status).toBe(413);
  });

  it('rejects an empty batch, more than 100 events, and non-service callers', async () => {
    expect((await api('/v1/activity-events', { token: service, body: { events: [] } })).status).toBe(400);
    const many = Array.from({ length: 101 }, (_, i) => ({ ...events[0], id: `m-${i}` }));
    expect((await api('/v1/activity-events', { token: service, body: { events: many } })).status).toBe(400);
    expect((await api('/v1/activity-events', { token: owner, body: { events: [events[0]] } })).status).toBe(
      403,
    );
  });
});

describe('PUT /v1/directory/*', () => {
  it('rejects a team hierarchy that would loop', async () => {
    const res = await api('/v1/directory/teams', {
      method: 'PUT',
      token: service,
      body: { tenantId: tenant, teams: [{ id: 'company', name: 'Company', parentId: 'sales-uk-london' }] },
    });
    expect(res.status).toBe(400);
    expect(res.body.errors).toEqual([{ path: 'teams[0].parentId', message: expect.any(String) }]);
  });

  it('validates records all-or-nothing naming every bad path', async () => {
    const res = await api('/v1/directory/users', {
      method: 'PUT',
      token: service,
      body: {
        tenantId: tenant,
        users: [
          { ...USERS[0], firstName: 'Never' },
          {
            id: 'bad',
            firstName: 'A',
            lastName: 'B',
            email: 'not-an-email',
            role: 'Learner',
            status: 'gone',
          },
        ],
      },
    });
    expect(res.status).toBe(400);
    expect(res.body.errors.map((e: any) => e.path)).toEqual(['users[1].email', 'users[1].status']);
    const { items } = await walk('/v1/activity?userId=m1', owner, 1);
    expect(items[0]?.user.name).toBe('First-m1 Last-m1');
  });

  it('answers 403 to user tokens', async () => {
    const res = await api('/v1/directory/groups', {
      method: 'PUT',
      token: owner,
      body: { tenantId: tenant, groups: GROUPS },
    });
    expect(res.status).toBe(403);
  });
});

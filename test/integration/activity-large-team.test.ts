import { beforeAll, describe, expect, it } from 'vitest';
import { api, token, uniqueTenant } from './helpers.ts';

/** A team past the planner's per-user threshold is read from the time index and still exact. */
const tenant = uniqueTenant('actbig');
const now = Date.now();
const members = Array.from({ length: 60 }, (_, i) => `m${String(i).padStart(2, '0')}`);
const outsiders = ['o1', 'o2', 'o3'];
const events = [...members, ...outsiders].flatMap((u, i) => [
  {
    id: `${u}-a`,
    tenantId: tenant,
    occurredAt: new Date(now - (i + 1) * 61_000).toISOString(),
    userId: u,
    action: 'LoggedIn',
  },
  {
    id: `${u}-b`,
    tenantId: tenant,
    occurredAt: new Date(now - (i + 1) * 97_000).toISOString(),
    userId: u,
    action: 'LoggedOut',
  },
]);
let owner: string;

beforeAll(async () => {
  const service = await token({ role: 'service', sub: 'svc' });
  owner = await token({ tenant, role: 'owner', sub: 'boss' });
  const put = (kind: string, body: unknown) =>
    api(`/v1/directory/${kind}`, { method: 'PUT', token: service, body });
  expect((await put('teams', { tenantId: tenant, teams: [{ id: 'big', name: 'Big team' }] })).status).toBe(
    200,
  );
  const users = [...members, ...outsiders].map((id) => ({
    id,
    firstName: id,
    lastName: 'X',
    email: `${id}@x.io`,
    role: 'Learner',
    status: id === 'm07' ? 'deactivated' : 'active',
    ...(members.includes(id) ? { primaryTeamId: 'big', managerId: 'boss' } : {}),
  }));
  expect((await put('users', { tenantId: tenant, users })).status).toBe(200);
  for (let i = 0; i < events.length; i += 100) {
    const res = await api('/v1/activity-events', {
      token: service,
      body: { events: events.slice(i, i + 100) },
    });
    expect(res.status).toBe(200);
  }
});

describe('a scope over many people', () => {
  it('falls back to the time index and returns exactly the team’s active members, in order', async () => {
    const expected = events
      .filter((e) => members.includes(e.userId) && e.userId !== 'm07')
      .sort((a, b) => (`${a.occurredAt}#${a.id}` < `${b.occurredAt}#${b.id}` ? 1 : -1))
      .map((e) => e.id);
    const ids: string[] = [];
    let cursor: string | null = null;
    let index: string | null = null;
    do {
      const res: any = await api(
        `/v1/activity?scope=team&teamId=big&limit=25${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
        { token: owner },
      );
      expect(res.status).toBe(200);
      index = res.headers.get('x-logbook-index');
      ids.push(...res.body.items.map((i: any) => i.id));
      cursor = res.body.nextCursor;
    } while (cursor);
    expect(index).toBe('byTime');
    expect(ids).toEqual(expected);
  });

  it('a manager of 60 sees all of them and none of the others', async () => {
    const boss = await token({ tenant, role: 'manager', sub: 'boss' });
    const res = await api('/v1/activity?limit=200', { token: boss });
    expect(res.status).toBe(200);
    const users = new Set(res.body.items.map((i: any) => i.userId));
    expect(users.size).toBe(59);
    expect([...users].some((u) => outsiders.includes(u as string))).toBe(false);
  });
});

import { beforeEach, describe, expect, it } from 'vitest';
import type { ActivityFilters } from '../../../shared/domain/activity/filters.ts';
import { activityFiltersSchema } from '../../../shared/domain/activity/filters.ts';
import type { UserCaller } from '../../../shared/domain/caller.ts';
import type { UserRecord } from '../../../shared/domain/directory/schemas.ts';
import { DirectorySnapshot } from '../../../shared/domain/directory/snapshot.ts';
import {
  BadRequestError,
  ForbiddenError,
  NotFoundError,
  type ValidationError,
} from '../../../shared/domain/errors.ts';
import { EXPORT_PAGE } from '../../../shared/query/merge-planner.ts';
import { ingestActivityEvents } from '../../../shared/use-cases/activity/ingest.ts';
import { iterateActivity, listActivity, listMyActivity } from '../../../shared/use-cases/activity/query.ts';
import { FakeActivityStore, fixedDirectory } from './fakes.ts';

const now = new Date('2026-11-22T12:00:00.000Z');
const user = (id: string, extra: Partial<UserRecord> = {}): UserRecord => ({
  id,
  firstName: id.toUpperCase(),
  lastName: 'Doe',
  email: `${id}@x.io`,
  role: 'Learner',
  status: 'active',
  ...extra,
});
const snapshot = new DirectorySnapshot({
  teams: [
    { id: 'sales', name: 'Sales' },
    { id: 'uk', name: 'UK', parentId: 'sales' },
  ],
  groups: [{ id: 'g', name: 'G' }],
  content: [{ id: 'c-old', type: 'Item', title: 'Old', archived: true }],
  users: [
    user('boss'),
    user('mgr', { managerId: 'boss', primaryTeamId: 'sales' }),
    user('a', { managerId: 'mgr', primaryTeamId: 'uk', groupIds: ['g'] }),
    user('b', { managerId: 'mgr', primaryTeamId: 'uk' }),
    user('c', { managerId: 'a', status: 'deactivated' }),
    user('d', { managerId: 'a' }),
    user('out', { primaryTeamId: 'uk', groupIds: ['g'] }),
  ],
});
const people = ['boss', 'mgr', 'a', 'b', 'c', 'd', 'out'];
let store: FakeActivityStore;
const deps = () => ({
  store,
  directory: fixedDirectory(snapshot),
  signingKey: new TextEncoder().encode('k'.repeat(32)),
  clock: { now: () => now },
});
const caller = (role: UserCaller['role'], userId = `u-${role}`, reporting = false): UserCaller => ({
  kind: 'user',
  tenantId: 't1',
  userId,
  role,
  reporting,
});
const filters = (q: Record<string, string> = {}): ActivityFilters => activityFiltersSchema.parse(q);
const users = async (c: UserCaller, q: Record<string, string> = {}) => {
  const out = await listActivity(deps(), c, filters(q), { limit: 200 });
  return [...new Set(out.items.map((i) => i.userId))].sort();
};

beforeEach(async () => {
  store = new FakeActivityStore();
  await ingestActivityEvents(
    { store, clock: { now: () => now }, retentionMonths: 84 },
    people.flatMap((u, i) => [
      {
        id: `${u}-1`,
        tenantId: 't1',
        occurredAt: new Date(now.getTime() - (i + 1) * 60_000).toISOString(),
        userId: u,
        action: 'Watched',
        content: { type: 'Item', id: 'c-old', title: 'Old', contentType: 'Video' },
      },
      {
        id: `${u}-2`,
        tenantId: 't1',
        occurredAt: new Date(now.getTime() - (i + 1) * 3_600_000).toISOString(),
        userId: u,
        action: 'LoggedIn',
      },
    ]),
  );
});

describe('listActivity visibility', () => {
  it('lets org-wide roles see every active user', async () => {
    for (const role of ['owner', 'admin', 'hr', 'reporter', 'learning_designer'] as const)
      expect(await users(caller(role))).toEqual(['a', 'b', 'boss', 'd', 'mgr', 'out']);
    expect(await users(caller('curator', 'cur', true))).toEqual(['a', 'b', 'boss', 'd', 'mgr', 'out']);
  });

  it('forbids learners and curators without reporting', async () => {
    await expect(listActivity(deps(), caller('learner'), filters(), { limit: 5 })).rejects.toBeInstanceOf(
      ForbiddenError,
    );
    await expect(listActivity(deps(), caller('curator'), filters(), { limit: 5 })).rejects.toBeInstanceOf(
      ForbiddenError,
    );
  });

  it('narrows a manager to their whole tree whatever scope or people they ask for', async () => {
    const mgr = caller('manager', 'mgr');
    expect(await users(mgr)).toEqual(['a', 'b', 'd']);
    expect(await users(mgr, { scope: 'team', teamId: 'uk' })).toEqual(['a', 'b']);
    expect(await users(mgr, { scope: 'group', groupId: 'g' })).toEqual(['a']);
    expect(await users(mgr, { userId: 'out,boss,d' })).toEqual(['d']);
    expect(await users(mgr, { teamId: 'sales' })).toEqual([]);
    expect(await users(mgr, { scope: 'managed' })).toEqual(['a', 'b']);
    expect(await users(mgr, { scope: 'managed', managerId: 'a' })).toEqual(['d']);
    expect(await users(mgr, { includeDeactivated: 'true' })).toEqual(['a', 'b', 'c', 'd']);
  });

  it('forbids a manager naming a manager outside their tree', async () => {
    const mgr = caller('manager', 'mgr');
    await expect(
      listActivity(deps(), mgr, filters({ scope: 'managed', managerId: 'boss' }), { limit: 5 }),
    ).rejects.toBeInstanceOf(ForbiddenError);
  });

  it('lets an admin name any manager and resolves team scopes with sub-teams', async () => {
    const admin = caller('admin');
    expect(await users(admin, { scope: 'managed', managerId: 'boss', includeSubManagers: 'true' })).toEqual([
      'a',
      'b',
      'd',
      'mgr',
    ]);
    expect(await users(admin, { scope: 'team', teamId: 'sales' })).toEqual(['mgr']);
    expect(await users(admin, { scope: 'team', teamId: 'sales', includeSubTeams: 'true' })).toEqual([
      'a',
      'b',
      'mgr',
      'out',
    ]);
  });

  it('answers 404 for an unknown team scope and 400 for misplaced scope options', async () => {
    await expect(
      listActivity(deps(), caller('admin'), filters({ scope: 'team', teamId: 'nope' }), { limit: 5 }),
    ).rejects.toBeInstanceOf(NotFoundError);
    const err = await listActivity(
      deps(),
      caller('admin'),
      filters({ managerId: 'boss', primaryOnly: 'true' }),
      {
        limit: 5,
      },
    ).catch((e: unknown) => e);
    expect((err as ValidationError).errors.map((e) => e.path)).toEqual(['managerId', 'primaryOnly']);
  });

  it('reads nothing when the visible set is empty', async () => {
    const out = await listActivity(deps(), caller('manager', 'd'), filters(), { limit: 5 });
    expect(out.items).toEqual([]);
    expect(out.nextCursor).toBeNull();
  });
});

describe('listActivity entries and pages', () => {
  it('names the user from the directory and marks archived content', async () => {
    const out = await listActivity(deps(), caller('owner'), filters({ userId: 'a', action: 'Watched' }), {
      limit: 5,
    });
    expect(out.items).toHaveLength(1);
    expect(out.items[0]).toMatchObject({
      user: { id: 'a', name: 'A Doe' },
      content: { id: 'c-old', archived: true },
      description: 'A Doe watched Old (Archived)',
      completed: true,
    });
  });

  it('pages with a cursor bound to the filters and to the caller’s visibility', async () => {
    const first = await listActivity(deps(), caller('owner'), filters(), { limit: 4 });
    expect(first.nextCursor).toBeTruthy();
    const second = await listActivity(deps(), caller('owner'), filters(), {
      limit: 4,
      cursor: first.nextCursor!,
    });
    expect(second.items[0]!.occurredAt <= first.items[3]!.occurredAt).toBe(true);
    await expect(
      listActivity(deps(), caller('owner'), filters({ action: 'Watched' }), {
        limit: 4,
        cursor: first.nextCursor!,
      }),
    ).rejects.toBeInstanceOf(BadRequestError);
    await expect(
      listActivity(deps(), caller('manager', 'mgr'), filters(), { limit: 4, cursor: first.nextCursor! }),
    ).rejects.toBeInstanceOf(BadRequestError);
  });

  it('defaults to the 3 calendar months before now', async () => {
    await listActivity(deps(), caller('owner'), filters(), { limit: 4 });
    expect(store.queries[0]).toMatchObject({
      from: '2026-08-22T12:00:00.000Z',
      to: now.toISOString(),
      order: 'desc',
    });
  });
});

describe('listMyActivity', () => {
  it('shows the caller’s own entries for any role', async () => {
    for (const role of ['learner', 'manager', 'curator', 'owner'] as const) {
      const out = await listMyActivity(deps(), caller(role, 'b'), {}, { limit: 10 });
      expect(out.items.map((i) => i.id)).toEqual(['b-1', 'b-2']);
    }
  });
});

describe('iterateActivity', () => {
  it('yields every match in order with the caller’s visibility', async () => {
    const ids: string[] = [];
    for await (const e of iterateActivity(deps(), caller('manager', 'mgr'), filters({ order: 'asc' })))
      ids.push(e.id);
    expect(ids).toEqual(['d-2', 'b-2', 'a-2', 'd-1', 'b-1', 'a-1']);
  });

  it('refuses a learner', async () => {
    const it = iterateActivity(deps(), caller('learner'), filters());
    await expect(it.next()).rejects.toBeInstanceOf(ForbiddenError);
  });

  it('reads export pages one ahead and one at a time, and yields every entry once, in order', async () => {
    const count = 2 * EXPORT_PAGE + 7;
    await ingestActivityEvents(
      { store, clock: { now: () => now }, retentionMonths: 84 },
      Array.from({ length: count }, (_, i) => ({
        id: `bulk-${String(i).padStart(4, '0')}`,
        tenantId: 't1',
        occurredAt: new Date(now.getTime() - 3_600_000 - i * 1000).toISOString(),
        userId: 'a',
        action: 'LoggedIn',
      })),
    );
    const slow = new SlowActivityStore(store);
    const ids: string[] = [];
    let readsAtFirstEntry = 0;
    for await (const e of iterateActivity(
      { ...deps(), store: slow },
      caller('admin'),
      filters({ userId: 'a' }),
    )) {
      if (ids.length === 0) readsAtFirstEntry = slow.reads;
      ids.push(e.id);
      if (ids.length % 100 === 0) await new Promise((r) => setTimeout(r, 1));
    }
    // Newest first: the bulk entries lie between a's two own ones.
    expect(ids).toEqual([
      'a-1',
      ...Array.from({ length: count }, (_, i) => `bulk-${String(i).padStart(4, '0')}`),
      'a-2',
    ]);
    expect(store.queries.map((q) => q.limit)).toEqual([EXPORT_PAGE, EXPORT_PAGE, EXPORT_PAGE]);
    // The second page was asked for before the first page's first entry was used.
    expect(readsAtFirstEntry).toBe(2);
    expect(slow.maxInFlight).toBe(1);
  });
});

/** Delays each page read and counts reads in flight. */
class SlowActivityStore {
  reads = 0;
  inFlight = 0;
  maxInFlight = 0;
  constructor(private readonly inner: FakeActivityStore) {}

  async query(q: Parameters<FakeActivityStore['query']>[0]) {
    this.reads++;
    this.inFlight++;
    this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
    try {
      await new Promise((r) => setTimeout(r, 2));
      return await this.inner.query(q);
    } finally {
      this.inFlight--;
    }
  }
}

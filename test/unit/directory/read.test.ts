import { describe, expect, it } from 'vitest';
import type { UserCaller } from '../../../shared/domain/caller.ts';
import type { UserRecord } from '../../../shared/domain/directory/schemas.ts';
import { DirectorySnapshot } from '../../../shared/domain/directory/snapshot.ts';
import { ForbiddenError } from '../../../shared/domain/errors.ts';
import {
  listDirectoryGroups,
  listDirectoryTeams,
  listDirectoryUsers,
} from '../../../shared/use-cases/directory/read.ts';

const user = (id: string, firstName: string, extra: Partial<UserRecord> = {}): UserRecord => ({
  id,
  firstName,
  lastName: 'X',
  email: `${id}@example.com`,
  role: 'Learner',
  status: 'active',
  ...extra,
});

const snapshot = new DirectorySnapshot({
  users: [
    user('m', 'Mia', { primaryTeamId: 't1', groupIds: ['g1'] }),
    user('r1', 'Émile', { managerId: 'm', secondaryTeamIds: ['t2'] }),
    user('r2', 'ada', { managerId: 'r1' }),
    user('o', 'Ola', { primaryTeamId: 't3', groupIds: ['g2'] }),
  ],
  teams: [
    { id: 't1', name: 'One' },
    { id: 't2', name: 'Two' },
    { id: 't3', name: 'Three' },
  ],
  groups: [
    { id: 'g1', name: 'G one' },
    { id: 'g2', name: 'G two' },
  ],
  content: [],
});
const deps = { directory: { snapshot: async () => snapshot }, signingKey: new Uint8Array(32).fill(7) };
const caller = (role: UserCaller['role'], userId = 'u', reporting = false): UserCaller => ({
  kind: 'user',
  tenantId: 't',
  userId,
  role,
  reporting,
});

describe('the directory pickers', () => {
  it('sort users by folded name then id, and page through them with a signed cursor', async () => {
    const first = await listDirectoryUsers(deps, caller('owner'), { limit: 2 });
    expect(first.items.map((u) => u.id)).toEqual(['r2', 'm']);
    const rest = await listDirectoryUsers(deps, caller('owner'), { limit: 2, cursor: first.nextCursor! });
    // NFKC + lower case: "Émile" sorts after the ASCII names (by code point), never lost.
    expect(rest.items.map((u) => u.id)).toEqual(['o', 'r1']);
    expect(rest.nextCursor).toBeNull();
  });

  it('scope a manager to themselves and their tree, and its teams and groups', async () => {
    const m = caller('manager', 'm');
    expect((await listDirectoryUsers(deps, m, { limit: 50 })).items.map((u) => u.id).sort()).toEqual([
      'm',
      'r1',
      'r2',
    ]);
    expect((await listDirectoryTeams(deps, m, { limit: 50 })).items.map((t) => t.id)).toEqual(['t1', 't2']);
    expect((await listDirectoryGroups(deps, m, { limit: 50 })).items.map((g) => g.id)).toEqual(['g1']);
  });

  it('refuse learners and curators without reporting, and search by prefix', async () => {
    await expect(listDirectoryUsers(deps, caller('learner'), { limit: 5 })).rejects.toBeInstanceOf(
      ForbiddenError,
    );
    await expect(listDirectoryTeams(deps, caller('curator'), { limit: 5 })).rejects.toBeInstanceOf(
      ForbiddenError,
    );
    const curator = caller('curator', 'c', true);
    expect((await listDirectoryUsers(deps, curator, { q: 'ÉMI', limit: 5 })).items.map((u) => u.id)).toEqual([
      'r1',
    ]);
    expect((await listDirectoryGroups(deps, curator, { q: 'g t', limit: 5 })).items.map((g) => g.id)).toEqual(
      ['g2'],
    );
  });
});

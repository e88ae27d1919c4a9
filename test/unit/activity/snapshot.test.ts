import { describe, expect, it } from 'vitest';
import type { UserRecord } from '../../../shared/domain/directory/schemas.ts';
import { DirectorySnapshot, teamsInCycle } from '../../../shared/domain/directory/snapshot.ts';

const user = (id: string, extra: Partial<UserRecord> = {}): UserRecord => ({
  id,
  firstName: `F${id}`,
  lastName: `L${id}`,
  email: `${id}@x.io`,
  role: 'Learner',
  status: 'active',
  ...extra,
});

const dir = new DirectorySnapshot({
  teams: [
    { id: 'root', name: 'Company' },
    { id: 'a', name: 'A', parentId: 'root' },
    { id: 'a1', name: 'A1', parentId: 'a' },
    { id: 'a1x', name: 'A1x', parentId: 'a1' },
    { id: 'b', name: 'B', parentId: 'root' },
  ],
  groups: [{ id: 'g', name: 'G' }],
  content: [{ id: 'c', type: 'Quiz', title: 'Q', archived: true }],
  users: [
    user('boss'),
    user('m1', { managerId: 'boss', primaryTeamId: 'a' }),
    user('m2', { managerId: 'm1', primaryTeamId: 'a1' }),
    user('l1', { managerId: 'm2', primaryTeamId: 'a1x', groupIds: ['g'] }),
    user('l2', { managerId: 'm1', primaryTeamId: 'b', secondaryTeamIds: ['a1'] }),
    user('gone', { managerId: 'm2', status: 'deactivated', primaryTeamId: 'a' }),
    // A managerial loop must not hang anything.
    user('p', { managerId: 'q' }),
    user('q', { managerId: 'p' }),
  ],
});

describe('DirectorySnapshot', () => {
  it('resolves a team’s direct members, primary or secondary', () => {
    expect([...dir.teamMembers(['a1'])].sort()).toEqual(['l2', 'm2']);
    expect([...dir.teamMembers(['a1'], { primaryOnly: true })]).toEqual(['m2']);
  });

  it('includes every level of sub-teams when asked', () => {
    expect([...dir.teamMembers(['a'], { includeSubTeams: true })].sort()).toEqual([
      'gone',
      'l1',
      'l2',
      'm1',
      'm2',
    ]);
    expect([...dir.teamMembers(['a'], { includeSubTeams: true, primaryOnly: true })].sort()).toEqual([
      'gone',
      'l1',
      'm1',
      'm2',
    ]);
    expect([...dir.teamMembers(['a'])].sort()).toEqual(['gone', 'm1']);
  });

  it('resolves direct reports, and indirect ones three levels down with includeSubManagers', () => {
    expect([...dir.reportsOf('boss', false)]).toEqual(['m1']);
    expect([...dir.reportsOf('boss', true)].sort()).toEqual(['gone', 'l1', 'l2', 'm1', 'm2']);
    expect([...dir.reportsOf('m2', true)].sort()).toEqual(['gone', 'l1']);
  });

  it('survives a reporting cycle', () => {
    expect([...dir.reportsOf('p', true)]).toEqual(['q']);
    expect(dir.managerChain('p')).toEqual(['q']);
  });

  it('resolves groups, names, deactivation and content', () => {
    expect([...dir.groupMembers(['g'])]).toEqual(['l1']);
    expect(dir.displayName('l1')).toBe('Fl1 Ll1');
    expect(dir.displayName('stranger')).toBe('stranger');
    expect(dir.isDeactivated('gone')).toBe(true);
    expect(dir.content('c')?.archived).toBe(true);
  });
});

describe('teamsInCycle', () => {
  const existing = [
    { id: 'root', name: 'R' },
    { id: 'a', name: 'A', parentId: 'root' },
    { id: 'b', name: 'B', parentId: 'a' },
  ];
  it('finds a loop a batch would make through stored teams', () => {
    expect([...teamsInCycle(existing, [{ id: 'root', name: 'R', parentId: 'b' }])]).toEqual(['root']);
  });
  it('finds a team that is its own parent, and a loop inside one batch', () => {
    expect([...teamsInCycle([], [{ id: 'x', name: 'X', parentId: 'x' }])]).toEqual(['x']);
    const batch = [
      { id: 'y', name: 'Y', parentId: 'z' },
      { id: 'z', name: 'Z', parentId: 'y' },
    ];
    expect([...teamsInCycle([], batch)].sort()).toEqual(['y', 'z']);
  });
  it('accepts a re-parenting that keeps a tree, and parents not pushed yet', () => {
    expect(teamsInCycle(existing, [{ id: 'b', name: 'B', parentId: 'root' }]).size).toBe(0);
    expect(teamsInCycle(existing, [{ id: 'c', name: 'C', parentId: 'later' }]).size).toBe(0);
  });
});

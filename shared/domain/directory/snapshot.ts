// A tenant's directory as loaded at one moment, with the resolutions scopes need. Pure: built
// from records, no I/O, so use cases and tests share it. Every walk guards against cycles
// (a manager chain or team tree that loops never hangs a read).

import type { ContentRecord, GroupRecord, TeamRecord, UserRecord } from './schemas.ts';

export interface DirectoryData {
  users: readonly UserRecord[];
  teams: readonly TeamRecord[];
  groups: readonly GroupRecord[];
  content: readonly ContentRecord[];
}

export interface TeamMemberOptions {
  includeSubTeams?: boolean;
  primaryOnly?: boolean;
}

export class DirectorySnapshot {
  private readonly usersById = new Map<string, UserRecord>();
  private readonly teamsById = new Map<string, TeamRecord>();
  private readonly groupsById = new Map<string, GroupRecord>();
  private readonly contentById = new Map<string, ContentRecord>();
  private readonly childTeams = new Map<string, string[]>();
  private readonly directReportsOf = new Map<string, string[]>();

  constructor(readonly data: DirectoryData) {
    for (const u of data.users) this.usersById.set(u.id, u);
    for (const t of data.teams) this.teamsById.set(t.id, t);
    for (const g of data.groups) this.groupsById.set(g.id, g);
    for (const c of data.content) this.contentById.set(c.id, c);
    for (const t of data.teams) if (t.parentId) push(this.childTeams, t.parentId, t.id);
    for (const u of data.users) if (u.managerId) push(this.directReportsOf, u.managerId, u.id);
  }

  static empty(): DirectorySnapshot {
    return new DirectorySnapshot({ users: [], teams: [], groups: [], content: [] });
  }

  user(id: string): UserRecord | undefined {
    return this.usersById.get(id);
  }
  team(id: string): TeamRecord | undefined {
    return this.teamsById.get(id);
  }
  group(id: string): GroupRecord | undefined {
    return this.groupsById.get(id);
  }
  content(id: string): ContentRecord | undefined {
    return this.contentById.get(id);
  }

  /** "First Last" from the directory now, or the id itself for someone it does not know. */
  displayName(userId: string): string {
    const u = this.usersById.get(userId);
    if (!u) return userId;
    return `${u.firstName} ${u.lastName}`.trim() || userId;
  }

  isDeactivated(userId: string): boolean {
    return this.usersById.get(userId)?.status === 'deactivated';
  }

  /** The teams themselves plus, with includeSubTeams, every team below them. */
  teamTree(teamIds: readonly string[], includeSubTeams: boolean): Set<string> {
    const out = new Set<string>();
    const queue = [...teamIds];
    while (queue.length > 0) {
      const id = queue.shift()!;
      if (out.has(id)) continue;
      out.add(id);
      if (includeSubTeams) queue.push(...(this.childTeams.get(id) ?? []));
    }
    return out;
  }

  /** Users whose primary team (or, unless primaryOnly, a secondary team) is in the teams. */
  teamMembers(teamIds: readonly string[], options: TeamMemberOptions = {}): Set<string> {
    const teams = this.teamTree(teamIds, options.includeSubTeams ?? false);
    const out = new Set<string>();
    for (const u of this.data.users) {
      if (u.primaryTeamId && teams.has(u.primaryTeamId)) out.add(u.id);
      else if (!options.primaryOnly && u.secondaryTeamIds?.some((t) => teams.has(t))) out.add(u.id);
    }
    return out;
  }

  groupMembers(groupIds: readonly string[]): Set<string> {
    const groups = new Set(groupIds);
    const out = new Set<string>();
    for (const u of this.data.users) if (u.groupIds?.some((g) => groups.has(g))) out.add(u.id);
    return out;
  }

  /** Direct reports; with includeSubManagers every indirect report too. Never the manager. */
  reportsOf(managerId: string, includeSubManagers: boolean): Set<string> {
    const out = new Set<string>();
    const queue = [...(this.directReportsOf.get(managerId) ?? [])];
    while (queue.length > 0) {
      const id = queue.shift()!;
      if (out.has(id) || id === managerId) continue;
      out.add(id);
      if (includeSubManagers) queue.push(...(this.directReportsOf.get(id) ?? []));
    }
    return out;
  }

  /** The manager chain above a user (nearest first), cycle-safe. */
  managerChain(userId: string): string[] {
    const out: string[] = [];
    const seen = new Set([userId]);
    let current = this.usersById.get(userId)?.managerId;
    while (current && !seen.has(current)) {
      out.push(current);
      seen.add(current);
      current = this.usersById.get(current)?.managerId;
    }
    return out;
  }
}

function push(map: Map<string, string[]>, key: string, value: string) {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

/**
 * Teams whose parent chain loops once `updates` are applied over `existing`: the ids of the
 * updated teams that take part in (or lead into) a cycle.
 */
export function teamsInCycle(existing: readonly TeamRecord[], updates: readonly TeamRecord[]): Set<string> {
  const parent = new Map<string, string | undefined>();
  for (const t of existing) parent.set(t.id, t.parentId);
  for (const t of updates) parent.set(t.id, t.parentId);
  const bad = new Set<string>();
  for (const t of updates) {
    const seen = new Set<string>([t.id]);
    let current = parent.get(t.id);
    while (current !== undefined) {
      if (seen.has(current)) {
        bad.add(t.id);
        break;
      }
      seen.add(current);
      current = parent.get(current);
    }
  }
  return bad;
}

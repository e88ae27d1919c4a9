import type { ExportUser } from '../../domain/exports/entries.ts';
import type { DirectoryLookup, DirectoryUserRecord } from './ports.ts';

/**
 * The directory as the activity CSV's user columns need it: users with their manager's and teams'
 * names resolved, looked up in batches (one call per batch of entries, not per row) and kept in
 * bounded caches so memory stays flat however many people an export covers.
 */
export class ExportUsers {
  private readonly users = new Map<string, DirectoryUserRecord | null>();
  private readonly teams = new Map<string, string | null>();

  constructor(
    private readonly lookup: DirectoryLookup,
    private readonly tenantId: string,
    private readonly maxCached = 5_000,
  ) {}

  /** Loads whatever `userIds` (and their managers and teams) need that is not cached yet. */
  async prepare(userIds: Iterable<string>): Promise<void> {
    const wanted = [...new Set(userIds)];
    this.evict(this.users, wanted.length * 2);
    await this.loadUsers(wanted);
    const managers = new Set<string>();
    const teams = new Set<string>();
    for (const id of wanted) {
      const u = this.users.get(id);
      if (!u) continue;
      if (u.managerId) managers.add(u.managerId);
      if (u.primaryTeamId) teams.add(u.primaryTeamId);
      for (const t of u.secondaryTeamIds ?? []) teams.add(t);
    }
    await this.loadUsers([...managers]);
    this.evict(this.teams, teams.size);
    const missingTeams = [...teams].filter((t) => !this.teams.has(t));
    if (missingTeams.length) {
      const found = await this.lookup.getTeams(this.tenantId, missingTeams);
      for (const t of missingTeams) this.teams.set(t, null);
      for (const t of found) this.teams.set(t.id, t.name);
    }
  }

  /** The user as the CSV shows them, or undefined when the directory does not know them. */
  get(userId: string): ExportUser | undefined {
    const u = this.users.get(userId);
    if (!u) return undefined;
    const manager = u.managerId ? this.users.get(u.managerId) : undefined;
    const team = (id: string) => this.teams.get(id) ?? undefined;
    return {
      id: u.id,
      firstName: u.firstName,
      lastName: u.lastName,
      email: u.email,
      role: u.role,
      jobTitle: u.jobTitle,
      language: u.language,
      location: u.location,
      joinedAt: u.joinedAt,
      managerName: manager ? `${manager.firstName} ${manager.lastName}`.trim() : undefined,
      primaryTeamName: u.primaryTeamId ? team(u.primaryTeamId) : undefined,
      secondaryTeamNames: (u.secondaryTeamIds ?? []).map(team).filter((n): n is string => !!n),
      status: u.status,
      deactivatedAt: u.deactivatedAt,
      customFields: u.customFields,
    };
  }

  private async loadUsers(ids: string[]): Promise<void> {
    const missing = ids.filter((id) => !this.users.has(id));
    if (!missing.length) return;
    const found = await this.lookup.getUsers(this.tenantId, missing);
    for (const id of missing) this.users.set(id, null);
    for (const u of found) this.users.set(u.id, u);
  }

  /** Drops the oldest entries so that `room` more fit under the bound. */
  private evict<V>(cache: Map<string, V>, room: number): void {
    const excess = cache.size + room - this.maxCached;
    if (excess <= 0) return;
    let n = 0;
    for (const key of cache.keys()) {
      if (n++ >= excess) break;
      cache.delete(key);
    }
  }
}

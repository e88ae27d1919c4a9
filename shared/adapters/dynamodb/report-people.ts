import type { UserCaller } from '../../domain/caller.ts';
import { roleFromDirectory } from '../../domain/reports/access.ts';
import type { AccessChecker, Person } from '../../use-cases/reports/ports.ts';

/** What the report features need of a directory user record (the platform's copy). */
export interface DirectoryUserLike {
  id: string;
  firstName: string;
  lastName: string;
  email: string;
  role: string;
  reporting?: boolean;
  status: 'active' | 'deactivated';
}

/** Any directory reader that can hand out a tenant's users (the DirectoryStore's snapshot). */
export interface DirectoryUsers {
  snapshot(tenantId: string): Promise<{
    user(id: string): DirectoryUserLike | undefined;
    managerChain(userId: string): string[];
  }>;
}

/** Recipients and owners as the directory knows them now, with their role mapped to ours. */
export class DirectoryAccessChecker implements AccessChecker {
  constructor(private readonly directory: DirectoryUsers) {}

  async people(tenantId: string, ids: readonly string[]): Promise<Map<string, Person>> {
    const snapshot = await this.directory.snapshot(tenantId);
    const out = new Map<string, Person>();
    for (const id of ids) {
      const u = snapshot.user(id);
      if (!u) continue;
      const role: UserCaller['role'] | undefined = roleFromDirectory(u.role);
      out.set(id, {
        id,
        name: `${u.firstName} ${u.lastName}`.trim() || id,
        email: u.email,
        active: u.status === 'active',
        role,
        reporting: u.reporting === true,
        managers: snapshot.managerChain(id),
      });
    }
    return out;
  }
}

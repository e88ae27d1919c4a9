// Directory writes from the platform. Input is already schema-valid; these add the rules that
// need the stored directory (a team hierarchy must not loop) and write all-or-nothing.

import type { ContentRecord, GroupRecord, TeamRecord, UserRecord } from '../../domain/directory/schemas.ts';
import { teamsInCycle } from '../../domain/directory/snapshot.ts';
import { ValidationError } from '../../domain/errors.ts';
import type { DirectoryStore } from './ports.ts';

export interface DirectoryDeps {
  directory: Pick<DirectoryStore, 'load' | 'upsert'>;
}

export async function upsertUsers(
  deps: DirectoryDeps,
  input: { tenantId: string; users: UserRecord[] },
): Promise<{ upserted: number }> {
  return { upserted: await deps.directory.upsert(input.tenantId, 'users', input.users) };
}

export async function upsertTeams(
  deps: DirectoryDeps,
  input: { tenantId: string; teams: TeamRecord[] },
): Promise<{ upserted: number }> {
  const current = await deps.directory.load(input.tenantId);
  const looping = teamsInCycle(current.data.teams, input.teams);
  if (looping.size > 0) {
    throw new ValidationError(
      input.teams.flatMap((t, i) =>
        looping.has(t.id)
          ? [{ path: `teams[${i}].parentId`, message: 'would make the team hierarchy loop' }]
          : [],
      ),
    );
  }
  return { upserted: await deps.directory.upsert(input.tenantId, 'teams', input.teams) };
}

export async function upsertGroups(
  deps: DirectoryDeps,
  input: { tenantId: string; groups: GroupRecord[] },
): Promise<{ upserted: number }> {
  return { upserted: await deps.directory.upsert(input.tenantId, 'groups', input.groups) };
}

export async function upsertContent(
  deps: DirectoryDeps,
  input: { tenantId: string; content: ContentRecord[] },
): Promise<{ upserted: number }> {
  return { upserted: await deps.directory.upsert(input.tenantId, 'content', input.content) };
}

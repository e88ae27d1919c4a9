// The directory's read side for pickers (`GET /v1/directory/users|teams|groups`): names to choose
// from, scoped like the activity log. Whoever may read the activity log org-wide sees the tenant's
// whole directory; a manager sees themselves and their direct and indirect reports, and only the
// teams and groups those people belong to; everyone else gets 403. Items carry only what a picker
// shows. Sorted by name (case-insensitive, then id); paged with a cursor bound to the tenant, the
// caller and the query.

import { activityDenial, canReadOrgActivity, type UserCaller } from '../../domain/caller.ts';
import type { UserRecord } from '../../domain/directory/schemas.ts';
import type { DirectorySnapshot } from '../../domain/directory/snapshot.ts';
import { ForbiddenError } from '../../domain/errors.ts';
import { decodeCursor, encodeCursor } from '../../query/cursor.ts';
import type { DirectoryReader } from './ports.ts';

export interface DirectoryReadDeps {
  directory: DirectoryReader;
  signingKey: Uint8Array;
}

export interface DirectoryUserItem {
  id: string;
  name: string;
  email: string;
  status: 'active' | 'deactivated';
}

export interface NamedItem {
  id: string;
  name: string;
}

export interface DirectoryListQuery {
  q?: string;
  limit: number;
  cursor?: string;
}

export interface DirectoryPage<T> {
  items: T[];
  nextCursor: string | null;
}

type Kind = 'users' | 'teams' | 'groups';

/** Who the caller may see: everyone (null), or these user ids (a manager's tree and themselves). */
function visibleUsers(caller: UserCaller, snapshot: DirectorySnapshot): Set<string> | null {
  if (canReadOrgActivity(caller)) return null;
  if (caller.role === 'manager') return new Set([caller.userId, ...snapshot.reportsOf(caller.userId, true)]);
  throw new ForbiddenError(activityDenial(caller, 'read the directory'));
}

/** Lower case, compatibility-normalised: `q` matches whatever case or width the name has. */
const fold = (s: string) => s.normalize('NFKC').toLowerCase();

/** One page of items sorted by `(fold(name), id)`, after the cursor's position. */
function page<T extends { id: string; name: string }>(
  deps: DirectoryReadDeps,
  caller: UserCaller,
  kind: Kind,
  filters: Record<string, unknown>,
  all: T[],
  query: DirectoryListQuery,
): DirectoryPage<T> {
  // Bound to the caller too: a manager's list is theirs alone.
  const binding = { tenantId: caller.tenantId, list: `directory-${kind}:${caller.userId}`, filters };
  const after = query.cursor ? parseKey(decodeCursor(deps.signingKey, binding, query.cursor)) : undefined;
  const sorted = all
    .map((item) => ({ item, key: [fold(item.name), item.id] as Key }))
    .filter((x) => after === undefined || compareKeys(x.key, after) > 0)
    .sort((a, b) => compareKeys(a.key, b.key));
  const items = sorted.slice(0, query.limit);
  const last = items[items.length - 1];
  return {
    items: items.map((x) => x.item),
    nextCursor:
      sorted.length > query.limit && last
        ? encodeCursor(deps.signingKey, binding, JSON.stringify(last.key))
        : null,
  };
}

/** The sort key: the folded name, then the id. */
type Key = [string, string];

function compareKeys([an, ai]: Key, [bn, bi]: Key): number {
  if (an !== bn) return an < bn ? -1 : 1;
  return ai < bi ? -1 : ai > bi ? 1 : 0;
}

/** A cursor's position: a key this module wrote (the cursor is signed; anything else sorts first). */
function parseKey(position: string): Key {
  try {
    const parsed = JSON.parse(position) as unknown;
    if (Array.isArray(parsed) && typeof parsed[0] === 'string' && typeof parsed[1] === 'string')
      return [parsed[0], parsed[1]];
  } catch {
    // Not JSON: start from the beginning.
  }
  return ['', ''];
}

const startsWithQuery = (q: string | undefined, ...values: (string | undefined)[]) => {
  if (!q) return true;
  const needle = fold(q);
  return values.some((v) => v !== undefined && fold(v).startsWith(needle));
};

export async function listDirectoryUsers(
  deps: DirectoryReadDeps,
  caller: UserCaller,
  query: DirectoryListQuery & { includeDeactivated?: boolean },
): Promise<DirectoryPage<DirectoryUserItem>> {
  const snapshot = await deps.directory.snapshot(caller.tenantId);
  const visible = visibleUsers(caller, snapshot);
  const items: DirectoryUserItem[] = [];
  for (const u of snapshot.data.users) {
    if (visible && !visible.has(u.id)) continue;
    if (u.status === 'deactivated' && !query.includeDeactivated) continue;
    const name = snapshot.displayName(u.id);
    if (!startsWithQuery(query.q, u.firstName, u.lastName, name, u.email)) continue;
    items.push({ id: u.id, name, email: u.email, status: u.status });
  }
  const filters = { q: query.q, includeDeactivated: query.includeDeactivated ?? false };
  return page(deps, caller, 'users', filters, items, query);
}

export function listDirectoryTeams(
  deps: DirectoryReadDeps,
  caller: UserCaller,
  query: DirectoryListQuery,
): Promise<DirectoryPage<NamedItem>> {
  return listNamed(deps, caller, query, 'teams', (u) => [
    ...(u.primaryTeamId ? [u.primaryTeamId] : []),
    ...(u.secondaryTeamIds ?? []),
  ]);
}

export function listDirectoryGroups(
  deps: DirectoryReadDeps,
  caller: UserCaller,
  query: DirectoryListQuery,
): Promise<DirectoryPage<NamedItem>> {
  return listNamed(deps, caller, query, 'groups', (u) => u.groupIds ?? []);
}

/**
 * Teams or groups by name prefix; a caller who sees only some users sees only the ones those
 * users belong to (`memberOf`).
 */
async function listNamed(
  deps: DirectoryReadDeps,
  caller: UserCaller,
  query: DirectoryListQuery,
  list: 'teams' | 'groups',
  memberOf: (user: UserRecord) => readonly string[],
): Promise<DirectoryPage<NamedItem>> {
  const snapshot = await deps.directory.snapshot(caller.tenantId);
  const visible = visibleUsers(caller, snapshot);
  let allowed: Set<string> | null = null;
  if (visible) {
    allowed = new Set();
    for (const id of visible) {
      const u = snapshot.user(id);
      if (u) for (const m of memberOf(u)) allowed.add(m);
    }
  }
  const items = snapshot.data[list]
    .filter((x) => (!allowed || allowed.has(x.id)) && startsWithQuery(query.q, x.name))
    .map((x) => ({ id: x.id, name: x.name }));
  return page(deps, caller, list, { q: query.q }, items, query);
}

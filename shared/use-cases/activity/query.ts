// Reads of the activity log. Visibility is resolved against the directory as it is now:
// - owner, admin, hr, reporter, learning_designer, and a curator with `reporting`: any scope;
// - a manager: only their direct and indirect reports, whatever scope or people filter they ask
//   for (the ask is intersected with their whole tree; company scope = their tree);
// - anyone else (learner, curator without reporting): 403.
// `/v1/me/activity` is every user's own entries.

import type { ActivityCriteria } from '../../domain/activity/criteria.ts';
import { describeActivity } from '../../domain/activity/description.ts';
import type { ActivityEntry, StoredActivity } from '../../domain/activity/event.ts';
import type { ActivityFilters, MyActivityFilters } from '../../domain/activity/filters.ts';
import { activityDenial, canReadOrgActivity, type UserCaller } from '../../domain/caller.ts';
import type { DirectorySnapshot } from '../../domain/directory/snapshot.ts';
import { ForbiddenError, NotFoundError, ValidationError } from '../../domain/errors.ts';
import { type Clock, resolveWindow } from '../../domain/time.ts';
import { type TrustReader, type Visibility, visibilityOf } from '../../domain/trust/visibility.ts';
import { type CursorBinding, decodeCursor, encodeCursor } from '../../query/cursor.ts';
import { EXPORT_PAGE } from '../../query/merge-planner.ts';
import { itemsWithinBudget, positionOf } from '../../query/page-budget.ts';
import { readAhead } from '../../query/read-ahead.ts';
import type { ActivityPage, ActivityReader, DirectoryReader } from './ports.ts';

export interface ActivityQueryDeps {
  store: ActivityReader;
  directory: DirectoryReader;
  signingKey: Uint8Array;
  clock: Clock;
  /** Each tenant's retention and legal holds; absent: the stored TTL alone decides. */
  trust?: TrustReader;
}

export interface PageRequest {
  limit: number;
  cursor?: string;
}

export interface ActivityListResult {
  items: ActivityEntry[];
  nextCursor: string | null;
  /** Items DynamoDB read for this page (ScannedCount), and the index the planner chose. */
  scanned: number;
  plan: ActivityPage['plan'];
}

interface ResolvedQuery {
  criteria: ActivityCriteria;
  from: string;
  to: string;
  order: 'asc' | 'desc';
  binding: CursorBinding;
}

export async function listActivity(
  deps: ActivityQueryDeps,
  caller: UserCaller,
  filters: ActivityFilters,
  page: PageRequest,
): Promise<ActivityListResult> {
  assertMayReadActivityLog(caller);
  const dir = await deps.directory.snapshot(caller.tenantId);
  const resolved = resolveOrgQuery(caller, filters, dir, deps.clock.now());
  return runPage(deps, caller, resolved, dir, page);
}

export async function listMyActivity(
  deps: ActivityQueryDeps,
  caller: UserCaller,
  filters: MyActivityFilters,
  page: PageRequest,
): Promise<ActivityListResult> {
  const dir = await deps.directory.snapshot(caller.tenantId);
  const resolved = resolveMyQuery(caller, filters, deps.clock.now());
  return runPage(deps, caller, resolved, dir, page);
}

/** Every match in order, with the same visibility as listActivity (for CSV and JSON exports). */
export async function* iterateActivity(
  deps: Omit<ActivityQueryDeps, 'signingKey'>,
  caller: UserCaller,
  filters: ActivityFilters,
  /** Every entry must also be visible to each of them (a scheduled report's recipients). */
  viewers: readonly UserCaller[] = [],
): AsyncGenerator<ActivityEntry> {
  assertMayReadActivityLog(caller);
  const dir = await deps.directory.snapshot(caller.tenantId);
  const now = deps.clock.now();
  const q = resolveOrgQuery(caller, filters, dir, now, viewers);
  const visibility = await activityVisibility(deps, caller.tenantId, now);
  const read = (after: string | undefined) =>
    deps.store.query({
      tenantId: caller.tenantId,
      criteria: q.criteria,
      from: q.from,
      to: q.to,
      order: q.order,
      limit: EXPORT_PAGE,
      after,
      nowEpochSeconds: Math.floor(now.getTime() / 1000),
      population: dir.data.users.length,
      visibility,
    });
  // The next page loads while this one is rendered and written.
  for await (const out of readAhead(read, (page) => page.nextPosition)) {
    for (const e of out.items) yield renderEntry(e, dir);
  }
}

async function runPage(
  deps: ActivityQueryDeps,
  caller: UserCaller,
  q: ResolvedQuery,
  dir: DirectorySnapshot,
  page: PageRequest,
): Promise<ActivityListResult> {
  const after = page.cursor ? decodeCursor(deps.signingKey, q.binding, page.cursor) : undefined;
  const out = await deps.store.query({
    tenantId: caller.tenantId,
    criteria: q.criteria,
    from: q.from,
    to: q.to,
    order: q.order,
    limit: page.limit,
    after,
    nowEpochSeconds: Math.floor(deps.clock.now().getTime() / 1000),
    population: dir.data.users.length,
    visibility: await activityVisibility(deps, caller.tenantId, deps.clock.now()),
  });
  // A page whose items would not fit in a Lambda response ends early (page-budget.ts).
  const rendered = out.items.map((e) => renderEntry(e, dir));
  const fit = Math.max(1, itemsWithinBudget(rendered));
  const items = fit < rendered.length ? rendered.slice(0, fit) : rendered;
  const nextPosition = fit < rendered.length ? positionOf(out.items[fit - 1]!) : out.nextPosition;
  return {
    items,
    nextCursor: nextPosition ? encodeCursor(deps.signingKey, q.binding, nextPosition) : null,
    scanned: out.scanned,
    plan: out.plan,
  };
}

/** The rule reads apply for the tenant now (retention and legal holds), when trust is wired. */
async function activityVisibility(
  deps: Pick<ActivityQueryDeps, 'trust'>,
  tenantId: string,
  now: Date,
): Promise<Visibility | undefined> {
  return deps.trust ? visibilityOf(await deps.trust.state(tenantId), 'activity', now) : undefined;
}

/** The stored entry as read: the learner's name and the content's archived flag from the directory now. */
export function renderEntry(e: StoredActivity, dir: DirectorySnapshot): ActivityEntry {
  const name = dir.displayName(e.userId);
  const archived = e.content ? dir.content(e.content.id)?.archived === true : false;
  const { content, ...rest } = e;
  return {
    ...rest,
    user: { id: e.userId, name },
    ...(content ? { content: { ...content, archived } } : {}),
    description: describeActivity(e, name, archived),
  };
}

/** Org-wide readers and managers may use `/v1/activity`; everyone else has only `/v1/me/activity`. */
export function assertMayReadActivityLog(caller: UserCaller): void {
  if (!canReadOrgActivity(caller) && caller.role !== 'manager')
    throw new ForbiddenError(`${activityDenial(caller, 'read the activity log')} Use /v1/me/activity.`);
}

/** Who the caller may see for these filters, as a user set (undefined = the whole tenant). */
export function resolvePeople(
  caller: UserCaller,
  f: ActivityFilters,
  dir: DirectorySnapshot,
  /** Each narrows the result to what they may see too: a manager to their tree, anyone without access to nobody. */
  viewers: readonly UserCaller[] = [],
): { userIds?: Set<string>; excludeUserIds?: string[]; view: string } {
  const org = canReadOrgActivity(caller);
  const manager = !org && caller.role === 'manager';
  if (!org && !manager)
    throw new ForbiddenError(`${activityDenial(caller, 'read the activity log')} Use /v1/me/activity.`);
  const scope = f.scope ?? 'company';
  const misplaced: { path: string; message: string }[] = [];
  if (f.managerId !== undefined && scope !== 'managed')
    misplaced.push({ path: 'managerId', message: 'applies only to scope=managed' });
  if (f.includeSubManagers !== undefined && scope !== 'managed')
    misplaced.push({ path: 'includeSubManagers', message: 'applies only to scope=managed' });
  if ((f.includeSubTeams !== undefined || f.primaryOnly !== undefined) && scope !== 'team')
    misplaced.push({
      path: f.includeSubTeams !== undefined ? 'includeSubTeams' : 'primaryOnly',
      message: 'applies only to scope=team',
    });
  if (scope === 'team' && !f.teamId)
    misplaced.push({ path: 'teamId', message: 'is required when scope is team' });
  if (scope === 'group' && !f.groupId)
    misplaced.push({ path: 'groupId', message: 'is required when scope is group' });
  if (misplaced.length > 0) throw new ValidationError(misplaced);

  const tree = manager ? dir.reportsOf(caller.userId, true) : undefined;
  let set: Set<string> | undefined;
  if (scope === 'team') {
    const unknown = f.teamId!.filter((t) => !dir.team(t));
    if (unknown.length > 0) throw new NotFoundError(`Unknown team: ${unknown.join(', ')}.`);
    set = dir.teamMembers(f.teamId!, { includeSubTeams: f.includeSubTeams, primaryOnly: f.primaryOnly });
  } else if (scope === 'group') {
    const unknown = f.groupId!.filter((g) => !dir.group(g));
    if (unknown.length > 0) throw new NotFoundError(`Unknown group: ${unknown.join(', ')}.`);
    set = dir.groupMembers(f.groupId!);
  } else if (scope === 'managed') {
    const managerId = f.managerId ?? caller.userId;
    if (tree && managerId !== caller.userId && !tree.has(managerId))
      throw new ForbiddenError('A manager may only name a manager in their own reporting tree.');
    set = dir.reportsOf(managerId, f.includeSubManagers ?? false);
  }
  if (tree) set = set ? intersect(set, tree) : new Set(tree);
  for (const viewer of viewers) {
    if (canReadOrgActivity(viewer)) continue;
    set = intersect(set, viewer.role === 'manager' ? dir.reportsOf(viewer.userId, true) : new Set<string>());
  }
  if (scope !== 'team' && f.teamId) set = intersect(set, dir.teamMembers(f.teamId));
  if (scope !== 'group' && f.groupId) set = intersect(set, dir.groupMembers(f.groupId));
  if (f.userId) set = intersect(set, new Set(f.userId));

  let excludeUserIds: string[] | undefined;
  if (!f.includeDeactivated) {
    if (set) set = new Set([...set].filter((u) => !dir.isDeactivated(u)));
    else excludeUserIds = dir.data.users.filter((u) => u.status === 'deactivated').map((u) => u.id);
  }
  return { userIds: set, excludeUserIds, view: manager ? `manager:${caller.userId}` : 'org' };
}

function intersect(a: Set<string> | undefined, b: Set<string>): Set<string> {
  if (!a) return new Set(b);
  return new Set([...a].filter((x) => b.has(x)));
}

function resolveOrgQuery(
  caller: UserCaller,
  f: ActivityFilters,
  dir: DirectorySnapshot,
  now: Date,
  viewers: readonly UserCaller[] = [],
): ResolvedQuery {
  const people = resolvePeople(caller, f, dir, viewers);
  const window = listWindow(f, now);
  return {
    ...window,
    criteria: {
      ...contentCriteria(f, now),
      userIds: people.userIds ? [...people.userIds].sort() : undefined,
      excludeUserIds: people.excludeUserIds?.length ? people.excludeUserIds : undefined,
    },
    binding: { tenantId: caller.tenantId, list: 'activity', filters: { f: bindable(f), view: people.view } },
  };
}

function resolveMyQuery(caller: UserCaller, f: MyActivityFilters, now: Date): ResolvedQuery {
  return {
    ...listWindow(f, now),
    criteria: { ...contentCriteria(f, now), userIds: [caller.userId] },
    binding: {
      tenantId: caller.tenantId,
      list: 'me-activity',
      filters: { f: bindable(f), view: caller.userId },
    },
  };
}

/** The activity log keeps no retention floor on reads: expired entries are dropped by their TTL. */
function listWindow(f: MyActivityFilters, now: Date) {
  return { ...resolveWindow(f, now), order: f.order ?? 'desc' } as const;
}

function contentCriteria(f: MyActivityFilters, now: Date): ActivityCriteria {
  return {
    actions: f.action,
    contentTypes: f.contentType,
    itemTypes: f.itemType,
    contentIds: f.contentId,
    title: f.title?.toLowerCase(),
    tags: f.tag?.map((t) => t.toLowerCase()),
    sources: f.source,
    cpdLabels: f.cpdLabel?.map((l) => l.toLowerCase()),
    bulkImportIds: f.bulkImportId,
    completed: f.completed,
    expired: f.expired,
    expiredAsOf: now.toISOString(),
  };
}

/** The filters a cursor is bound to; the default window moves with the clock, so it is not bound. */
function bindable(f: object): Record<string, unknown> {
  return { ...f };
}

import { ACTIVITY_ACTIONS } from '../../shared/domain/activity/event.ts';

/**
 * A small organisation for the activity integration tests, and the expectations computed from
 * these arrays independently of the service's code.
 */
export const TEAMS = [
  { id: 'company', name: 'Company' },
  { id: 'sales', name: 'Sales', parentId: 'company' },
  { id: 'sales-uk', name: 'Sales UK', parentId: 'sales' },
  { id: 'sales-uk-london', name: 'London squad', parentId: 'sales-uk' },
  { id: 'eng', name: 'Engineering', parentId: 'company' },
];
export const GROUPS = [
  { id: 'g1', name: 'Mentors' },
  { id: 'g2', name: 'First aiders' },
];

interface U {
  id: string;
  managerId?: string;
  primaryTeamId?: string;
  secondaryTeamIds?: string[];
  groupIds?: string[];
  status?: 'active' | 'deactivated';
}
const PEOPLE: U[] = [
  { id: 'm1', primaryTeamId: 'company' },
  { id: 'l1a', managerId: 'm1', primaryTeamId: 'sales', groupIds: ['g1'] },
  { id: 'm2', managerId: 'm1', primaryTeamId: 'sales-uk' },
  { id: 'l2a', managerId: 'm2', primaryTeamId: 'sales-uk', secondaryTeamIds: ['eng'] },
  { id: 'm3', managerId: 'm2', primaryTeamId: 'sales-uk-london' },
  { id: 'l3a', managerId: 'm3', primaryTeamId: 'sales-uk-london', groupIds: ['g2'] },
  { id: 'l3b', managerId: 'm3', primaryTeamId: 'sales-uk-london', status: 'deactivated' },
  { id: 'x1', primaryTeamId: 'sales', groupIds: ['g1'] },
  { id: 'x2', primaryTeamId: 'eng', secondaryTeamIds: ['sales-uk-london'], groupIds: ['g2'] },
];
export const USERS = PEOPLE.map((p) => ({
  id: p.id,
  firstName: `First-${p.id}`,
  lastName: `Last-${p.id}`,
  email: `${p.id}@example.com`,
  role: p.id.startsWith('m') ? 'Manager' : 'Learner',
  status: p.status ?? 'active',
  ...(p.managerId ? { managerId: p.managerId } : {}),
  ...(p.primaryTeamId ? { primaryTeamId: p.primaryTeamId } : {}),
  ...(p.secondaryTeamIds ? { secondaryTeamIds: p.secondaryTeamIds } : {}),
  ...(p.groupIds ? { groupIds: p.groupIds } : {}),
}));
export const CONTENT = [
  { id: 'c-quiz', type: 'Quiz', title: 'Fire Safety Quiz', tags: ['Compliance', 'Safety'] },
  { id: 'c-video', type: 'Item', title: 'Intro video', contentType: 'Video', tags: ['Onboarding'] },
  { id: 'c-old', type: 'Item', title: 'Old Policy', contentType: 'Article', tags: ['Compliance'] },
] as const;

/** Every action of the contract, cycled through to build varied entries. */
export const ACTIONS = ACTIVITY_ACTIONS;

export function buildEvents(tenantId: string, now: number, count = 120) {
  const events: any[] = [];
  for (let i = 0; i < count; i++) {
    const user = PEOPLE[i % PEOPLE.length]!;
    const action = ACTIONS[(i * 5) % ACTIONS.length]!;
    const c = CONTENT[(i * 7) % CONTENT.length]!;
    const e: any = {
      id: `ev-${String(i).padStart(3, '0')}`,
      tenantId,
      occurredAt: new Date(now - (i + 1) * 37 * 60_000 - (i % 3) * 1000).toISOString(),
      userId: user.id,
      action,
    };
    if (action !== 'LoggedIn' && action !== 'LoggedOut') {
      e.content = { ...c, tags: [...c.tags] };
      if (c.id === 'c-quiz' && (action === 'Completed' || action === 'Failed'))
        e.result = {
          outcome: action === 'Failed' ? 'failed' : 'passed',
          scorePercent: (i * 13) % 100,
          durationSeconds: 60 + i,
        };
    }
    if (i % 4 === 0) e.source = 'library-a';
    if (i % 4 === 1) e.source = 'library-b';
    if (i % 5 === 0) e.cpdLabels = ['Health'];
    if (i % 9 === 0) e.bulkImportId = 'bulk-1';
    if (i % 6 === 0) e.expiresAt = new Date(now - 86_400_000).toISOString();
    if (i % 6 === 3) e.expiresAt = new Date(now + 86_400_000).toISOString();
    if (i % 10 === 0) e.completed = true;
    events.push(e);
  }
  // The same instant for two users, so the merge must order by id too.
  events.push({
    id: 'ev-tie-a',
    tenantId,
    occurredAt: events[0].occurredAt,
    userId: 'l3a',
    action: 'LoggedIn',
  });
  events.push({
    id: 'ev-tie-b',
    tenantId,
    occurredAt: events[0].occurredAt,
    userId: 'l2a',
    action: 'LoggedOut',
  });
  return events;
}

const COMPLETIONS = new Set(['Completed', 'Read', 'Watched', 'ListenedTo']);
export const isCompleted = (e: any): boolean => e.completed ?? COMPLETIONS.has(e.action);
export const isDeactivated = (userId: string) =>
  PEOPLE.find((p) => p.id === userId)?.status === 'deactivated';

/** Ids newest first (occurredAt desc, id desc), or oldest first. */
export function expectedIds(
  events: any[],
  keep: (e: any) => boolean,
  order: 'asc' | 'desc' = 'desc',
): string[] {
  const sorted = events
    .filter(keep)
    .map((e) => `${e.occurredAt}#${e.id}`)
    .sort();
  if (order === 'desc') sorted.reverse();
  return sorted.map((k) => k.slice(k.indexOf('#') + 1));
}

/** Members of teams (primary or secondary; with subteams; or primary only), computed from the arrays. */
export function teamMembers(teamIds: string[], includeSubTeams = false, primaryOnly = false): Set<string> {
  const teams = new Set(teamIds);
  if (includeSubTeams) {
    let grew = true;
    while (grew) {
      grew = false;
      for (const t of TEAMS) {
        if (t.parentId && teams.has(t.parentId) && !teams.has(t.id)) {
          teams.add(t.id);
          grew = true;
        }
      }
    }
  }
  return new Set(
    PEOPLE.filter(
      (p) =>
        (p.primaryTeamId && teams.has(p.primaryTeamId)) ||
        (!primaryOnly && p.secondaryTeamIds?.some((t) => teams.has(t))),
    ).map((p) => p.id),
  );
}

export function reportsOf(managerId: string, indirect: boolean): Set<string> {
  const out = new Set<string>();
  let frontier = [managerId];
  while (frontier.length > 0) {
    const next = PEOPLE.filter((p) => p.managerId && frontier.includes(p.managerId)).map((p) => p.id);
    for (const n of next) out.add(n);
    frontier = indirect ? next : [];
  }
  return out;
}

export const groupMembers = (g: string) =>
  new Set(PEOPLE.filter((p) => p.groupIds?.includes(g)).map((p) => p.id));

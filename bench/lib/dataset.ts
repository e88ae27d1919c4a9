import type { AuditEventInputRaw } from '../../shared/domain/audit/schema.ts';
import type { UserRecord } from '../../shared/domain/directory/schemas.ts';
import { DirectorySnapshot } from '../../shared/domain/directory/snapshot.ts';
import { Rng } from './random.ts';

/**
 * The bench dataset: deterministic (seeded), several tenants with one big tenant holding most
 * entries, and the skew real logs have: a few hot actors, learners and objects, common and rare
 * actions, a directory of teams (a few large, many small, some nested) and a manager tree with
 * spans from 1 to ~60 direct reports. Events are raw API inputs; the loader stores them through
 * the same validation and mapping the ingest use cases apply.
 */
export interface TenantSpec {
  id: string;
  /** Share of all events. */
  weight: number;
  people: number;
  teams: number;
}

export interface BenchDataset {
  now: Date;
  tenants: TenantSpec[];
  audit: AuditEventInputRaw[];
  activity: Record<string, unknown>[];
  directories: Map<string, DirectorySnapshot>;
}

const DAY = 86_400_000;
/** Events spread over the last 110 days: the default 3-month window holds ~80% of them. */
const SPAN_DAYS = 110;

type Weighted<T> = ReadonlyArray<readonly [T, number]>;
function weighted<T>(rng: Rng, table: Weighted<T>): T {
  const total = table.reduce((s, [, w]) => s + w, 0);
  let x = rng.next() * total;
  for (const [v, w] of table) {
    x -= w;
    if (x < 0) return v;
  }
  return table[table.length - 1]![0];
}

export const AUDIT_ACTIONS: Weighted<string> = [
  ['Updated', 28],
  ['Created', 16],
  ['Enrolled', 12],
  ['Completed', 10],
  ['Assigned', 8],
  ['Started', 6],
  ['Added', 5],
  ['Downloaded', 3],
  ['Removed', 3],
  ['Published', 3],
  ['Archived', 2],
  ['Deleted', 1.5],
  ['Exported', 0.6],
  ['RoleChanged', 0.5],
  ['PasswordChanged', 0.5],
  ['LoginAs', 0.2],
  ['Purged', 0.1],
];
const OBJECT_TYPES: Weighted<string> = [
  ['User', 20],
  ['Enrollment', 15],
  ['Course', 14],
  ['Item', 14],
  ['Session', 6],
  ['Quiz', 5],
  ['Task', 5],
  ['Certificate', 4],
  ['Learnlist', 4],
  ['Team', 3],
  ['Event', 3],
  ['Setting', 1],
  ['ApiKey', 0.4],
  ['Webhook', 0.3],
];
const SOURCES: Weighted<string> = [
  ['web', 70],
  ['api', 10],
  ['integration', 5],
  ['csv_import', 4],
  ['bulk_invite', 3],
  ['webhook', 3],
  ['scheduled_job', 3],
  ['system', 2],
];
const METHODS: Weighted<string> = [
  ['POST', 50],
  ['PATCH', 30],
  ['PUT', 10],
  ['DELETE', 10],
];
const STATUSES: Weighted<number> = [
  [200, 60],
  [201, 30],
  [400, 6],
  [404, 4],
];
export const ACTIVITY_ACTIONS: Weighted<string> = [
  ['Viewed', 35],
  ['Started', 15],
  ['Completed', 12],
  ['LoggedIn', 10],
  ['Clicked', 8],
  ['Watched', 5],
  ['Read', 4],
  ['EnrolledFor', 4],
  ['Attended', 2],
  ['Failed', 1.5],
  ['ReceivedCertificateFor', 1],
  ['Unenrolled', 0.5],
];
const CONTENT_TYPES: Weighted<string> = [
  ['Item', 60],
  ['Learnlist', 12],
  ['Event', 10],
  ['Quiz', 10],
  ['Channel', 5],
  ['Survey', 3],
];
const ITEM_TYPES = ['Video', 'Article', 'Document', 'Audio', 'ELearning', 'Link'];
const TAGS = ['safety', 'compliance', 'leadership', 'onboarding', 'sales', 'gdpr', 'wellbeing', 'product'];

export function tenantSpecs(quick: boolean, prefix = 'bench'): TenantSpec[] {
  return [
    { id: `${prefix}-acme`, weight: 0.82, people: quick ? 400 : 4000, teams: quick ? 24 : 120 },
    { id: `${prefix}-globex`, weight: 0.08, people: quick ? 80 : 400, teams: 12 },
    { id: `${prefix}-initech`, weight: 0.06, people: quick ? 60 : 250, teams: 8 },
    { id: `${prefix}-umbrella`, weight: 0.04, people: quick ? 40 : 150, teams: 6 },
  ];
}

/** Ids sort by index so the dataset is stable; `uid(7)` = `u00007`. */
const uid = (i: number) => `u${String(i).padStart(5, '0')}`;
const tid = (i: number) => `team${String(i).padStart(3, '0')}`;

/**
 * A directory: users 0 (the CEO), 1–8 (VPs), 9–(people/10) (managers under the VPs), everyone
 * else reporting to a manager picked with skew (spans vary from one report to dozens). Primary
 * teams are skewed too (a few large teams, many small), teams 1–4 have sub-teams, 2% are
 * deactivated.
 */
function directory(rng: Rng, t: TenantSpec): DirectorySnapshot {
  const managers = Math.max(12, Math.floor(t.people / 10));
  const teams = Array.from({ length: t.teams }, (_, i) => ({
    id: tid(i),
    name: `Team ${i}`,
    ...(i >= 5 && i % 4 === 0 ? { parentId: tid(1 + (i % 4)) } : {}),
  }));
  const teamIds = teams.map((x) => x.id);
  const users: UserRecord[] = Array.from({ length: t.people }, (_, i) => {
    const managerId =
      i === 0
        ? undefined
        : i <= 8
          ? uid(0)
          : i < managers
            ? uid(1 + (i % 8))
            : uid(9 + Math.floor((managers - 9) * rng.next() ** 1.6));
    const user: UserRecord = {
      id: uid(i),
      firstName: `First${i}`,
      lastName: `Last${i}`,
      email: `user${i}@${t.id}.example`,
      role: i < managers ? 'Manager' : 'Learner',
      primaryTeamId: rng.skewed(teamIds, 2),
      status: rng.chance(0.02) && i >= managers ? 'deactivated' : 'active',
    };
    if (managerId) user.managerId = managerId;
    if (rng.chance(0.1)) user.secondaryTeamIds = [rng.pick(teamIds)];
    return user;
  });
  return new DirectorySnapshot({ users, teams, groups: [], content: [] });
}

export function buildDataset(options: {
  quick: boolean;
  now?: Date;
  seed?: number;
  /** Tenant id prefix, so runs sharing a table do not meet. */
  prefix?: string;
}): BenchDataset {
  const now = options.now ?? new Date(Math.floor(Date.now() / 60_000) * 60_000);
  const rng = new Rng(options.seed ?? 20261122);
  const tenants = tenantSpecs(options.quick, options.prefix);
  const perLog = options.quick ? 3000 : 200_000;
  const directories = new Map(tenants.map((t) => [t.id, directory(rng, t)]));
  const tenantTable: Weighted<TenantSpec> = tenants.map((t) => [t, t.weight]);
  const at = () => new Date(now.getTime() - 60_000 - Math.floor(rng.next() * SPAN_DAYS * DAY)).toISOString();

  const audit: AuditEventInputRaw[] = [];
  for (let i = 0; i < perLog; i++) {
    const t = weighted(rng, tenantTable);
    const people = t.people;
    const source = weighted(rng, SOURCES);
    const type = weighted(rng, OBJECT_TYPES);
    const action = weighted(rng, AUDIT_ACTIONS);
    const actorType =
      source === 'api'
        ? 'api'
        : source === 'integration' || source === 'webhook'
          ? 'integration'
          : source === 'scheduled_job' || source === 'system'
            ? 'system'
            : 'user';
    const actorN = Math.floor(people * rng.next() ** 3);
    const actor =
      actorType === 'user'
        ? {
            type: 'user',
            id: uid(actorN),
            name: `First${actorN} Last${actorN}`,
            email: `user${actorN}@x.example`,
          }
        : { type: actorType, id: `${actorType}-${rng.int(6)}`, name: `${source} client ${rng.int(6)}` };
    const objectN = Math.floor((options.quick ? 600 : 20_000) * rng.next() ** 2.5);
    const objectId =
      type === 'User' ? uid(Math.floor(people * rng.next() ** 2)) : `${type.toLowerCase()}-${objectN}`;
    const event: AuditEventInputRaw = {
      id: `a${i.toString(36).padStart(6, '0')}`,
      tenantId: t.id,
      occurredAt: at(),
      actor: actor as AuditEventInputRaw['actor'],
      action: action as AuditEventInputRaw['action'],
      object: {
        type: type as AuditEventInputRaw['object']['type'],
        id: objectId,
        name: `${type} number ${objectN}`,
      },
      source: {
        kind: source as AuditEventInputRaw['source']['kind'],
        ...(actorType !== 'user' ? { name: `client ${rng.int(6)}` } : {}),
      },
    };
    if (actorType === 'user') {
      const ipN = Math.floor(600 * rng.next() ** 2);
      event.ip =
        ipN % 9 === 0
          ? `2001:db8::${ipN.toString(16)}`
          : `10.${ipN % 4}.${Math.floor(ipN / 4) % 250}.${ipN % 200}`;
      event.userAgent = 'Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) AppleWebKit/605.1.15';
    }
    if (type === 'Enrollment' || type === 'User' || type === 'Certificate' || rng.chance(0.2)) {
      const s = Math.floor(people * rng.next() ** 1.8);
      event.subject = { id: uid(s), name: `First${s} Last${s}` };
    }
    if (source === 'api') {
      event.request = {
        method: weighted(rng, METHODS),
        url: `/api/v2/${type.toLowerCase()}s/${objectId}?token=secret${i}`,
        status: weighted(rng, STATUSES),
        contentType: 'application/json; charset=utf-8',
      };
    }
    if (type === 'Course' || type === 'Enrollment' || type === 'Session' || rng.chance(0.15)) {
      const c = Math.floor((options.quick ? 80 : 800) * rng.next() ** 2);
      event.context = { courseId: `course-${c}`, courseTitle: `Course ${c}` };
    }
    if (action === 'Updated' || action === 'RoleChanged' || action === 'PasswordChanged') {
      event.changes = [
        { field: action === 'PasswordChanged' ? 'password' : 'title', before: `old ${i}`, after: `new ${i}` },
      ];
      if (rng.chance(0.3)) event.changes.push({ field: 'description', before: 'a', after: 'b' });
    }
    if (rng.chance(0.1)) event.details = { reason: 'requested by manager', apiKey: 'k-123', batch: i % 50 };
    audit.push(event);
  }

  const activity: Record<string, unknown>[] = [];
  const contentCount = options.quick ? 300 : 3000;
  const contentType = (n: number) => {
    const r = new Rng(n + 1);
    return weighted(r, CONTENT_TYPES);
  };
  for (let i = 0; i < perLog; i++) {
    const t = weighted(rng, tenantTable);
    const dir = directories.get(t.id)!;
    const userN = Math.floor(t.people * rng.next() ** 1.6);
    const action = weighted(rng, ACTIVITY_ACTIONS);
    const event: Record<string, unknown> = {
      id: `v${i.toString(36).padStart(6, '0')}`,
      tenantId: t.id,
      occurredAt: at(),
      userId: dir.data.users[userN]!.id,
      action,
      device: rng.chance(0.3) ? 'mobile' : 'web',
    };
    if (action !== 'LoggedIn') {
      const c = Math.floor(contentCount * rng.next() ** 2.2);
      const type = contentType(c);
      event.content = {
        type,
        id: `content-${c}`,
        title: `${TAGS[c % TAGS.length]} module ${c}`,
        ...(type === 'Item' ? { contentType: ITEM_TYPES[c % ITEM_TYPES.length] } : {}),
        tags: [TAGS[c % TAGS.length]!, TAGS[(c * 7) % TAGS.length]!],
      };
      if (action === 'Completed' || action === 'Failed') {
        event.result = {
          outcome: action === 'Failed' ? 'failed' : 'passed',
          scorePercent: rng.int(101),
          durationSeconds: 60 + rng.int(3600),
        };
      }
      if (action === 'Completed' && c % 10 === 0) event.cpdLabels = ['CPD'];
    }
    if (rng.chance(0.01)) {
      event.bulkImportId = `import-${rng.int(20)}`;
      event.source = 'csv';
    }
    activity.push(event);
  }
  return { now, tenants, audit, activity, directories };
}

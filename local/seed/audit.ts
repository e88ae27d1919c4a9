import { auditStoreFromConfig } from '../../shared/composition/audit.ts';
import type { AuditEventInputRaw } from '../../shared/domain/audit/schema.ts';
import { ingestAuditEvents } from '../../shared/use-cases/audit/ingest.ts';
import { DEMO_PEOPLE, DEMO_TENANT } from './demo.ts';
import type { SeedContext } from './index.ts';
import { PRODUCT_EVENTS } from './product-events.ts';

/**
 * A few hundred realistic audit entries in the demo tenant over the last ~4 months, written
 * through ingestAuditEvents like any platform service would: impersonation, a CSV import, an API
 * app's change, a (redacted) password change, a soft-deleted task, content marked completed for a
 * learner, an HRIS sync, a role change, LMS365-style course events, and everyday admin work.
 */
const person = (p: { sub: string; name: string }) => ({ type: 'user' as const, id: p.sub, name: p.name });
const OLIVIA = person(DEMO_PEOPLE.owner);
const ADAM = person(DEMO_PEOPLE.admin);
const MARIA = person(DEMO_PEOPLE.manager);
const LEO = person(DEMO_PEOPLE.learner);
const HANA = { type: 'user' as const, id: 'u-hana', name: 'Hana Hughes' };
const DEV = { type: 'user' as const, id: 'u-dev', name: 'Dev Patel' };
const SAM = { type: 'user' as const, id: 'u-sam', name: 'Sam Carter' };
const PEOPLE = [OLIVIA, ADAM, HANA, DEV, SAM];
const LEARNERS = [LEO, { id: 'u-lily', name: 'Lily Chen' }, { id: 'u-omar', name: 'Omar Haddad' }];

const WORKDAY = { type: 'api' as const, id: 'app-workday', name: 'Workday Connector' };
const BAMBOO = { type: 'integration' as const, id: 'int-bamboohr', name: 'BambooHR' };
const SYSTEM = { type: 'system' as const, name: 'Logbook' };

const OFFICE_IPS = ['81.2.69.142', '81.2.69.160', '2a00:23c6:9a1b:4e01::12'];
const HOME_IPS = ['86.143.22.7', '92.40.180.15', '2a02:c7f:5e2b:1200::a4'];
const UA =
  'Mozilla/5.0 (Macintosh; Intel Mac OS X 14_6) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.6 Safari/605.1.15';

const OBJECTS = [
  { type: 'Item', id: 'item-fire-safety', name: 'Fire Safety Basics' },
  { type: 'Item', id: 'item-gdpr', name: 'GDPR in 10 minutes' },
  { type: 'Learnlist', id: 'll-onboarding', name: 'New starter onboarding' },
  { type: 'Channel', id: 'ch-leadership', name: 'Leadership' },
  { type: 'Event', id: 'ev-townhall', name: 'Quarterly town hall' },
  { type: 'Quiz', id: 'quiz-security', name: 'Security awareness quiz' },
  { type: 'Survey', id: 'survey-pulse', name: 'Pulse survey' },
  { type: 'Objective', id: 'obj-q3', name: 'Q3 sales objective' },
  { type: 'OneToOne', id: 'one-maria-leo', name: 'Maria / Leo weekly' },
  { type: 'Skill', id: 'skill-negotiation', name: 'Negotiation' },
  { type: 'Team', id: 'team-sales', name: 'Sales' },
  { type: 'Task', id: 'task-expenses', name: 'Submit expenses policy sign-off' },
] as const;

function rng(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

export function demoAuditEvents(now: Date): AuditEventInputRaw[] {
  const r = rng(2026);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;
  const at = (daysAgo: number, minutes = 0) =>
    new Date(now.getTime() - daysAgo * 86_400_000 - minutes * 60_000).toISOString();
  const base = { tenantId: DEMO_TENANT, userAgent: UA } as const;
  const web = { kind: 'web' as const };
  const events: AuditEventInputRaw[] = [];
  const lms = (name: string, daysAgo: number, extra: Partial<AuditEventInputRaw>) => {
    const e = PRODUCT_EVENTS[name]!;
    events.push({
      ...base,
      id: `seed-lms-${name}-${daysAgo}`,
      occurredAt: at(daysAgo, 17),
      actor: ADAM,
      action: e.action,
      object: { type: e.objectType, id: 'course-h-and-s', name: 'Health and Safety 2026' },
      source: web,
      ip: OFFICE_IPS[0],
      context: { courseId: 'course-h-and-s', courseTitle: 'Health and Safety 2026' },
      details: { lms365Event: name },
      ...extra,
    });
  };

  // Adam logs in as Leo to fix his profile, then updates it while logged in as him.
  events.push({
    ...base,
    id: 'seed-login-as',
    occurredAt: at(3, 30),
    actor: ADAM,
    action: 'LoginAs',
    object: { type: 'User', id: LEO.id, name: LEO.name },
    source: web,
    ip: OFFICE_IPS[0],
  });
  events.push({
    ...base,
    id: 'seed-impersonated-update',
    occurredAt: at(3, 25),
    actor: LEO,
    impersonator: { id: ADAM.id, name: ADAM.name },
    action: 'Updated',
    object: { type: 'User', id: LEO.id, name: LEO.name },
    source: web,
    ip: OFFICE_IPS[0],
    changes: [{ field: 'jobTitle', before: 'Sales Associate', after: 'Account Executive' }],
  });
  // A CSV import of new starters.
  for (const [i, name] of ['Priya Nair', 'Tom Becker', 'Ana Souza', 'Kenji Ito', 'Fatima Zahra'].entries()) {
    events.push({
      ...base,
      id: `seed-csv-import-${i}`,
      occurredAt: at(21, 60 - i),
      actor: HANA,
      action: 'Created',
      object: { type: 'User', id: `u-new-${i}`, name },
      source: { kind: 'csv_import' },
      ip: OFFICE_IPS[1],
      details: { file: 'new-starters-september.csv', row: i + 2 },
    });
  }
  // An API application's change, with the request it came through.
  events.push({
    ...base,
    id: 'seed-api-change',
    occurredAt: at(6, 200),
    actor: WORKDAY,
    action: 'Updated',
    object: { type: 'User', id: 'u-lily', name: 'Lily Chen' },
    source: { kind: 'api', name: 'Workday Connector' },
    ip: '52.18.44.201',
    userAgent: 'workday-connector/3.2',
    request: { method: 'PATCH', url: '/api/v2/users/u-lily', status: 200, contentType: 'application/json' },
    changes: [{ field: 'location', before: 'London', after: 'Manchester' }],
    details: { headers: { 'x-api-key': 'wd_live_9f8e7d6c5b4a', 'x-request-id': 'req-7731' } },
  });
  // A password change: stored redacted.
  events.push({
    ...base,
    id: 'seed-password-change',
    occurredAt: at(9, 45),
    actor: LEO,
    action: 'PasswordChanged',
    object: { type: 'User', id: LEO.id, name: LEO.name },
    source: web,
    ip: HOME_IPS[0],
    changes: [{ field: 'password', before: 'hunter2', after: 'correct-horse-battery' }],
  });
  // A soft-deleted task.
  events.push({
    ...base,
    id: 'seed-task-deleted',
    occurredAt: at(12, 5),
    actor: ADAM,
    action: 'Deleted',
    object: { type: 'Task', id: 'task-onboarding', name: 'Onboarding checklist' },
    source: web,
    ip: OFFICE_IPS[0],
    details: { softDelete: true, assignees: 14 },
  });
  // Content marked as completed on behalf of a learner.
  events.push({
    ...base,
    id: 'seed-marked-completed',
    occurredAt: at(15, 90),
    actor: MARIA,
    action: 'MarkedAsCompleted',
    object: { type: 'Item', id: 'item-fire-safety', name: 'Fire Safety Basics' },
    subject: { id: LEO.id, name: LEO.name },
    source: web,
    ip: OFFICE_IPS[2],
  });
  // The nightly HRIS sync.
  for (let d = 1; d <= 120; d += 7) {
    events.push({
      ...base,
      id: `seed-hris-sync-${d}`,
      occurredAt: at(d, 4 * 60),
      actor: BAMBOO,
      action: 'Updated',
      object: { type: 'Integration', id: 'int-bamboohr', name: 'BambooHR' },
      source: { kind: 'integration', name: 'BambooHR' },
      details: {
        usersUpdated: 3 + (d % 11),
        usersDeactivated: d % 3,
        credentials: { clientSecret: 'bhr-secret' },
      },
    });
  }
  // A role change with before and after.
  events.push({
    ...base,
    id: 'seed-role-change',
    occurredAt: at(30, 10),
    actor: OLIVIA,
    action: 'Updated',
    object: { type: 'User', id: MARIA.id, name: MARIA.name },
    source: web,
    ip: OFFICE_IPS[0],
    changes: [{ field: 'role', before: 'learner', after: 'manager' }],
  });
  // LMS365-style course events.
  lms('CourseCreated', 100, {});
  lms('CoursePublished', 99, {});
  lms('CourseSessionCreated', 98, {
    object: { type: 'Session', id: 'session-hs-1', name: 'H&S induction, Leeds' },
  });
  lms('CourseSessionInstructorAssigned', 98, {
    object: { type: 'SessionInstructor', id: 'session-hs-1:u-sam', name: 'Sam Carter' },
  });
  lms('UserRegisteredForSession', 60, {
    actor: LEO,
    object: { type: 'SessionRegistration', id: 'session-hs-1:u-leo', name: 'H&S induction, Leeds' },
    ip: HOME_IPS[1],
  });
  lms('CourseForceCompleted', 40, { subject: { id: 'u-omar', name: 'Omar Haddad' } });
  lms('CertificateIssued', 40, {
    actor: SYSTEM,
    source: { kind: 'system' },
    object: { type: 'Certificate', id: 'cert-omar-hs', name: 'Health and Safety 2026' },
    subject: { id: 'u-omar', name: 'Omar Haddad' },
  });
  lms('UserSkillGranted', 39, {
    object: { type: 'UserSkill', id: 'skill-first-aid:u-omar', name: 'First aid' },
    subject: { id: 'u-omar', name: 'Omar Haddad' },
  });
  lms('ApiKeyGenerated', 35, {
    actor: OLIVIA,
    object: { type: 'ApiKey', id: 'key-lms-reporting', name: 'Reporting key' },
    context: undefined,
    details: { lms365Event: 'ApiKeyGenerated', apiKey: 'lk_live_0a1b2c3d' },
  });
  // Everyday admin work and a few scheduled exports.
  const actions = ['Created', 'Updated', 'Updated', 'Updated', 'Archived', 'Deleted'] as const;
  for (let i = 0; i < 260; i++) {
    const actor = pick(PEOPLE);
    const object = pick(OBJECTS);
    const action = pick(actions);
    events.push({
      ...base,
      id: `seed-admin-${String(i).padStart(3, '0')}`,
      occurredAt: at(r() * 118, Math.floor(r() * 600)),
      actor,
      action,
      object: { ...object },
      source: r() < 0.1 ? { kind: 'bulk_invite' } : web,
      ip: pick(r() < 0.7 ? OFFICE_IPS : HOME_IPS),
      ...(action === 'Updated'
        ? { changes: [{ field: 'title', before: `${object.name} (draft)`, after: object.name }] }
        : {}),
      ...(r() < 0.15 ? { subject: pick(LEARNERS) } : {}),
    });
  }
  for (let w = 1; w <= 16; w++) {
    events.push({
      ...base,
      id: `seed-scheduled-export-${w}`,
      occurredAt: at(w * 7, 0),
      actor: SYSTEM,
      action: 'Created',
      object: { type: 'CsvExport', id: `export-weekly-${w}`, name: 'Weekly compliance report' },
      source: { kind: 'scheduled_job' },
    });
  }
  return events;
}

export async function seedAudit(ctx: SeedContext): Promise<void> {
  const config = ctx.config;
  const deps = {
    store: auditStoreFromConfig(config),
    clock: { now: () => ctx.now },
    retentionMonths: config.AUDIT_RETENTION_MONTHS,
  };
  const events = demoAuditEvents(ctx.now);
  let created = 0;
  for (let i = 0; i < events.length; i += 100) {
    const out = await ingestAuditEvents(deps, events.slice(i, i + 100));
    created += out.results.filter((res) => res.status === 'created').length;
  }
  ctx.log(`audit log: ${created} entries in tenant ${DEMO_TENANT}`);
}

import { parse } from 'csv-parse/sync';
import { beforeAll, describe, expect, it } from 'vitest';
import { previousPeriod } from '../../shared/domain/reports/periods.ts';
import { api, token } from './helpers.ts';
import { scheduleTenant } from './support/schedule-tenant.ts';

/**
 * Issue 13 over HTTP: a scheduled report never widens a recipient's view (narrowed per recipient
 * at run time, one file per effective view), a curator's `reporting` permission is read from the
 * directory when the run is due, and report names refuse control characters.
 *
 * The tree: mgr manages l1, l2 and sub (a manager of l3); other manages l4; l5 has no manager.
 */
const ctx = scheduleTenant('sec');
const { tenant, email, user, mine } = ctx;
const LEARNERS = ['l1', 'l2', 'l3', 'l4', 'l5'];
let period: { from: Date; to: Date };
let due: Date;

const person = (id: string, role: string, extra: Record<string, unknown> = {}) => ({
  ...user(id, role),
  ...extra,
});

beforeAll(async () => {
  const users = [
    person('mgr', 'Manager'),
    person('sub', 'Manager', { managerId: 'mgr' }),
    person('other', 'Manager'),
    person('l1', 'Learner', { managerId: 'mgr' }),
    person('l2', 'Learner', { managerId: 'mgr' }),
    person('l3', 'Learner', { managerId: 'sub' }),
    person('l4', 'Learner', { managerId: 'other' }),
    person('l5', 'Learner'),
    person('cur', 'Curator', { reporting: true }),
  ];
  const res = await api('/v1/directory/users', {
    token: ctx.tokens.service,
    method: 'PUT',
    body: { tenantId: tenant, users },
  });
  expect(res.status, res.text).toBe(200);
  // A daily schedule runs at the next 06:00 UTC: later today before 06:00, tomorrow after it.
  // (CI runs at any hour; a run at 01:00 once expected tomorrow's run and failed.)
  const now = new Date();
  due = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate(), 6));
  if (due.getTime() <= now.getTime()) due = new Date(due.getTime() + 86_400_000);
  period = previousPeriod('daily', due, 'UTC');
  const at = new Date(Math.min(period.from.getTime() + 3600_000, Date.now() - 60_000)).toISOString();
  const events = LEARNERS.map((userId) => ({
    id: `${tenant}-${userId}`,
    tenantId: tenant,
    occurredAt: at,
    userId,
    action: 'Completed',
    content: { type: 'Item', id: 'c1', title: 'Fire Safety' },
  }));
  const ingest = await api('/v1/activity-events', { token: ctx.tokens.service, body: { events } });
  expect(ingest.status, ingest.text).toBe(200);
});

async function schedule(tok: string, name: string, recipients: string[]) {
  const report = await api('/v1/reports', {
    token: tok,
    body: { name: `${name} ${tenant}`, log: 'activity', filters: {}, visibility: 'private' },
  });
  expect(report.status, report.text).toBe(201);
  const put = await api(`/v1/reports/${report.body.id}/schedule`, {
    token: tok,
    method: 'PUT',
    body: { frequency: 'daily', recipients },
  });
  expect(put.status, put.text).toBe(200);
  expect(put.body.schedule.nextRunAt).toBe(due.toISOString());
  return report.body.id as string;
}

async function run() {
  const res = await api('/_local/run-schedules', {
    body: { now: new Date(due.getTime() + 60_000).toISOString(), tenantId: tenant },
  });
  expect(res.status).toBe(200);
  return res.body.runs as { reportId: string; status: string }[];
}

/** Per recipient id: the learners whose rows their e-mailed file holds, and the link. */
async function filesOf(reportName: string, recipients: string[]) {
  const mails = (await mine()).filter((m) => m.subject.includes(`${reportName} ${tenant}`));
  const out: Record<string, { users: string[]; link: string }> = {};
  for (const id of recipients) {
    const mail = mails.find((m) => m.to.includes(email(id)));
    if (!mail) continue;
    const link = /(http\S+\/v1\/downloads\/\S+)/.exec(mail.text)?.[1] ?? '';
    const file = await fetch(link);
    const rows = parse(await file.text(), { columns: true }) as Record<string, string>[];
    out[id] = { users: rows.map((r) => (r['Email address'] ?? '').split('.')[0] ?? '').sort(), link };
  }
  return out;
}

describe('scheduled reports never widen a reader’s view', () => {
  it('sends a manager only their own reports’ rows of an admin’s company-wide report; admins share one file', async () => {
    const id = await schedule(ctx.tokens.admin, 'Company', ['u-admin', 'mgr', 'u-owner']);
    expect((await run()).find((r) => r.reportId === id)?.status).toBe('sent');
    const files = await filesOf('Company', ['u-admin', 'mgr', 'u-owner']);
    expect(files.mgr?.users).toEqual(['l1', 'l2', 'l3', 'sub'].filter((u) => LEARNERS.includes(u)));
    expect(files['u-admin']?.users).toEqual(LEARNERS);
    expect(files['u-owner']?.link).toBe(files['u-admin']?.link);
    expect(files.mgr?.link).not.toBe(files['u-admin']?.link);
  });

  it('narrows a manager’s report to what each recipient manager may see too, and reads the tree at run time', async () => {
    const mgrToken = await token({ tenant, role: 'manager', sub: 'mgr' });
    const id = await schedule(mgrToken, 'Team', ['sub', 'other', 'u-admin', 'mgr']);
    // Between saving and running, l2 moves to another manager.
    const moved = await api('/v1/directory/users', {
      token: ctx.tokens.service,
      method: 'PUT',
      body: { tenantId: tenant, users: [person('l2', 'Learner', { managerId: 'other' })] },
    });
    expect(moved.status).toBe(200);
    expect((await run()).find((r) => r.reportId === id)?.status).toBe('sent');
    const files = await filesOf('Team', ['sub', 'other', 'u-admin', 'mgr']);
    expect(files.sub?.users).toEqual(['l3']);
    expect(files.other?.users).toEqual([]);
    expect(files['u-admin']?.users).toEqual(['l1', 'l3']);
    expect(files.mgr?.link).toBe(files['u-admin']?.link);
  });

  it('sends nothing to a recipient who lost access before the run, and names them in the run’s audit entry', async () => {
    const id = await schedule(ctx.tokens.admin, 'Shrunk', ['u-admin', 'other']);
    const demoted = await api('/v1/directory/users', {
      token: ctx.tokens.service,
      method: 'PUT',
      body: { tenantId: tenant, users: [person('other', 'Learner')] },
    });
    expect(demoted.status).toBe(200);
    await run();
    const files = await filesOf('Shrunk', ['u-admin', 'other']);
    expect(Object.keys(files)).toEqual(['u-admin']);
    const entry = await api(
      `/v1/audit-events/${encodeURIComponent(`report-run:${id}:${period.from.toISOString()}`)}`,
      { token: ctx.tokens.admin },
    );
    expect(entry.status).toBe(200);
    expect(entry.body.details.skipped).toEqual([
      { userId: 'other', reason: 'may no longer see the activity log' },
    ]);
    // Restore for the other tests' expectations.
    await api('/v1/directory/users', {
      token: ctx.tokens.service,
      method: 'PUT',
      body: {
        tenantId: tenant,
        users: [person('other', 'Manager'), person('l2', 'Learner', { managerId: 'mgr' })],
      },
    });
  });
});

describe('a curator’s reporting permission is read when the run is due', () => {
  it('pauses a curator’s schedule once the directory no longer grants reporting, whatever the token said', async () => {
    const curToken = await token({ tenant, role: 'curator', sub: 'cur', reporting: true });
    const id = await schedule(curToken, 'Curated', ['u-admin']);
    const revoked = await api('/v1/directory/users', {
      token: ctx.tokens.service,
      method: 'PUT',
      body: { tenantId: tenant, users: [person('cur', 'Curator', { reporting: false })] },
    });
    expect(revoked.status).toBe(200);
    expect((await run()).find((r) => r.reportId === id)?.status).toBe('paused');
    const read = await api(`/v1/reports/${id}`, { token: curToken });
    expect(read.body.schedule).toMatchObject({
      paused: true,
      pausedReason: expect.stringMatching(/activity/),
    });
    expect(await filesOf('Curated', ['u-admin'])).toEqual({});
  });

  it('accepts a curator recipient whom the directory grants reporting, and refuses one it does not', async () => {
    const report = await api('/v1/reports', {
      token: ctx.tokens.admin,
      body: { name: `Curator recipient ${tenant}`, log: 'activity', filters: {}, visibility: 'private' },
    });
    await api('/v1/directory/users', {
      token: ctx.tokens.service,
      method: 'PUT',
      body: {
        tenantId: tenant,
        users: [person('cur2', 'Curator', { reporting: true }), person('cur3', 'Curator')],
      },
    });
    const res = await api(`/v1/reports/${report.body.id}/schedule`, {
      token: ctx.tokens.admin,
      method: 'PUT',
      body: { frequency: 'weekly', recipients: ['cur2', 'cur3'] },
    });
    expect(res.status).toBe(400);
    expect(res.body.errors.map((e: { path: string }) => e.path)).toEqual(['recipients[1]']);
  });
});

describe('report names', () => {
  it.each([
    ['a line feed', 'Weekly\nBcc: x@example.com'],
    ['a tab', 'Weekly\tdeletions'],
    ['a C1 control', 'Weekly\u0085deletions'],
    ['a bidi override', 'report\u202Efdp.exe'],
  ])('refuses a name with %s, naming the field', async (_label, name) => {
    const res = await api('/v1/reports', {
      token: ctx.tokens.admin,
      body: { name, log: 'activity', filters: {}, visibility: 'private' },
    });
    expect(res.status).toBe(400);
    expect(res.headers.get('content-type')).toMatch(/application\/problem\+json/);
    expect(res.body.errors.map((e: { path: string }) => e.path)).toEqual(['name']);
  });
});

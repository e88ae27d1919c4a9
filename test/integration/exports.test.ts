import { parse } from 'csv-parse/sync';
import { beforeAll, describe, expect, it } from 'vitest';
import { activityRow, guardCell } from '../../shared/domain/exports/columns.ts';
import { signDownloadToken } from '../../shared/domain/exports/download-token.ts';
import type { ActivityEntryLike, ExportUser } from '../../shared/domain/exports/entries.ts';
import { LOCAL_SIGNING_SECRET } from '../../shared/signing.ts';
import { AUDIT, ELEARNING, STANDARD } from '../fixtures/export-columns.ts';
import { api, token, tokensFor, uniqueTenant } from './helpers.ts';

/**
 * Exports end to end through the dev gateway: data ingested over HTTP, an export requested,
 * polled until it succeeded, its link followed (302) to s3rver, and the file parsed and compared
 * with what the query API answers for the same filters.
 */
const tenant = uniqueTenant('exp');
let t: Awaited<ReturnType<typeof tokensFor>>;
const now = Date.now();
const iso = (msAgo: number) => new Date(now - msAgo).toISOString();
const window = { from: iso(10 * 86_400_000), to: new Date(now + 60_000).toISOString() };

const TEAMS = [
  { id: 'eng', name: 'Engineering' },
  { id: 'ops', name: 'Operations, "Core"' },
];
interface TestUser {
  id: string;
  firstName: string;
  lastName: string;
  email: string;
  role: string;
  status: string;
  jobTitle?: string;
  language?: string;
  location?: string;
  joinedAt?: string;
  managerId?: string;
  primaryTeamId?: string;
  secondaryTeamIds?: string[];
  customFields?: Record<string, string>;
}
const USERS: TestUser[] = [
  {
    id: 'u-manager',
    firstName: 'Maria',
    lastName: 'Manager',
    email: 'maria@example.com',
    role: 'Manager',
    status: 'active',
    primaryTeamId: 'eng',
  },
  {
    id: 'r1',
    firstName: 'Rita',
    lastName: 'Report',
    email: 'rita@example.com',
    role: 'Learner',
    jobTitle: 'Engineer',
    language: 'en',
    location: 'Zürich',
    joinedAt: '2024-01-15T00:00:00.000Z',
    managerId: 'u-manager',
    primaryTeamId: 'eng',
    secondaryTeamIds: ['ops'],
    status: 'active',
    customFields: { Region: 'EMEA', 'Cost centre': '=1+2' },
  },
  {
    id: 'r2',
    firstName: 'Ron',
    lastName: 'Indirect',
    email: 'ron@example.com',
    role: 'Learner',
    managerId: 'r1',
    status: 'active',
    customFields: { Region: 'APAC' },
  },
  {
    id: 's1',
    firstName: 'Sam',
    lastName: 'Stranger',
    email: 'sam@example.com',
    role: 'Learner',
    status: 'active',
  },
  {
    id: 'u-admin',
    firstName: 'Adam',
    lastName: 'Admin',
    email: 'adam@example.com',
    role: 'Admin',
    status: 'active',
  },
];

const TITLES = [
  '=HYPERLINK("http://evil.example","x")',
  'Comma, "quote"\nand newline',
  'Zoë Ångström 日本語',
  '+plus',
  '-minus',
  '@at',
];

function activityEvents() {
  const users = ['r1', 'r2', 's1'];
  return Array.from({ length: 18 }, (_, i) => ({
    id: `act-${i}`,
    tenantId: tenant,
    occurredAt: iso((i + 1) * 3_600_000),
    userId: users[i % users.length],
    action: i % 3 === 0 ? 'Failed' : 'Completed',
    content: {
      type: i % 2 ? 'Item' : 'Quiz',
      id: `c-${i % 4}`,
      title: TITLES[i % TITLES.length],
      ...(i % 2 ? { contentType: 'Video' } : {}),
      tags: ['Safety', `t${i % 3}`],
    },
    ...(i % 2
      ? {}
      : {
          result: {
            outcome: i % 3 === 0 ? 'failed' : 'passed',
            scorePercent: 40 + i,
            durationSeconds: 60 * i + 5,
          },
        }),
    ...(i % 5 === 0 ? { expiresAt: new Date(now + 365 * 86_400_000).toISOString() } : {}),
  }));
}

function auditEvents() {
  return Array.from({ length: 6 }, (_, i) => ({
    id: `aud-${i}`,
    tenantId: tenant,
    occurredAt: iso((i + 1) * 3_600_000),
    actor: { type: 'user', id: 'u-admin', name: 'Adam Admin' },
    action: i % 2 ? 'Updated' : 'PasswordChanged',
    object: { type: 'User', id: `r${(i % 2) + 1}`, name: i === 3 ? '=cmd|calc' : 'Rita, "R" Report' },
    subject: { id: 'r1', name: 'Rita Report' },
    source: { kind: 'web' },
    ip: '10.0.0.7',
    ...(i % 2 ? { changes: [{ field: 'jobTitle', before: 'Engineer', after: 'Lead' }] } : {}),
  }));
}

async function poll(id: string, tok: string) {
  for (let i = 0; i < 150; i++) {
    const res = await api(`/v1/exports/${id}`, { token: tok });
    if (res.status !== 200) return res;
    if (res.body.status === 'succeeded' || res.body.status === 'failed') return res;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('export did not finish');
}

async function exportAndFetch(tok: string, body: Record<string, unknown>) {
  const created = await api('/v1/exports', { token: tok, body });
  expect(created.status, created.text).toBe(202);
  expect(created.body).toEqual({ id: expect.any(String), status: 'queued' });
  const done = await poll(created.body.id, tok);
  expect(done.body.status, JSON.stringify(done.body)).toBe('succeeded');
  const link = new URL(done.body.downloadUrl);
  const redirect = await fetch(link, { redirect: 'manual' });
  expect(redirect.status).toBe(302);
  const file = await fetch(redirect.headers.get('location')!);
  expect(file.status).toBe(200);
  const bytes = Buffer.from(await file.arrayBuffer());
  // TextDecoder drops a leading BOM, as Response.text() does.
  return {
    id: created.body.id as string,
    view: done.body,
    file,
    bytes,
    text: new TextDecoder().decode(bytes),
    link,
  };
}

async function pageAll(path: string, tok: string, filters: Record<string, string>) {
  const items: any[] = [];
  let cursor: string | undefined;
  do {
    const qs = new URLSearchParams({ ...filters, limit: '7', ...(cursor ? { cursor } : {}) });
    const res = await api(`${path}?${qs}`, { token: tok });
    expect(res.status, res.text).toBe(200);
    items.push(...res.body.items);
    cursor = res.body.nextCursor ?? undefined;
  } while (cursor);
  return items;
}

function exportUser(id: string): ExportUser | undefined {
  const u = USERS.find((x) => x.id === id);
  if (!u) return undefined;
  const manager = USERS.find((x) => x.id === u.managerId);
  const team = (tid: string) => TEAMS.find((x) => x.id === tid)?.name;
  return {
    ...u,
    status: u.status as 'active',
    managerName: manager ? `${manager.firstName} ${manager.lastName}` : undefined,
    primaryTeamName: u.primaryTeamId ? team(u.primaryTeamId) : undefined,
    secondaryTeamNames: (u.secondaryTeamIds ?? []).map((x) => team(x)!),
  };
}

beforeAll(async () => {
  t = await tokensFor(tenant);
  const put = async (path: string, body: unknown) => {
    const res = await api(path, { method: 'PUT', token: t.service, body });
    expect(res.status, res.text).toBe(200);
  };
  await put('/v1/directory/teams', { tenantId: tenant, teams: TEAMS });
  await put('/v1/directory/users', { tenantId: tenant, users: USERS });
  const a = await api('/v1/activity-events', { token: t.service, body: { events: activityEvents() } });
  expect(a.status, a.text).toBe(200);
  const b = await api('/v1/audit-events', { token: t.service, body: { events: auditEvents() } });
  expect(b.status, b.text).toBe(200);
});

describe('activity exports', () => {
  it('exports a CSV whose rows are the query API’s results, in order, with directory columns', async () => {
    const { text, file, view } = await exportAndFetch(t.admin, {
      log: 'activity',
      format: 'csv',
      variant: 'elearning',
      filters: window,
    });
    expect(file.headers.get('content-disposition')).toMatch(
      /attachment; filename="activity-log-elearning_\d{4}-\d{2}-\d{2}_\d{4}-\d{2}-\d{2}\.csv"/,
    );
    const [header, ...rows] = parse(text) as string[][];
    expect(header).toEqual([...STANDARD, ...ELEARNING, 'Cost centre', 'Region']);
    const items = await pageAll('/v1/activity', t.admin, window);
    expect(items.length).toBeGreaterThan(0);
    expect(view.rowCount).toBe(items.length);
    const expected = items.map((e: ActivityEntryLike) =>
      activityRow(e, exportUser(e.user.id), 'elearning', ['Cost centre', 'Region']),
    );
    expect(rows).toEqual(expected);
    // Literal checks, independent of the row builder.
    const r1 = rows.find((r) => r[0] === 'Rita')!;
    expect(r1.slice(0, 13)).toEqual([
      'Rita',
      'Report',
      'rita@example.com',
      'Learner',
      'Engineer',
      'en',
      'Zürich',
      '2024-01-15T00:00:00.000Z',
      'Maria Manager',
      'Engineering',
      'Operations, "Core"',
      'Active',
      '',
    ]);
    expect(r1.slice(-2)).toEqual(["'=1+2", 'EMEA']);
    const titles = new Set(rows.map((r) => r[14]));
    expect(titles).toContain('\'=HYPERLINK("http://evil.example","x")');
    expect(titles).toContain('Comma, "quote"\nand newline');
    expect(titles).toContain('Zoë Ångström 日本語');
    expect(titles).toContain("'+plus");
    expect(titles).toContain("'-minus");
    expect(titles).toContain("'@at");
    expect(guardCell('=x')).toBe("'=x");
  });

  it('exports NDJSON lines equal to the query API’s entries', async () => {
    const filters = { ...window, action: 'Failed' };
    const { text, file } = await exportAndFetch(t.hr, { log: 'activity', format: 'json', filters });
    expect(file.headers.get('content-disposition')).toMatch(
      /filename="activity-log_\d{4}-\d{2}-\d{2}_\d{4}-\d{2}-\d{2}\.ndjson"/,
    );
    const lines = text
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l));
    const items = await pageAll('/v1/activity', t.hr, filters);
    expect(items.length).toBeGreaterThan(0);
    expect(lines).toEqual(items);
  });

  it('limits a manager’s export to their direct and indirect reports', async () => {
    const { text } = await exportAndFetch(t.manager, { log: 'activity', format: 'json', filters: window });
    const users = new Set(
      text
        .trimEnd()
        .split('\n')
        .map((l) => JSON.parse(l).user.id),
    );
    expect(users).toEqual(new Set(['r1', 'r2']));
  });

  it('forbids a learner to export activity, and hr to export the audit log', async () => {
    const learner = await api('/v1/exports', {
      token: t.learner,
      body: { log: 'activity', format: 'csv', filters: {} },
    });
    expect(learner.status).toBe(403);
    expect(learner.headers.get('content-type')).toContain('application/problem+json');
    const hr = await api('/v1/exports', { token: t.hr, body: { log: 'audit', format: 'csv', filters: {} } });
    expect(hr.status).toBe(403);
  });

  it('rejects bad filters with paths under filters, and a bad body', async () => {
    const res = await api('/v1/exports', {
      token: t.admin,
      body: { log: 'activity', format: 'csv', filters: { from: 'yesterday', bogus: '1', action: 'Danced' } },
    });
    expect(res.status).toBe(400);
    const paths = res.body.errors.map((e: { path: string }) => e.path);
    expect(paths).toEqual(expect.arrayContaining(['filters.from', 'filters.bogus', 'filters.action[0]']));
    // zod's records drop a key named __proto__; it is refused, not ignored (the export would run unfiltered).
    const proto = await api('/v1/exports', {
      token: t.admin,
      body: JSON.parse('{"log":"activity","format":"csv","filters":{"__proto__":"x"}}'),
    });
    expect(proto.status).toBe(400);
    expect(proto.body.errors).toEqual([{ path: 'filters.__proto__', message: 'is not a recognised field' }]);
    const body = await api('/v1/exports', { token: t.admin, body: { log: 'nope', format: 'xls' } });
    expect(body.status).toBe(400);
    expect(body.body.errors.map((e: { path: string }) => e.path)).toEqual(
      expect.arrayContaining(['log', 'format']),
    );
  });
});

describe('audit exports', () => {
  it('starts a CSV with a UTF-8 BOM unless csvBom is false, and never a JSON file', async () => {
    const filters = { ...window, actorId: 'u-admin' };
    const bom = [0xef, 0xbb, 0xbf];
    const csv = await exportAndFetch(t.owner, { log: 'audit', format: 'csv', filters });
    expect([...csv.bytes.subarray(0, 3)]).toEqual(bom);
    const plain = await exportAndFetch(t.owner, { log: 'audit', format: 'csv', csvBom: false, filters });
    expect(plain.bytes.subarray(0, 10).toString('utf8')).toBe('Happened a');
    const json = await exportAndFetch(t.owner, { log: 'audit', format: 'json', filters });
    expect(json.bytes[0]).toBe('{'.charCodeAt(0));
    expect(json.file.headers.get('content-disposition')).toMatch(
      /filename="audit-log_\d{4}-\d{2}-\d{2}_\d{4}-\d{2}-\d{2}\.ndjson"/,
    );
  });

  it('exports a CSV of the audit log with labels, attribution and changes', async () => {
    const filters = { ...window, actorId: 'u-admin' };
    const { text } = await exportAndFetch(t.owner, { log: 'audit', format: 'csv', filters });
    const [header, ...rows] = parse(text) as string[][];
    expect(header).toEqual(AUDIT);
    const items = await pageAll('/v1/audit-events', t.owner, filters);
    expect(rows.map((r) => r[0])).toEqual(items.map((i) => i.occurredAt));
    const updated = rows.find((r) => r[3] === 'Updated')!;
    expect(updated.slice(1, 3)).toEqual(['Adam Admin', 'u-admin']);
    expect(updated[7]).toBe('Rita Report');
    expect(updated[8]).toBe('Web');
    expect(updated[9]).toBe('10.0.0.7');
    expect(updated[11]).toBe('jobTitle: Engineer → Lead');
    expect(rows.some((r) => r[3] === 'Password changed')).toBe(true);
    expect(rows.some((r) => r[5] === "'=cmd|calc")).toBe(true);
    expect(rows.some((r) => r[5] === 'Rita, "R" Report')).toBe(true);
  });

  it('records every export in the audit log as a CsvExport Created by the requester', async () => {
    const created = await api('/v1/exports', {
      token: t.admin,
      body: { log: 'activity', format: 'csv', filters: { ...window, action: ['Completed'] } },
    });
    expect(created.status).toBe(202);
    const res = await api(`/v1/audit-events?objectType=CsvExport&objectId=${created.body.id}`, {
      token: t.owner,
    });
    expect(res.status, res.text).toBe(200);
    expect(res.body.items).toHaveLength(1);
    const entry = await api(`/v1/audit-events/${res.body.items[0].id}`, { token: t.owner });
    expect(entry.body).toMatchObject({
      action: 'Created',
      object: { type: 'CsvExport', id: created.body.id },
      actor: { type: 'user', id: 'u-admin', name: 'Adam Admin' },
      source: { kind: 'web' },
      details: { log: 'activity', format: 'csv', variant: 'standard', filters: { action: 'Completed' } },
    });
    await poll(created.body.id, t.admin);
  });
});

describe('reading exports and downloading', () => {
  let id: string;
  let link: URL;
  beforeAll(async () => {
    ({ id, link } = await exportAndFetch(t.hr, { log: 'activity', format: 'csv', filters: window }));
  });

  it('shows an export to its requester and to owners and admins, and 404 to anyone else', async () => {
    expect((await api(`/v1/exports/${id}`, { token: t.hr })).status).toBe(200);
    expect((await api(`/v1/exports/${id}`, { token: t.owner })).status).toBe(200);
    expect((await api(`/v1/exports/${id}`, { token: t.admin })).status).toBe(200);
    const otherHr = await token({ tenant, role: 'hr', sub: 'u-other-hr' });
    expect((await api(`/v1/exports/${id}`, { token: otherHr })).status).toBe(404);
    expect((await api(`/v1/exports/${id}`, { token: t.reporter })).status).toBe(404);
    const otherTenant = await token({ tenant: uniqueTenant('other'), role: 'owner', sub: 'u-hr' });
    expect((await api(`/v1/exports/${id}`, { token: otherTenant })).status).toBe(404);
    expect((await api('/v1/exports/01NOSUCHEXPORT', { token: t.owner })).status).toBe(404);
  });

  it('needs no token to download, and presigns afresh each time', async () => {
    const a = await fetch(link, { redirect: 'manual' });
    const b = await fetch(link, { redirect: 'manual' });
    expect(a.status).toBe(302);
    expect(b.status).toBe(302);
    expect(a.headers.get('location')).toMatch(/X-Amz-Expires=300/);
  });

  it('answers 404 problem+json for an altered token', async () => {
    const tokenPart = link.pathname.split('/').at(-1)!;
    const flipped = `${tokenPart.slice(0, 3)}${tokenPart[3] === 'A' ? 'B' : 'A'}${tokenPart.slice(4)}`;
    const res = await api(`/v1/downloads/${flipped}`);
    expect(res.status).toBe(404);
    expect(res.headers.get('content-type')).toContain('application/problem+json');
    expect((await api('/v1/downloads/garbage')).status).toBe(404);
  });

  it('answers 404 for an expired token and 302 for a live one signed the same way', async () => {
    const key = new TextEncoder().encode(LOCAL_SIGNING_SECRET);
    const at = Math.floor(Date.now() / 1000);
    const expired = signDownloadToken(key, { tenantId: tenant, exportId: id, expiresAt: at - 1 });
    const live = signDownloadToken(key, { tenantId: tenant, exportId: id, expiresAt: at + 60 });
    expect((await api(`/v1/downloads/${expired}`)).status).toBe(404);
    expect((await api(`/v1/downloads/${live}`)).status).toBe(302);
  });
});

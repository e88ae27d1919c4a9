import ipaddr from 'ipaddr.js';
import { beforeAll, describe, expect, it } from 'vitest';
import { auditDataset, type DatasetEvent } from '../fixtures/audit-dataset.ts';
import { type ApiResponse, api, tokensFor, uniqueTenant } from './helpers.ts';

/**
 * Every filter of GET /v1/audit-events, alone and combined, against an expectation computed
 * here in plain JS from the same input array.
 */
const tenant = uniqueTenant('audq');
const now = new Date();
const events = auditDataset(tenant, now);
let tokens: Awaited<ReturnType<typeof tokensFor>>;

const sortKey = (e: DatasetEvent) => `${e.occurredAt}#${e.id}`;
const byNewest = (a: DatasetEvent, b: DatasetEvent) => (sortKey(a) < sortKey(b) ? 1 : -1);

function threeMonthsBefore(d: Date): string {
  const x = new Date(d);
  x.setUTCMonth(x.getUTCMonth() - 3);
  return x.toISOString();
}

function inCidr(ip: string | undefined, cidr: string): boolean {
  if (!ip) return false;
  const addr = ipaddr.parse(ip);
  const range = ipaddr.parseCIDR(cidr);
  return addr.kind() === range[0].kind() && addr.match(range);
}

type Query = Record<string, string>;

function expected(q: Query): string[] {
  const list = (k: string) => q[k]?.split(',');
  const from = q.from ?? threeMonthsBefore(q.to ? new Date(q.to) : now);
  const to = q.to ?? new Date(now.getTime() + 60_000).toISOString();
  const out = events.filter((e) => {
    if (e.occurredAt < from || e.occurredAt >= to) return false;
    if (list('actorId') && !list('actorId')!.includes(e.actor.id ?? '')) return false;
    if (list('action') && !list('action')!.includes(e.action)) return false;
    if (list('objectType') && !list('objectType')!.includes(e.object.type)) return false;
    if (list('objectId') && !list('objectId')!.includes(e.object.id)) return false;
    if (q.objectName && !(e.object.name ?? '').toLowerCase().includes(q.objectName.toLowerCase()))
      return false;
    if (list('subjectId') && !list('subjectId')!.includes(e.subject?.id ?? '')) return false;
    if (q.ip) {
      if (q.ip.includes('/') ? !inCidr(e.ip, q.ip) : e.ip !== q.ip) return false;
    }
    if (list('source') && !list('source')!.includes(e.source.kind)) return false;
    if (q.system === 'true' && e.actor.type === 'user') return false;
    if (q.system === 'false' && e.actor.type !== 'user') return false;
    if (
      list('requestMethod') &&
      !list('requestMethod')!
        .map((m) => m.toUpperCase())
        .includes(e.request?.method ?? '')
    )
      return false;
    if (
      list('requestStatus') &&
      !list('requestStatus')!
        .map(Number)
        .includes(e.request?.status ?? 0)
    )
      return false;
    if (q.requestUrl && !(e.request?.url ?? '').startsWith(q.requestUrl)) return false;
    if (
      list('requestContentType') &&
      !list('requestContentType')!.includes((e.request?.contentType ?? '').split(';')[0]!.trim())
    )
      return false;
    if (list('courseId') && !list('courseId')!.includes(e.context?.courseId ?? '')) return false;
    if (list('classId') && !list('classId')!.includes(e.context?.classId ?? '')) return false;
    return true;
  });
  out.sort(byNewest);
  if (q.order === 'asc') out.reverse();
  return out.map((e) => e.id);
}

async function fetchAll(q: Query, limit = 200): Promise<string[]> {
  const ids: string[] = [];
  let cursor: string | null = null;
  for (let pages = 0; pages < 500; pages++) {
    const params: URLSearchParams = new URLSearchParams({
      ...q,
      limit: String(limit),
      ...(cursor ? { cursor } : {}),
    });
    const res: ApiResponse<{ items: { id: string }[]; nextCursor: string | null }> = await api(
      `/v1/audit-events?${params}`,
      { token: tokens.admin },
    );
    expect(res.status, res.text).toBe(200);
    ids.push(...res.body.items.map((i: { id: string }) => i.id));
    cursor = res.body.nextCursor;
    if (!cursor) return ids;
  }
  throw new Error('too many pages');
}

const daysAgo = (n: number) => new Date(now.getTime() - n * 86_400_000).toISOString();

beforeAll(async () => {
  tokens = await tokensFor(tenant);
  for (let i = 0; i < events.length; i += 100) {
    const res = await api('/v1/audit-events', {
      token: tokens.service,
      body: { events: events.slice(i, i + 100) },
    });
    expect(res.status, res.text).toBe(200);
  }
});

describe('GET /v1/audit-events filters', () => {
  const cases: [string, Query][] = [
    ['no filter (default 3-month window)', {}],
    ['actorId', { actorId: 'u-ada' }],
    ['actorId list', { actorId: 'u-ada,app-1' }],
    ['action', { action: 'Created' }],
    ['action list', { action: 'Created,Deleted' }],
    ['objectType', { objectType: 'Task' }],
    ['objectType list', { objectType: 'Course,Session' }],
    ['objectId', { objectId: 'task-1' }],
    ['objectId list', { objectId: 'task-1,item-2,cat-1' }],
    ['objectName (case-insensitive substring)', { objectName: 'SAFETY' }],
    ['subjectId', { subjectId: 'l-1' }],
    ['subjectId list', { subjectId: 'l-1,l-3' }],
    ['ip address', { ip: '10.0.0.1' }],
    ['ipv6 address', { ip: '2001:db8::1' }],
    ['ipv4 CIDR', { ip: '10.0.0.0/16' }],
    ['ipv6 CIDR', { ip: '2001:db8::/48' }],
    ['source', { source: 'api' }],
    ['source list', { source: 'csv_import,bulk_invite' }],
    ['system=true', { system: 'true' }],
    ['system=false', { system: 'false' }],
    ['requestMethod (any case)', { requestMethod: 'post' }],
    ['requestMethod list', { requestMethod: 'PATCH,DELETE' }],
    ['requestStatus', { requestStatus: '200' }],
    ['requestUrl prefix', { requestUrl: '/api/v2/users' }],
    ['requestContentType (parameters ignored)', { requestContentType: 'application/json' }],
    ['courseId', { courseId: 'c-1' }],
    ['classId', { classId: 'cl-c-2-0,cl-c-1-1' }],
    ['from and to', { from: daysAgo(30), to: daysAgo(10) }],
    ['from far back (beyond the default window)', { from: daysAgo(120) }],
    ['order asc', { order: 'asc' }],
    ['action + objectType', { action: 'Deleted', objectType: 'Task' }],
    ['actorId + action + from', { actorId: 'u-bob,u-cy', action: 'Updated,Archived', from: daysAgo(60) }],
    [
      'API triage: source + method + status',
      { source: 'api', requestMethod: 'POST', requestStatus: '200,201' },
    ],
    ['ip CIDR + system=false', { ip: '10.0.0.0/8', system: 'false' }],
    ['objectName + order asc', { objectName: 'learner', order: 'asc' }],
    ['courseId + subjectId', { courseId: 'c-1,c-2', subjectId: 'l-2' }],
    [
      'objectId + ip + window',
      { objectId: 'c-1,c-2', ip: '2001:db8::/32', from: daysAgo(120), to: daysAgo(5) },
    ],
  ];

  it.each(cases)('returns exactly the matching entries, in order, for %s', async (_name, q) => {
    const want = expected(q);
    const got = await fetchAll(q);
    expect(got).toEqual(want);
  });

  it('has a dataset where each case above is non-trivial', () => {
    for (const [, q] of cases) expect(expected(q).length).toBeGreaterThan(0);
  });

  it('walks every match exactly once with a small page, newest first and oldest first', async () => {
    for (const order of ['desc', 'asc']) {
      const q = { from: daysAgo(120), order };
      const got = await fetchAll(q, 7);
      expect(got).toEqual(expected(q));
      expect(new Set(got).size).toBe(got.length);
    }
  });

  it('lets limit change from page to page', async () => {
    const q = { action: 'Created,Updated' };
    const first = await api(`/v1/audit-events?${new URLSearchParams({ ...q, limit: '3' })}`, {
      token: tokens.owner,
    });
    const second = await api(
      `/v1/audit-events?${new URLSearchParams({ ...q, limit: '11', cursor: first.body.nextCursor })}`,
      { token: tokens.owner },
    );
    expect([...first.body.items, ...second.body.items].map((i: { id: string }) => i.id)).toEqual(
      expected(q).slice(0, 14),
    );
  });

  it('answers nextCursor null on the last page and leaves changes and details out of list items', async () => {
    const res = await api('/v1/audit-events?objectId=task-2&limit=200', { token: tokens.admin });
    expect(res.body.nextCursor).toBeNull();
    for (const item of res.body.items) {
      expect(item).not.toHaveProperty('changes');
      expect(item).not.toHaveProperty('details');
      expect(item.summary).toEqual(expect.any(String));
    }
  });

  it('rejects a tampered cursor, another tenant’s cursor and one replayed with other filters', async () => {
    const first = await api('/v1/audit-events?action=Created&limit=2', { token: tokens.admin });
    const cursor: string = first.body.nextCursor;
    expect(cursor).toEqual(expect.any(String));
    const [payload, tag] = cursor.split('.');
    const altered = `${Buffer.from(JSON.stringify({ p: `2099-01-01T00:00:00.000Z#x|a|b` })).toString('base64url')}.${tag}`;
    const flipped = `${payload}.${tag!.slice(0, -1)}${tag!.endsWith('A') ? 'B' : 'A'}`;
    for (const bad of [altered, flipped, 'garbage']) {
      const res = await api(`/v1/audit-events?action=Created&cursor=${encodeURIComponent(bad)}`, {
        token: tokens.admin,
      });
      expect(res.status).toBe(400);
    }
    const other = await tokensFor(uniqueTenant('audq-other'));
    const foreign = await api(`/v1/audit-events?action=Created&cursor=${encodeURIComponent(cursor)}`, {
      token: other.admin,
    });
    expect(foreign.status).toBe(400);
    const mismatched = await api(`/v1/audit-events?action=Deleted&cursor=${encodeURIComponent(cursor)}`, {
      token: tokens.admin,
    });
    expect(mismatched.status).toBe(400);
    const same = await api(`/v1/audit-events?action=Created&cursor=${encodeURIComponent(cursor)}`, {
      token: tokens.owner,
    });
    expect(same.status).toBe(200);
  });

  it.each([
    ['from after to', { from: daysAgo(1), to: daysAgo(2) }, 'from'],
    ['an unknown action', { action: 'Created,Exploded' }, 'action'],
    ['an unknown object type', { objectType: 'Spaceship' }, 'objectType'],
    ['a bad ip', { ip: '10.0.0.999' }, 'ip'],
    ['a bad limit', { limit: '201' }, 'limit'],
    ['an unknown parameter', { actorID: 'u-ada' }, 'actorID'],
    // An own key, as the gateway's query object holds it (a literal would set the prototype).
    [
      'a parameter named __proto__',
      Object.fromEntries([['__proto__', 'x']]) as Record<string, string>,
      '__proto__',
    ],
  ])('answers 400 naming the parameter for %s', async (_name, q, path) => {
    const res = await api(`/v1/audit-events?${new URLSearchParams(q)}`, { token: tokens.admin });
    expect(res.status).toBe(400);
    expect(res.headers.get('content-type')).toContain('application/problem+json');
    expect(JSON.stringify(res.body.errors)).toContain(path);
  });
});

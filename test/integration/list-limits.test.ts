import { beforeAll, describe, expect, it } from 'vitest';
import { READ_BUDGET } from '../../shared/query/budget.ts';
import { api, token, tokensFor, uniqueTenant } from './helpers.ts';

/**
 * Bounded work per list call, through the HTTP API: a filter that matches nothing over a wide
 * window stops at the read budget with a cursor (it used to read the tenant's whole log in one
 * call), and the cost headers that reveal such counts reach org-wide readers only.
 */
const tenant = uniqueTenant('limits');
/** More than one call's budget of entries in each log. */
const COUNT = READ_BUDGET.items + 150;
const start = Date.parse('2026-01-05T00:00:00Z');
const at = (i: number) => new Date(start + i * 60_000).toISOString();
let t: Awaited<ReturnType<typeof tokensFor>>;

beforeAll(async () => {
  t = await tokensFor(tenant);
  const audit = Array.from({ length: COUNT }, (_, i) => ({
    id: `a${i}`,
    tenantId: tenant,
    occurredAt: at(i),
    actor: { type: 'user', id: `u${i % 7}`, name: 'Ann Admin' },
    action: 'Updated',
    object: { type: 'User', id: `o${i % 11}`, name: 'Somebody' },
    source: { kind: 'web' },
  }));
  const activity = Array.from({ length: COUNT }, (_, i) => ({
    id: `e${i}`,
    tenantId: tenant,
    occurredAt: at(i),
    userId: `u-learner`,
    action: 'Viewed',
    // A rare title, spread thinner than one call's budget can cover.
    content: { type: 'Item', id: `c${i % 5}`, title: i % 50 === 0 ? 'Rare topic' : 'Fire safety' },
  }));
  const batches: Array<[string, unknown[]]> = [];
  for (let i = 0; i < COUNT; i += 100) {
    batches.push(
      ['/v1/audit-events', audit.slice(i, i + 100)],
      ['/v1/activity-events', activity.slice(i, i + 100)],
    );
  }
  // Two batches at a time, each retried unchanged on 429/503 (DynamoDB Local is slow to write).
  const send = async ([path, events]: [string, unknown[]]) => {
    for (let attempt = 0; ; attempt++) {
      const res = await api(path, { token: t.service, body: { events } });
      if (res.status === 200) return;
      if (attempt >= 5 || (res.status !== 429 && res.status !== 503))
        throw new Error(`${path}: ${res.status}`);
    }
  };
  for (let i = 0; i < batches.length; i += 2) await Promise.all(batches.slice(i, i + 2).map(send));
}, 600_000);

const WINDOW = `from=2025-12-01T00:00:00Z&to=2026-03-01T00:00:00Z`;

async function walkEmpty(path: string, tokenOf: string) {
  const pages: { scanned: number; items: number; more: boolean }[] = [];
  let cursor: string | null = null;
  do {
    const res: any = await api(`${path}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`, {
      token: tokenOf,
    });
    expect(res.status).toBe(200);
    cursor = res.body.nextCursor;
    pages.push({
      scanned: Number(res.headers.get('x-logbook-scanned')),
      items: res.body.items.length,
      more: cursor !== null,
    });
  } while (cursor && pages.length < 20);
  return pages;
}

describe('the read budget of a list call', () => {
  for (const [label, path] of [
    ['GET /v1/activity (title contains)', `/v1/activity?title=zz&limit=1&${WINDOW}`],
    ['GET /v1/me/activity (title contains)', `/v1/me/activity?title=zz&limit=1&${WINDOW}`],
    ['GET /v1/audit-events (object name contains)', `/v1/audit-events?objectName=zz&limit=1&${WINDOW}`],
  ] as const) {
    it(`${label}: a filter nothing matches stops at the budget with a cursor, and the walk ends`, async () => {
      // /v1/me/activity is the learner's own; the owner reads the others.
      const caller = path.startsWith('/v1/me/')
        ? await token({ tenant, role: 'hr', sub: 'u-learner' })
        : t.owner;
      const pages = await walkEmpty(path, caller);
      expect(pages[0]!.more).toBe(true);
      expect(pages[0]!.items).toBe(0);
      for (const p of pages) expect(p.scanned).toBeLessThanOrEqual(READ_BUDGET.items + 1);
      expect(pages.at(-1)!.more).toBe(false);
      expect(pages.reduce((n, p) => n + p.scanned, 0)).toBeGreaterThanOrEqual(COUNT);
      expect(pages.every((p) => p.items === 0)).toBe(true);
    });
  }

  it('a page cut short by the budget continues exactly where it stopped (walk = whole answer)', async () => {
    const expected = Array.from({ length: COUNT }, (_, i) => i)
      .filter((i) => i % 50 === 0)
      .reverse()
      .map((i) => `e${i}`);
    const seen: string[] = [];
    const sizes: number[] = [];
    let cursor: string | null = null;
    do {
      const res: any = await api(
        `/v1/activity?title=rare&limit=200&${WINDOW}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
        { token: t.owner },
      );
      expect(res.status).toBe(200);
      seen.push(...res.body.items.map((i: any) => i.id));
      sizes.push(res.body.items.length);
      cursor = res.body.nextCursor;
    } while (cursor);
    expect(seen).toEqual(expected);
    // The first page held fewer than `limit` items while more followed.
    expect(sizes.length).toBeGreaterThan(1);
    expect(sizes[0]).toBeGreaterThan(0);
    expect(sizes[0]).toBeLessThan(expected.length);
  });
});

describe('cost headers', () => {
  it('reach org-wide readers of each log', async () => {
    for (const [path, who] of [
      ['/v1/audit-events?limit=1', t.owner],
      ['/v1/audit-events?limit=1', t.admin],
      ['/v1/activity?limit=1', t.hr],
      ['/v1/activity?limit=1', t.curatorReporting],
    ] as const) {
      const res = await api(path, { token: who });
      expect(res.status).toBe(200);
      expect(res.headers.get('x-logbook-scanned'), path).toMatch(/^\d+$/);
      expect(res.headers.get('x-logbook-index'), path).toBeTruthy();
    }
  });

  it('never reach a manager or a learner, whose own view is narrower than what the store read', async () => {
    for (const [path, who] of [
      ['/v1/activity?limit=1&title=zz', t.manager],
      ['/v1/activity?limit=1&scope=managed', t.manager],
      ['/v1/me/activity?limit=1', t.manager],
      ['/v1/me/activity?limit=1&contentId=c0', t.learner],
    ] as const) {
      const res = await api(path, { token: who });
      expect(res.status).toBe(200);
      expect(res.headers.get('x-logbook-scanned'), path).toBeNull();
      expect(res.headers.get('x-logbook-index'), path).toBeNull();
    }
  });
});

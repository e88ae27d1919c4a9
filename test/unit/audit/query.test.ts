import { beforeEach, describe, expect, it } from 'vitest';
import { auditFiltersSchema } from '../../../shared/domain/audit/filters.ts';
import type { UserCaller } from '../../../shared/domain/caller.ts';
import {
  BadRequestError,
  ForbiddenError,
  NotFoundError,
  ValidationError,
} from '../../../shared/domain/errors.ts';
import { EXPORT_PAGE } from '../../../shared/query/merge-planner.ts';
import { ingestAuditEvents } from '../../../shared/use-cases/audit/ingest.ts';
import {
  getAuditEvent,
  HYDRATE_BATCH,
  iterateAuditEvents,
  listAuditEvents,
} from '../../../shared/use-cases/audit/query.ts';
import { InMemoryAuditStore } from './fakes.ts';

let now = new Date('2026-11-22T10:00:00.000Z');
let store: InMemoryAuditStore;
const key = new TextEncoder().encode('k'.repeat(32));
const deps = () => ({ store, clock: { now: () => now }, retentionMonths: 18, signingKey: async () => key });
const admin: UserCaller = { kind: 'user', tenantId: 't1', userId: 'u-a', role: 'admin', reporting: false };
const filters = (raw: Record<string, unknown> = {}) => auditFiltersSchema.parse(raw);

async function seed(count: number) {
  const events = Array.from({ length: count }, (_, i) => ({
    id: `e${String(i).padStart(3, '0')}`,
    tenantId: 't1',
    occurredAt: new Date(now.getTime() - (i + 1) * 3_600_000).toISOString(),
    actor: { type: 'user', id: 'u1', name: 'Ada' },
    action: 'Updated',
    object: { type: 'Item', id: `i${i}` },
    source: { kind: 'web' },
    changes: [{ field: 'title', before: 'a', after: 'b' }],
  }));
  for (let i = 0; i < events.length; i += 100)
    await ingestAuditEvents(
      { store, clock: { now: () => now }, retentionMonths: 18 },
      events.slice(i, i + 100),
    );
}

beforeEach(() => {
  now = new Date('2026-11-22T10:00:00.000Z');
  store = new InMemoryAuditStore();
});

describe('listAuditEvents', () => {
  it('forbids roles other than owner and admin', async () => {
    for (const role of ['hr', 'reporter', 'learning_designer', 'curator', 'manager', 'learner'] as const) {
      await expect(
        listAuditEvents(deps(), { ...admin, role }, filters(), { limit: 10 }),
      ).rejects.toBeInstanceOf(ForbiddenError);
    }
  });

  it('defaults to the 3 calendar months before now', async () => {
    await listAuditEvents(deps(), admin, filters(), { limit: 10 });
    expect(store.queries[0]).toMatchObject({
      tenantId: 't1',
      from: '2026-08-22T10:00:00.000Z',
      to: '2026-11-22T10:00:00.000Z',
      order: 'desc',
    });
    await listAuditEvents(deps(), admin, filters({ to: '2026-05-31T00:00:00Z' }), { limit: 10 });
    expect(store.queries[1]).toMatchObject({
      from: '2026-02-28T00:00:00.000Z',
      to: '2026-05-31T00:00:00.000Z',
    });
  });

  it('never reads before the retention period', async () => {
    await listAuditEvents(deps(), admin, filters({ from: '2020-01-01T00:00:00Z' }), { limit: 10 });
    expect(store.queries[0]!.from).toBe('2025-05-22T10:00:00.000Z');
  });

  it('rejects a from after the default to', async () => {
    await expect(
      listAuditEvents(deps(), admin, filters({ from: '2026-12-01T00:00:00Z' }), { limit: 10 }),
    ).rejects.toBeInstanceOf(ValidationError);
  });

  it('pages with a cursor that keeps the first page’s window, and ends with null', async () => {
    await seed(7);
    const first = await listAuditEvents(deps(), admin, filters(), { limit: 3 });
    now = new Date('2026-11-22T11:00:00.000Z');
    const second = await listAuditEvents(deps(), admin, filters(), { limit: 3, cursor: first.nextCursor! });
    const third = await listAuditEvents(deps(), admin, filters(), { limit: 3, cursor: second.nextCursor! });
    expect([...first.items, ...second.items, ...third.items].map((i) => i.id)).toEqual([
      'e000',
      'e001',
      'e002',
      'e003',
      'e004',
      'e005',
      'e006',
    ]);
    expect(third.nextCursor).toBeNull();
    expect(store.queries[1]!.to).toBe('2026-11-22T10:00:00.000Z');
    expect(first.items[0]).not.toHaveProperty('changes');
  });

  it('rejects a cursor from other filters or another tenant', async () => {
    await seed(4);
    const first = await listAuditEvents(deps(), admin, filters(), { limit: 2 });
    await expect(
      listAuditEvents(deps(), admin, filters({ order: 'asc' }), { limit: 2, cursor: first.nextCursor! }),
    ).rejects.toBeInstanceOf(BadRequestError);
    await expect(
      listAuditEvents(deps(), { ...admin, tenantId: 't2' }, filters(), {
        limit: 2,
        cursor: first.nextCursor!,
      }),
    ).rejects.toBeInstanceOf(BadRequestError);
  });
});

describe('iterateAuditEvents', () => {
  it('yields every match in order with changes, page by page', async () => {
    await seed(12);
    const seen = [];
    for await (const e of iterateAuditEvents(deps(), admin, filters({ order: 'asc' }), 5)) seen.push(e);
    expect(seen.map((e) => e.id)).toEqual(
      Array.from({ length: 12 }, (_, i) => `e${String(11 - i).padStart(3, '0')}`),
    );
    expect(seen[0]!.changes).toEqual([{ field: 'title', before: 'a', after: 'b' }]);
    expect(store.queries.length).toBe(3);
  });

  it('queries the next page while the current one is hydrated and used, one read of each kind at a time', async () => {
    await seed(23);
    const log: string[] = [];
    const inFlight = { query: 0, hydrate: 0 };
    const most = { query: 0, hydrate: 0 };
    const track = async <T>(kind: 'query' | 'hydrate', run: () => Promise<T>): Promise<T> => {
      inFlight[kind]++;
      most[kind] = Math.max(most[kind], inFlight[kind]);
      await new Promise((r) => setTimeout(r, 2));
      try {
        return await run();
      } finally {
        inFlight[kind]--;
      }
    };
    const reader = {
      query: (q: Parameters<InMemoryAuditStore['query']>[0]) => {
        log.push(`query ${q.after ?? 'start'}`);
        return track('query', () => store.query(q));
      },
      hydrate: (tenantId: string, items: Parameters<InMemoryAuditStore['hydrate']>[1]) =>
        track('hydrate', () => store.hydrate(tenantId, items)),
    };
    const seen: string[] = [];
    for await (const e of iterateAuditEvents(
      { ...deps(), store: { get: store.get.bind(store), ...reader } },
      admin,
      filters(),
      10,
    )) {
      if (seen.length % 10 === 0) log.push(`use ${e.id}`);
      seen.push(e.id);
      await new Promise((r) => setTimeout(r, 1));
    }
    expect(seen).toEqual(Array.from({ length: 23 }, (_, i) => `e${String(i).padStart(3, '0')}`));
    expect(most).toEqual({ query: 1, hydrate: 1 });
    // Each page's query starts before the previous page's first entry is used.
    const page2 = store.queries[1]!.after!;
    const page3 = store.queries[2]!.after!;
    expect(log).toEqual([
      'query start',
      `query ${page2}`,
      'use e000',
      `query ${page3}`,
      'use e010',
      'use e020',
    ]);
  });

  it('reads pages of the one export page size and makes them whole one BatchGetItem at a time', async () => {
    await seed(EXPORT_PAGE + 30);
    const batches: number[] = [];
    const hydrate = store.hydrate.bind(store);
    const reader = {
      get: store.get.bind(store),
      query: store.query.bind(store),
      hydrate: (tenantId: string, items: Parameters<InMemoryAuditStore['hydrate']>[1]) => {
        batches.push(items.length);
        return hydrate(tenantId, items);
      },
    };
    const seen: string[] = [];
    for await (const e of iterateAuditEvents({ ...deps(), store: reader }, admin, filters())) seen.push(e.id);
    expect(seen).toHaveLength(EXPORT_PAGE + 30);
    expect(new Set(seen).size).toBe(seen.length);
    expect(store.queries.map((q) => q.limit)).toEqual([EXPORT_PAGE, EXPORT_PAGE]);
    expect(batches).toEqual([100, 100, 100, 100, 99, 30]);
    expect(HYDRATE_BATCH).toBe(100);
  });

  it('checks the caller’s role before reading', async () => {
    const it = iterateAuditEvents(deps(), { ...admin, role: 'manager' }, filters());
    await expect(it.next()).rejects.toBeInstanceOf(ForbiddenError);
  });
});

describe('getAuditEvent', () => {
  it('answers 404 for an unknown id, another tenant’s and an expired one', async () => {
    await seed(1);
    expect((await getAuditEvent(deps(), admin, 'e000')).changes).toHaveLength(1);
    await expect(getAuditEvent(deps(), admin, 'nope')).rejects.toBeInstanceOf(NotFoundError);
    await expect(getAuditEvent(deps(), { ...admin, tenantId: 't2' }, 'e000')).rejects.toBeInstanceOf(
      NotFoundError,
    );
    now = new Date('2028-06-01T00:00:00.000Z');
    await expect(getAuditEvent(deps(), admin, 'e000')).rejects.toBeInstanceOf(NotFoundError);
  });
});

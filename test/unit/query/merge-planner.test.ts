import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { READ_BUDGET, type ReadBudget } from '../../../shared/query/budget.ts';
import {
  applyRound,
  finishMerge,
  MAX_READ,
  type MergeState,
  nextRound,
  PROBE_SHARE_DIVISOR,
  type ReadRequest,
  type ReadResult,
  type Round,
  startMerge,
} from '../../../shared/query/merge-planner.ts';
import { formatPosition, isItemPosition, parsePosition } from '../../../shared/query/position.ts';

/**
 * The slice planner of the k-way merge, driven against in-memory streams that answer reads the
 * way a DynamoDB Query does (key-condition range, Limit counted before filters, a resume key, a
 * LastEvaluatedKey when it stopped early), and compared with a simple model: every kept entry
 * of the window, sorted, cut into pages.
 */
interface Entry {
  ts: string;
  keep: boolean;
}
type Order = 'asc' | 'desc';

const DAY = 86_400_000;
const BASE = Date.parse('2026-01-01T00:00:00.000Z');
const iso = (ms: number) => new Date(ms).toISOString();

interface Store {
  /** Each stream's entries, ascending by ts. */
  streams: Entry[][];
  /** Most items one read evaluates besides its Limit (DynamoDB's 1 MB page). */
  pageCap: number;
  /** A read whose Limit (or page) ends exactly on the last entry still returns a LastEvaluatedKey. */
  lastKeyAtEnd: boolean;
}

/** One Query against an in-memory stream; the resume key is the last evaluated entry's ts. */
function query(store: Store, order: Order, r: ReadRequest<string>): ReadResult<Entry, string> {
  let xs = store.streams[r.stream]!.filter((e) => e.ts >= r.lo && e.ts <= r.hi);
  if (order === 'desc') xs = xs.reverse();
  const startKey = r.startKey;
  if (startKey !== undefined) xs = xs.filter((e) => (order === 'asc' ? e.ts > startKey : e.ts < startKey));
  const n = Math.min(r.limit, store.pageCap);
  const evaluated = xs.slice(0, n);
  const last = evaluated[evaluated.length - 1];
  const stopped = xs.length > n || (xs.length === n && store.lastKeyAtEnd);
  return {
    kept: evaluated.filter((e) => e.keep),
    scanned: evaluated.length,
    last: stopped && last ? { key: last.ts, ts: last.ts } : undefined,
  };
}

interface Page {
  items: Entry[];
  nextPosition: string | null;
  rounds: Round<string>[];
  /** Items read and reads made before each round. */
  spent: Array<{ scanned: number; queries: number }>;
  state: MergeState<Entry, string>;
}

function page(
  store: Store,
  q: { from: string; to: string; order: Order; limit: number; after?: string; budget?: ReadBudget },
): Page {
  const state = startMerge<Entry, string>({
    ...q,
    budget: q.budget ?? READ_BUDGET,
    streams: store.streams.length,
    resumeKey: (_i, p) => p,
  });
  const rounds: Round<string>[] = [];
  const spent: Page['spent'] = [];
  for (let round = nextRound(state); round; round = nextRound(state)) {
    rounds.push(round);
    spent.push({ scanned: state.scanned, queries: state.queries });
    if (rounds.length > 10_000) throw new Error('the merge does not end');
    applyRound(
      state,
      round,
      round.reads.map((r) => query(store, q.order, r)),
    );
  }
  return { ...finishMerge(state), rounds, spent, state };
}

/** Every page of a list, following positions (each one rewritten by `mangle` when given). */
function walk(
  store: Store,
  q: { from: string; to: string; order: Order; limit: number; budget?: ReadBudget },
  mangle?: (position: string) => string,
): Page[] {
  const pages: Page[] = [];
  let after: string | undefined;
  for (;;) {
    const p = page(store, { ...q, after });
    pages.push(p);
    if (p.nextPosition === null) return pages;
    if (pages.length > 10_000) throw new Error('the list does not end');
    after = mangle ? mangle(p.nextPosition) : p.nextPosition;
  }
}

/** The model: every kept entry inside the window (`from` inclusive, `to` exclusive), in order. */
function model(store: Store, q: { from: string; to: string; order: Order }): string[] {
  const all = store.streams
    .flat()
    .filter((e) => e.keep && e.ts >= q.from && e.ts <= q.to)
    .map((e) => e.ts)
    .sort();
  return q.order === 'desc' ? all.reverse() : all;
}

/**
 * Lists of 1–12 streams over a window of 1, 30 or 100 days: entries spread over the window and
 * past both ends, bursts of an hour, ties at the same instant, entries exactly on the window's
 * edges, streams that keep everything, some, or nothing (a filter), pages of 1–60, DynamoDB
 * pages cut short, and resume keys at a page's exact end or not.
 */
const scenario = fc
  .record({
    spanDays: fc.constantFrom(1, 30, 100),
    keepPerStream: fc.array(fc.integer({ min: 0, max: 10 }), { minLength: 1, maxLength: 12 }),
    entries: fc.array(
      fc.record({
        stream: fc.nat(),
        at: fc.oneof(
          fc.integer({ min: -5 * DAY, max: 105 * DAY }),
          fc.integer({ min: 0, max: 2 * DAY }),
          fc.integer({ min: 20 * DAY, max: 20 * DAY + 3_600_000 }),
          fc.constantFrom(0, DAY, 7 * DAY + 1, 30 * DAY, 100 * DAY),
        ),
        kind: fc.integer({ min: 0, max: 9 }),
      }),
      { maxLength: 160 },
    ),
    order: fc.constantFrom<Order>('asc', 'desc'),
    limit: fc.integer({ min: 1, max: 60 }),
    pageCap: fc.oneof(fc.constant(Number.POSITIVE_INFINITY), fc.integer({ min: 1, max: 25 })),
    lastKeyAtEnd: fc.boolean(),
  })
  .map((s) => {
    const k = s.keepPerStream.length;
    const streams: Entry[][] = Array.from({ length: k }, () => []);
    s.entries.forEach((e, i) => {
      const stream = e.stream % k;
      streams[stream]!.push({
        ts: `${iso(BASE + e.at)}#e${String(i).padStart(4, '0')}`,
        keep: e.kind < s.keepPerStream[stream]!,
      });
    });
    for (const st of streams) st.sort((a, b) => (a.ts < b.ts ? -1 : 1));
    const store: Store = { streams, pageCap: s.pageCap, lastKeyAtEnd: s.lastKeyAtEnd };
    const q = { from: iso(BASE), to: iso(BASE + s.spanDays * DAY), order: s.order, limit: s.limit };
    return { store, q };
  });

const ids = (pages: Page[]) => pages.flatMap((p) => p.items.map((e) => e.ts));

describe('the merge planner, against a model over in-memory streams', () => {
  it('returns every kept entry of the window once, in order, in pages of the limit', () => {
    fc.assert(
      fc.property(scenario, ({ store, q }) => {
        const pages = walk(store, q);
        const seen = ids(pages);
        expect(new Set(seen).size).toBe(seen.length);
        expect(seen).toEqual(model(store, q));
        // Every page but the last is full, and only the last says nothing follows.
        pages.forEach((p, i) => {
          const last = i === pages.length - 1;
          if (!last) expect(p.items).toHaveLength(q.limit);
          expect(p.nextPosition === null).toBe(last);
        });
      }),
      { numRuns: 300 },
    );
  }, 60_000);

  it('returns the same pages whatever spacing a position carries (garbled, absurd or none)', () => {
    const spacing = fc.constantFrom(
      '',
      '~1',
      '~999999999999',
      '~x',
      '~-5',
      '~0',
      '~0.001',
      '~NaN',
      '~3600000',
    );
    fc.assert(
      fc.property(scenario, spacing, ({ store, q }, s) => {
        const expected = ids(walk(store, q));
        const mangled = walk(store, q, (p) => `${parsePosition(p).position}${s}`);
        expect(ids(mangled)).toEqual(expected);
      }),
      { numRuns: 150 },
    );
  }, 60_000);

  it('asks only for well-formed reads: inside the window, in range order, 1 to MAX_READ items', () => {
    fc.assert(
      fc.property(scenario, ({ store, q }) => {
        for (const p of walk(store, q)) {
          for (const r of p.rounds.flatMap((round) => round.reads)) {
            expect(Number.isInteger(r.limit)).toBe(true);
            expect(r.limit).toBeGreaterThanOrEqual(1);
            expect(r.limit).toBeLessThanOrEqual(MAX_READ);
            expect(r.lo <= r.hi).toBe(true);
            expect(r.lo >= q.from && r.hi <= q.to).toBe(true);
          }
        }
      }),
      { numRuns: 150 },
    );
  }, 60_000);

  it('reads no stream twice within one round, and every read is counted', () => {
    fc.assert(
      fc.property(scenario, ({ store, q }) => {
        for (const p of walk(store, q)) {
          for (const round of p.rounds) {
            const streams = round.reads.map((r) => r.stream);
            expect(new Set(streams).size).toBe(streams.length);
          }
          expect(p.state.queries).toBe(p.rounds.reduce((n, r) => n + r.reads.length, 0));
        }
      }),
      { numRuns: 100 },
    );
  }, 60_000);
});

/** Budgets from one item and one query (every call still makes its first round) to roomy ones. */
const budget = fc.record({
  items: fc.integer({ min: 1, max: 40 }),
  queries: fc.integer({ min: 1, max: 12 }),
});

describe('the merge planner under a read budget', () => {
  it('cut anywhere and resumed, gives exactly the full answer: in order, complete, no duplicates', () => {
    fc.assert(
      fc.property(scenario, budget, ({ store, q }, b) => {
        const pages = walk(store, { ...q, budget: b });
        const seen = ids(pages);
        expect(new Set(seen).size).toBe(seen.length);
        expect(seen).toEqual(model(store, q));
        expect(seen).toEqual(ids(walk(store, q)));
        for (const p of pages) expect(p.items.length).toBeLessThanOrEqual(q.limit);
      }),
      { numRuns: 300 },
    );
  }, 120_000);

  it('stops a call at its budget: reads past it only in the round that crossed it', () => {
    fc.assert(
      fc.property(scenario, budget, ({ store, q }, b) => {
        for (const p of walk(store, { ...q, budget: b })) {
          // The first round always runs; a later one only while both figures are under budget.
          p.rounds.forEach((round, i) => {
            if (i === 0) return;
            const before = p.spent[i]!;
            expect(before.scanned).toBeLessThan(b.items);
            expect(before.queries + round.reads.length).toBeLessThanOrEqual(b.queries);
          });
          // A round's reads share what is left: at most the budget plus one item per stream.
          expect(p.state.scanned).toBeLessThanOrEqual(b.items + store.streams.length);
        }
      }),
      { numRuns: 200 },
    );
  }, 120_000);

  it('ends a page the budget stopped at the frontier, with fewer items than the limit', () => {
    // Two streams, rare matches: a budget of one round cannot fill a page of 10.
    const store = evenStore(2, 400);
    store.streams.forEach((st) => {
      st.forEach((e, i) => {
        e.keep = i % 50 === 0;
      });
    });
    const p = page(store, { ...WINDOW, order: 'desc', limit: 10, budget: { items: 5, queries: 2 } });
    expect(p.state.outOfBudget).toBe(true);
    expect(p.items.length).toBeLessThan(10);
    expect(p.nextPosition).not.toBeNull();
    const edges = p.state.streams.filter((s) => !s.exhausted).map((s) => s.edge);
    expect(p.nextPosition).toBe(edges.sort()[edges.length - 1]);
  });

  it('resumes after a bare timestamp by bounding reads, and after an item by its key', () => {
    const store = evenStore(1, 10);
    const bare = startMerge<Entry, string>({
      ...WINDOW,
      order: 'desc',
      limit: 5,
      streams: 1,
      after: '2026-01-01T00:05:00.000Z',
      budget: READ_BUDGET,
      resumeKey: (_i, p) => `key:${p}`,
    });
    expect(bare.streams[0]!.startKey).toBeUndefined();
    expect(bare.streams[0]!.edge).toBe('2026-01-01T00:05:00.000Z');
    const item = store.streams[0]![4]!.ts;
    const keyed = startMerge<Entry, string>({
      ...WINDOW,
      order: 'desc',
      limit: 5,
      streams: 1,
      after: item,
      budget: READ_BUDGET,
      resumeKey: (_i, p) => `key:${p}`,
    });
    expect(keyed.streams[0]!.startKey).toBe(`key:${item}`);
    expect(isItemPosition(item)).toBe(true);
    expect(isItemPosition('2026-01-01T00:05:00.000Z')).toBe(false);
  });
});

/** `count` entries one minute apart from the window's start, dealt round-robin over `k` streams. */
function evenStore(k: number, count: number): Store {
  const streams: Entry[][] = Array.from({ length: k }, () => []);
  for (let i = 0; i < count; i++)
    streams[i % k]!.push({
      ts: `${iso(BASE + (i + 1) * 60_000)}#e${String(i).padStart(4, '0')}`,
      keep: true,
    });
  return { streams, pageCap: Number.POSITIVE_INFINITY, lastKeyAtEnd: false };
}
const WINDOW = { from: iso(BASE), to: iso(BASE + 30 * DAY) };

describe('the merge planner, by design', () => {
  it('reads one stream once for a page: the page and one more', () => {
    const p = page(evenStore(1, 200), { ...WINDOW, order: 'desc', limit: 50 });
    expect(p.rounds).toHaveLength(1);
    expect(p.rounds[0]!.reads[0]!.limit).toBe(51);
    expect(p.items).toHaveLength(50);
  });

  it('first probes every stream for half its even share of the page, then reads slices', () => {
    const p = page(evenStore(4, 400), { ...WINDOW, order: 'desc', limit: 50 });
    expect(p.rounds[0]!.kind).toBe('probe');
    expect(p.rounds[0]!.reads.map((r) => r.limit)).toEqual(
      Array(4).fill(Math.ceil(51 / (PROBE_SHARE_DIVISOR * 4))),
    );
    expect(p.rounds.slice(1).every((r) => r.kind === 'slice')).toBe(true);
  });

  it("hands several streams' spacing on in the position, and a single stream's position bare", () => {
    const many = page(evenStore(4, 400), { ...WINDOW, order: 'desc', limit: 50 });
    const last = many.items[many.items.length - 1]!.ts;
    // Entries a minute apart: the page's spacing is one minute per item.
    expect(many.nextPosition).toBe(formatPosition(last, 60_000));
    const one = page(evenStore(1, 400), { ...WINDOW, order: 'desc', limit: 50 });
    expect(one.nextPosition).toBe(one.items[one.items.length - 1]!.ts);
  });

  it('starts a page that carries a spacing with a slice instead of a probe', () => {
    const store = evenStore(4, 400);
    const first = page(store, { ...WINDOW, order: 'desc', limit: 50 });
    const next = page(store, { ...WINDOW, order: 'desc', limit: 50, after: first.nextPosition! });
    expect(next.rounds[0]!.kind).toBe('slice');
    const bare = page(store, {
      ...WINDOW,
      order: 'desc',
      limit: 50,
      after: parsePosition(first.nextPosition!).position!,
    });
    expect(bare.rounds[0]!.kind).toBe('probe');
  });

  it("doubles a single stream's read after every read that kept nothing (a rare match)", () => {
    const store = evenStore(1, 1_000);
    for (const e of store.streams[0]!) e.keep = false;
    store.streams[0]![0]!.keep = true;
    const p = page(store, { ...WINDOW, order: 'desc', limit: 10 });
    // 11 for the page and one more; then ×2 per empty read, ×4 for a yield not yet seen.
    expect(p.rounds.map((r) => r.reads[0]!.limit)).toEqual([11, 88, 176, 352, 500]);
    expect(p.items).toHaveLength(1);
  });

  it('never asks one read for more than MAX_READ items', () => {
    const p = page(evenStore(1, 1_200), { ...WINDOW, order: 'asc', limit: 1_000 });
    expect(p.items).toHaveLength(1_000);
    expect(Math.max(...p.rounds.flatMap((r) => r.reads.map((x) => x.limit)))).toBe(MAX_READ);
  });
});

describe('merge positions', () => {
  it('carry a positive spacing after the last position, and read anything else as none', () => {
    expect(formatPosition('2026-01-01T00:00:00.000Z#a', 1500)).toBe('2026-01-01T00:00:00.000Z#a~1500');
    expect(formatPosition('2026-01-01T00:00:00.000Z#a')).toBe('2026-01-01T00:00:00.000Z#a');
    expect(formatPosition('2026-01-01T00:00:00.000Z#a', 0)).toBe('2026-01-01T00:00:00.000Z#a');
    expect(parsePosition('2026-01-01T00:00:00.000Z#a~1500')).toEqual({
      position: '2026-01-01T00:00:00.000Z#a',
      spacing: 1500,
    });
    for (const bad of ['x', '', '-3', '0', 'Infinity'])
      expect(parsePosition(`p#a~${bad}`)).toEqual({ position: 'p#a', spacing: undefined });
    expect(parsePosition(undefined)).toEqual({ position: undefined, spacing: undefined });
  });

  it('round-trip any position and positive spacing', () => {
    fc.assert(
      fc.property(
        fc.string().filter((s) => !s.includes('~')),
        fc.integer({ min: 1 }),
        (position, spacing) => {
          expect(parsePosition(formatPosition(position, spacing))).toEqual({ position, spacing });
        },
      ),
    );
  });
});

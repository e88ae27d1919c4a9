import type { ReadBudget } from './budget.ts';
import { formatPosition, isItemPosition, isoOf, msOf, parsePosition } from './position.ts';

// The slice planner of the k-way merge: pure (no I/O), over explicit stream states.
//
// Every stream is one time-ordered partition (in DynamoDB: one Query on one GSI partition whose
// sort key is `ts` = `occurredAt#id`; one per filter value, per shard). The planner says which
// streams to read, how far and how much (a round of reads); the caller performs them
// (shared/adapters/dynamodb/merge-query.ts against DynamoDB, the unit tests against arrays) and
// hands the results back. Items are emitted only once no stream can still hold an earlier one.
//
// How much to read is the whole cost question: items read per item returned, and Query calls
// (AWS bills every call at least half a read unit, even one that finds nothing). One stream reads
// what the page still needs. Several streams: the first page probes, each stream reading half its
// even share of the page; then time slices read every stream behind a bound down to it (a
// key-condition bound, so a stream with nothing in the slice reads no item), the bound placed
// where, at the rates seen, the page should end. A page hands its spacing (ms per item) on in the
// position it returns (shared/query/position.ts), so the next page starts with a slice instead of
// a probe. docs/performance.md measures the alternatives.
//
// Every call stops at a read budget (shared/query/budget.ts): when it runs out before the page is
// full, the page holds what was found and the position resumes at the frontier, the
// least-advanced stream's edge, behind which every stream has been read (see `StreamState.edge`):
// nothing is skipped or read twice into a page, even when the budget stops inside a DynamoDB page.

/** The most one read asks for (a Query's Limit). */
export const MAX_READ = 500;
/**
 * The page an export reads, in both logs: the store reads one item past the page to know whether
 * more follow, so a page is one Query of MAX_READ items on a single stream.
 */
export const EXPORT_PAGE = MAX_READ - 1;
/** With no match seen yet (a probe that kept nothing), the first slice is this fraction of the window. */
export const FIRST_SLICE = 512;
/** A stream's own rate counts as much as its items against this many at the pooled rate. */
export const PRIOR = 8;
/** A probe reads this fraction of each stream's even share of the page (1/2: half a share). */
export const PROBE_SHARE_DIVISOR = 2;
/** Single stream: each read that kept nothing multiplies the next read by this (a rare match). */
export const DRY_READ_GROWTH = 2;
/** A read's own pace (matches per ms) counts once it kept at least this many items. */
export const PACE_MIN_ITEMS = 4;
/** Items read per item kept, assumed for a stream that has read items and kept none of them. */
export const UNKNOWN_YIELD = 4;
/** The slice bound is searched to this precision (ms). */
export const BOUND_PRECISION_MS = 1000;
/** A slice that found nothing: the next slice is at least this many times as long. */
export const EMPTY_SLICE_GROWTH = 4;
/** Nothing matched yet: each slice is this many times as far from the start as the last one. */
export const BLIND_SLICE_GROWTH = 3;
/** A read may take this many times what its stream should add within the slice … */
export const READ_SLACK_FACTOR = 2;
/** … plus this many items. */
export const READ_SLACK_ITEMS = 2;
/** A rate carried from the previous page lets each stream read up to this many even shares. */
export const HINTED_SHARES = 4;

export type Order = 'asc' | 'desc';

export interface StreamState<T, K> {
  /** Items read and kept, not yet emitted, in merge order. */
  buffer: T[];
  /**
   * Every item of this stream before `edge` in merge order has been read; the unread ones come
   * strictly after it. Either a position (`occurredAt#id`, then `startKey` resumes after it) or a
   * bare timestamp that no position equals (a slice bound; the next read is bounded by it).
   */
  edge: string;
  /** Where the next read resumes (exclusive), opaque to the planner; undefined: from `edge`. */
  startKey: K | undefined;
  exhausted: boolean;
  /** Read at least once (its rate is known). */
  read: boolean;
  /** Items this stream read and kept so far: their ratio predicts a read's yield. */
  scanned: number;
  kept: number;
  /** Consecutive reads that kept nothing (single-stream reads double their page per empty read). */
  dry: number;
  /** Matches per ms over this stream's last read (a burst shows here before it moves the average). */
  recent: number;
}

export interface MergeState<T, K> {
  desc: boolean;
  /** The window: `from` inclusive, `to` exclusive (ISO timestamps). */
  from: string;
  to: string;
  /** The window's far end in merge order. */
  windowEnd: string;
  /** Epoch ms where this page starts (the previous page's last position, or the window's start). */
  startMs: number;
  /** The previous page's spacing (ms per item), if it handed one on. */
  spacing: number | undefined;
  /** Items to find: the page and one more (which tells whether more follow). */
  target: number;
  streams: StreamState<T, K>[];
  /** Emitted, in merge order. */
  items: T[];
  probed: boolean;
  /** The last slice round kept nothing. */
  emptySlice: boolean;
  /** How far past the frontier the last slice reached (ms). */
  lastDistance: number;
  /** Items read (sum of every read's scanned count) and reads made. */
  scanned: number;
  queries: number;
  /** What this call may read. */
  budget: ReadBudget;
  /** The budget stopped the page before it was full. */
  outOfBudget: boolean;
}

export interface ReadRequest<K> {
  /** Index of the stream in the merge's stream list. */
  stream: number;
  /** Key-condition range on the sort key, both ends inclusive (lo ≤ hi as strings). */
  lo: string;
  hi: string;
  /** Resume strictly after this key; undefined: from the range's near end. */
  startKey: K | undefined;
  /** Most items the read evaluates (before filters): 1 to MAX_READ. */
  limit: number;
}

export interface ReadResult<T, K> {
  /** Items that passed every filter, in the stream's order. */
  kept: T[];
  /** Items the read evaluated (DynamoDB's ScannedCount). */
  scanned: number;
  /** Where the read stopped when it may not have reached its range's far end (LastEvaluatedKey). */
  last?: { key: K; ts: string } | undefined;
}

/**
 * One round: reads to run together. `probe` and `slice` rounds read several streams at once; a
 * slice round that keeps nothing makes the next slice longer (or, before a probe, a probe).
 */
export interface Round<K> {
  kind: 'single' | 'probe' | 'slice';
  reads: ReadRequest<K>[];
  /** Items kept by every stream before the round. */
  keptBefore: number;
}

export interface MergeOptions<K> {
  streams: number;
  from: string;
  to: string;
  order: Order;
  limit: number;
  /** The previous page's `nextPosition`. */
  after?: string | undefined;
  /** The key a stream resumes after, for a page that starts after `position` (an item's). */
  resumeKey: (stream: number, position: string) => K;
  budget: ReadBudget;
}

/** `a` comes before `b` in merge order. */
const before = (m: { desc: boolean }, a: string, b: string) => (m.desc ? a > b : a < b);

export function startMerge<T extends { ts: string }, K>(o: MergeOptions<K>): MergeState<T, K> {
  const desc = o.order === 'desc';
  const { position: after, spacing } = parsePosition(o.after);
  const start = after ?? (desc ? o.to : o.from);
  // A budget-stopped page may end at a bare timestamp (a slice bound): the next read is bounded
  // by it, no start key needed (see StreamState.edge).
  const resumeAt = after !== undefined && isItemPosition(after) ? after : undefined;
  return {
    desc,
    from: o.from,
    to: o.to,
    windowEnd: desc ? o.from : o.to,
    startMs: msOf(start),
    spacing,
    target: o.limit + 1,
    streams: Array.from({ length: o.streams }, (_, i) => ({
      buffer: [],
      edge: start,
      startKey: resumeAt !== undefined ? o.resumeKey(i, resumeAt) : undefined,
      exhausted: false,
      read: false,
      scanned: 0,
      kept: 0,
      dry: 0,
      recent: 0,
    })),
    items: [],
    probed: false,
    emptySlice: false,
    lastDistance: 0,
    scanned: 0,
    queries: 0,
    budget: o.budget,
    outOfBudget: false,
  };
}

const live = <T, K>(m: MergeState<T, K>) => m.streams.filter((s) => !s.exhausted);
const buffered = <T, K>(m: MergeState<T, K>) => m.streams.reduce((n, s) => n + s.buffer.length, 0);
const keptSoFar = <T, K>(m: MergeState<T, K>) => m.streams.reduce((n, s) => n + s.kept, 0);
const readPerKept = <T, K>(s: StreamState<T, K>) =>
  s.kept > 0 ? s.scanned / s.kept : s.scanned > 0 ? UNKNOWN_YIELD : 1;

/** Whether a round of `calls` reads still fits the budget (the first round always does). */
const affords = <T, K>(m: MergeState<T, K>, calls: number) =>
  m.queries === 0 || (m.scanned < m.budget.items && m.queries + calls <= m.budget.queries);

/** A stream's share of what the budget has left, when `calls` streams read at once. */
const shareLeft = <T, K>(m: MergeState<T, K>, calls: number) =>
  Math.max(1, Math.floor((m.budget.items - m.scanned) / calls));

/** The least-advanced open stream's edge: every stream has been read up to it. */
const frontierOf = <T, K>(m: MergeState<T, K>, open: StreamState<T, K>[]) =>
  open.reduce((f, s) => (before(m, s.edge, f) ? s.edge : f), open[0]!.edge);

/** The stream whose buffer holds the next item in merge order, if one is buffered. */
function best<T extends { ts: string }, K>(m: MergeState<T, K>): StreamState<T, K> | undefined {
  let found: StreamState<T, K> | undefined;
  for (const s of m.streams) {
    const head = s.buffer[0];
    if (head && (!found || before(m, head.ts, found.buffer[0]!.ts))) found = s;
  }
  return found;
}

/** No stream can still hold an item before `ts`. */
const safe = <T, K>(m: MergeState<T, K>, ts: string) =>
  m.streams.every((s) => s.exhausted || !before(m, s.edge, ts));

/** A read of `s` from its edge towards `bound` (a bare timestamp; the window's end when absent). */
function readOf<T, K>(
  m: MergeState<T, K>,
  s: StreamState<T, K>,
  limit: number,
  bound?: string,
): ReadRequest<K> {
  const far = bound ?? m.windowEnd;
  const near = s.startKey !== undefined ? (m.desc ? m.to : m.from) : s.edge;
  const [lo, hi] = m.desc ? [far, near] : [near, far];
  return {
    stream: m.streams.indexOf(s),
    lo,
    hi,
    startKey: s.startKey,
    limit: Math.min(MAX_READ, Math.max(1, Math.ceil(limit))),
  };
}

/**
 * Emits every item that is safe to emit, then says what to read next: a round of reads, or
 * undefined when the page is complete, every stream is exhausted, or the next round would pass
 * the budget (then `outOfBudget`).
 */
export function nextRound<T extends { ts: string }, K>(m: MergeState<T, K>): Round<K> | undefined {
  while (m.items.length < m.target) {
    const next = best(m);
    if (next && safe(m, next.buffer[0]!.ts)) {
      m.items.push(next.buffer.shift()!);
      continue;
    }
    const open = live(m);
    if (open.length === 0) return undefined;
    const keptBefore = keptSoFar(m);
    if (m.streams.length === 1) {
      // One stream: read what the page needs; a rare match doubles the page per empty read.
      const s = open[0]!;
      const need = m.target - (m.items.length + buffered(m));
      if (!affords(m, 1)) return outOfBudget(m);
      const limit = Math.max(1, need) * DRY_READ_GROWTH ** s.dry * readPerKept(s);
      return { kind: 'single', reads: [readOf(m, s, Math.min(limit, shareLeft(m, 1)))], keptBefore };
    }
    if (!m.probed && (m.emptySlice || (m.spacing === undefined && !m.streams.some((s) => s.read)))) {
      // A probe: each stream reads half its even share of the page, unbounded (a rare stream's
      // share lies far past the page: two actions, one of them rare). A Query costs at least
      // half a read unit however little it returns, so slices grown from a guess (rounds of
      // calls that find nothing) cost more than the few items a probe reads past the page, and
      // after one round every stream's rate is known. A page that starts from the previous
      // page's spacing probes only once a slice finds nothing (the pace changed: a burst ended).
      const share = Math.ceil(m.target / (PROBE_SHARE_DIVISOR * open.length));
      if (!affords(m, open.length)) return outOfBudget(m);
      m.probed = true;
      const left = shareLeft(m, open.length);
      return { kind: 'probe', reads: open.map((s) => readOf(m, s, Math.min(share, left))), keptBefore };
    }
    const { bound, rem, expected } = sliceBound(m);
    const behind = open.filter((s) => before(m, s.edge, bound));
    if (behind.length === 0) {
      // Only when every open stream already stands at the window's end (an empty window):
      // otherwise the bound lies past the least-advanced stream's edge.
      for (const s of open) s.exhausted = true;
      continue;
    }
    // A rate seen on this page sizes each read; a rate carried from the previous page lets each
    // stream read up to four even shares (the density may have changed); with no rate at all a
    // slice may be dense, and each stream takes at most an even share.
    const rateKnown = m.streams.some((x) => x.kept > 0);
    const limitFor = (s: StreamState<T, K>) => {
      if (!rateKnown)
        return m.spacing !== undefined ? (HINTED_SHARES * rem) / open.length + 1 : rem / open.length;
      const e = expected.get(s);
      return Math.min(rem, e === undefined ? rem : READ_SLACK_FACTOR * e + READ_SLACK_ITEMS) * readPerKept(s);
    };
    if (!affords(m, behind.length)) return outOfBudget(m);
    const left = shareLeft(m, behind.length);
    return {
      kind: 'slice',
      reads: behind.map((s) => readOf(m, s, Math.min(limitFor(s), left), bound)),
      keptBefore,
    };
  }
  return undefined;
}

function outOfBudget<T, K>(m: MergeState<T, K>): undefined {
  m.outOfBudget = true;
  return undefined;
}

/**
 * Where the next slice should end, and how many items it may still add to the page. Items
 * buffered past the least-advanced stream's edge (the frontier) are not yet known to be in the
 * page: a stream behind may still hold earlier ones. So the page still needs `rem` items past
 * the frontier; the slice ends where, at the rate seen so far, they should be found, and never
 * past the `rem`-th item already buffered there (the page cannot end later than that).
 */
function sliceBound<T extends { ts: string }, K>(
  m: MergeState<T, K>,
): { bound: string; rem: number; expected: Map<StreamState<T, K>, number> } {
  const open = live(m);
  const frontier = frontierOf(m, open);
  const frontierMs = msOf(frontier);
  const beyond = m.streams
    .flatMap((s) => s.buffer)
    .filter((item) => before(m, frontier, item.ts))
    .sort((a, b) => (before(m, a.ts, b.ts) ? -1 : 1));
  const rem = m.target - m.items.length - (buffered(m) - beyond.length);
  let kept = 0;
  let exposure = 0;
  for (const s of m.streams) {
    if (!s.read) continue;
    kept += s.kept;
    exposure += Math.abs(m.startMs - msOf(s.exhausted ? m.windowEnd : s.edge));
  }
  const span = Math.abs(m.startMs - msOf(m.windowEnd));
  // The previous page's spacing stands in for a rate until this page has seen its own.
  const spacing = m.spacing;
  const hinted = kept === 0 && spacing !== undefined;
  let distance: number;
  let ahead: Array<{ state: StreamState<T, K>; from: number; rate: number }> = [];
  if (hinted || (kept > 0 && exposure > 0)) {
    // Matches per millisecond of one stream: pooled over all streams (or the previous page's
    // spacing), then moved by the stream's own count as far as its evidence goes (PRIOR
    // pseudo-items at the pooled rate), so one busy stream among quiet ones is read at its own
    // pace and three items seen in an hour are not; or its last read's pace, if higher.
    const pooled = hinted ? 1 / (spacing * m.streams.length) : kept / exposure;
    ahead = open.map((s) => {
      const seen = Math.abs(m.startMs - msOf(s.edge));
      const rate = Math.max((s.kept + PRIOR) / (seen + PRIOR / pooled), s.recent);
      return { state: s, from: Math.abs(frontierMs - msOf(s.edge)), rate };
    });
    const offsets = beyond.map((item) => Math.abs(msOf(item.ts) - frontierMs));
    // Items expected within d of the frontier: those buffered, and what each open stream
    // should hold between its edge and d. The page should end where that reaches `rem`.
    const within = (d: number) =>
      offsets.filter((o) => o <= d).length + ahead.reduce((n, a) => n + a.rate * Math.max(0, d - a.from), 0);
    let lo = 0;
    let hi = Math.max(1, span);
    if (within(hi) < rem) lo = hi;
    else
      while (hi - lo > BOUND_PRECISION_MS) {
        const mid = (lo + hi) / 2;
        if (within(mid) >= rem) hi = mid;
        else lo = mid;
      }
    distance = hi;
    // A slice that found nothing says the rate seen so far is too high here: grow fourfold.
    if (m.emptySlice) distance = Math.max(distance, m.lastDistance * EMPTY_SLICE_GROWTH);
  } else {
    // Nothing matched yet: slices grow threefold (an empty slice reads nothing).
    distance = Math.max(Math.abs(m.startMs - frontierMs) * BLIND_SLICE_GROWTH, span / FIRST_SLICE);
  }
  m.lastDistance = distance;
  // What each stream should add within the slice (a read may take READ_SLACK_FACTOR times that,
  // plus READ_SLACK_ITEMS).
  const expected = new Map(ahead.map((a) => [a.state, a.rate * Math.max(0, distance - a.from)]));
  let targetMs = m.desc ? frontierMs - distance : frontierMs + distance;
  const cap = beyond[rem - 1];
  if (cap) {
    const capMs = msOf(cap.ts) + (m.desc ? 0 : 1);
    targetMs = m.desc ? Math.max(targetMs, capMs) : Math.min(targetMs, capMs);
  }
  // Always past the frontier, never past the window.
  targetMs = m.desc ? Math.min(targetMs, frontierMs - 1) : Math.max(targetMs, frontierMs + 1);
  const endMs = msOf(m.windowEnd);
  if (m.desc ? targetMs <= endMs : targetMs >= endMs) return { bound: m.windowEnd, rem, expected };
  return { bound: isoOf(Math.floor(targetMs)), rem, expected };
}

/** Records what one read of a round found. */
function applyRead<T, K>(m: MergeState<T, K>, req: ReadRequest<K>, res: ReadResult<T, K>): void {
  const s = m.streams[req.stream]!;
  m.queries++;
  s.read = true;
  m.scanned += res.scanned;
  s.scanned += res.scanned;
  const keptBefore = s.kept;
  for (const item of res.kept) {
    s.buffer.push(item);
    s.kept++;
  }
  s.dry = s.kept === keptBefore ? s.dry + 1 : 0;
  const edgeBefore = msOf(s.edge);
  const far = m.desc ? req.lo : req.hi;
  if (res.last) {
    s.startKey = res.last.key;
    s.edge = res.last.ts;
  } else if (far === m.windowEnd) {
    s.exhausted = true;
  } else {
    s.startKey = undefined;
    s.edge = far;
  }
  const covered = Math.abs(msOf(s.exhausted ? m.windowEnd : s.edge) - edgeBefore);
  const keptNow = s.kept - keptBefore;
  s.recent = keptNow >= PACE_MIN_ITEMS && covered > 0 ? keptNow / covered : keptNow === 0 ? 0 : s.recent;
}

/** Records a round's results, `results[i]` answering `round.reads[i]`. */
export function applyRound<T, K>(
  m: MergeState<T, K>,
  round: Round<K>,
  results: readonly ReadResult<T, K>[],
): void {
  for (const [i, req] of round.reads.entries()) applyRead(m, req, results[i]!);
  if (round.kind === 'slice') m.emptySlice = keptSoFar(m) === round.keptBefore;
}

/**
 * The page (at most `limit` items) and, when more may follow, the position after its last item;
 * a merge of several streams hands the page's spacing on in it. A page the budget stopped ends at
 * the frontier (a position or a bare timestamp): every buffered item before it is in the page;
 * what is buffered past it is read again by the next call, which starts there.
 */
export function finishMerge<T extends { ts: string }, K>(
  m: MergeState<T, K>,
): { items: T[]; nextPosition: string | null } {
  const items = m.items;
  const hasMore = items.length === m.target;
  if (hasMore) items.pop();
  const last = items[items.length - 1];
  if (!hasMore && m.outOfBudget) return { items, nextPosition: frontierOf(m, live(m)) };
  if (!hasMore || !last) return { items, nextPosition: null };
  // Measured over the page's second half: a page that began with quiet months and ended in a
  // burst should hand on the burst's pace.
  const mid = items[Math.floor(items.length / 2)]!;
  const tail = items.length - Math.floor(items.length / 2);
  const perItem = Math.ceil(Math.abs(msOf(mid.ts) - msOf(last.ts)) / Math.max(1, tail - 1));
  return { items, nextPosition: formatPosition(last.ts, m.streams.length > 1 ? perItem : undefined) };
}

import { type DynamoDBDocumentClient, QueryCommand, type QueryCommandOutput } from '@aws-sdk/lib-dynamodb';
import { TTL_ATTRIBUTE } from '../adapters/dynamodb/tables.ts';
import { recordQueryCost } from '../observability.ts';
import { READ_BUDGET, type ReadBudget } from './budget.ts';
import { ExpressionBuilder } from './expression.ts';

/**
 * A k-way merge of time-ordered index queries behind one position.
 *
 * Every stream is one Query on one partition of a GSI whose sort key is `ts` = `occurredAt#id`
 * (one per filter value, per shard). Each stream resumes strictly after the last position
 * returned (via ExclusiveStartKey), so the cursor needs nothing but that position.
 *
 * How much to read is the whole cost question: items read per item returned, and Query calls (AWS
 * bills every call at least half a read unit, even one that finds nothing). One stream reads what
 * the page still needs. Several streams: the first page probes, each stream reading half its even
 * share of the page; then time slices read every stream behind a bound down to it (a key-condition
 * bound, so a stream with nothing in the slice reads no item), the bound placed where, at the
 * rates seen, the page should end. A page hands its spacing (ms per item) on in the position it
 * returns, so the next page starts with a slice instead of a probe. Items are emitted only once no
 * stream can still hold an earlier one. docs/performance.md measures the alternatives.
 *
 * Every call stops at a read budget (READ_BUDGET): when it runs out before the page is full, the
 * page holds what was found and the position resumes at the frontier, the least-advanced stream's
 * edge, behind which every stream has been read (see `StreamState.edge`): nothing is skipped or
 * read twice into a page, even when the budget stops inside a DynamoDB page.
 */
export type Item = Record<string, unknown> & { ts: string };

export interface Stream {
  indexName: string;
  partitionKeyName: string;
  partitionKeyValue: string;
}

export interface MergeQuery {
  tableName: string;
  streams: readonly Stream[];
  /** ISO timestamps; `from` inclusive, `to` exclusive. */
  from: string;
  to: string;
  order: 'asc' | 'desc';
  limit: number;
  /** Position of the last item already returned: a `nextPosition` of the previous page. */
  after?: string;
  /** Server-side conditions on each stream (the TTL condition is always added). */
  filter?: (expr: ExpressionBuilder) => void;
  /** In-memory conditions DynamoDB cannot express (CIDR membership, directory lookups). */
  accept?: (item: Item) => boolean;
  /** Base-table key of an item at a position, so a stream can resume after it. */
  baseKeyOf: (position: string) => Record<string, string>;
  nowEpochSeconds: number;
  /** What this call may read; READ_BUDGET unless given. */
  budget?: ReadBudget;
}

export interface MergeResult {
  items: Item[];
  /**
   * Position of the last item when more may follow (with the page's spacing, see parsePosition),
   * else null. When the budget ran out first: the frontier, a position or a bare timestamp.
   */
  nextPosition: string | null;
  /** Items DynamoDB read (sum of ScannedCount): the cost figure. */
  scanned: number;
  queries: number;
}

interface StreamState {
  stream: Stream;
  /** Items read and kept, not yet emitted, in merge order. */
  buffer: Item[];
  /**
   * Every item of this stream before `edge` in merge order has been read; the unread ones come
   * strictly after it. Either a position (`occurredAt#id`, then `startKey` resumes after it) or a
   * bare timestamp that no position equals (a slice bound; the next read is bounded by it).
   */
  edge: string;
  startKey: Record<string, unknown> | undefined;
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

/** The most one Query asks for (its Limit). */
const MAX_READ = 500;
/** With no match seen yet (a probe that kept nothing), the first slice is this fraction of the window. */
const FIRST_SLICE = 512;
/** A stream's own rate counts as much as its items against this many at the pooled rate. */
const PRIOR = 8;

const msOf = (position: string) => {
  const hash = position.indexOf('#');
  return Date.parse(hash < 0 ? position : position.slice(0, hash));
};
const isoOf = (ms: number) => new Date(ms).toISOString();

export async function mergeQuery(client: DynamoDBDocumentClient, q: MergeQuery): Promise<MergeResult> {
  const desc = q.order === 'desc';
  /** a comes before b in merge order. */
  const before = (a: string, b: string) => (desc ? a > b : a < b);
  const windowEnd = desc ? q.from : q.to;
  const { position: after, spacing } = parsePosition(q.after);
  const start = after ?? (desc ? q.to : q.from);
  const startMs = msOf(start);
  // A budget-stopped page may end at a bare timestamp (a slice bound): the next read is bounded
  // by it, no start key needed (see StreamState.edge).
  const resumeAt = after?.includes('#') ? after : undefined;
  const budget = q.budget ?? READ_BUDGET;
  const states: StreamState[] = q.streams.map((stream) => ({
    stream,
    buffer: [],
    edge: start,
    startKey: resumeAt
      ? { ...q.baseKeyOf(resumeAt), [stream.partitionKeyName]: stream.partitionKeyValue, ts: resumeAt }
      : undefined,
    exhausted: false,
    read: false,
    scanned: 0,
    kept: 0,
    dry: 0,
    recent: 0,
  }));
  let scanned = 0;
  let queries = 0;

  /**
   * One Query: from the stream's edge towards `bound` (a bare timestamp; the window's end when
   * absent), at most `limit` items.
   */
  const read = async (state: StreamState, limit: number, bound?: string) => {
    const expr = new ExpressionBuilder();
    expr.add(`${expr.path(TTL_ATTRIBUTE)} > ${expr.value(q.nowEpochSeconds)}`);
    q.filter?.(expr);
    const far = bound ?? windowEnd;
    const near = state.startKey ? (desc ? q.to : q.from) : state.edge;
    const [lo, hi] = desc ? [far, near] : [near, far];
    const keyExpr = new ExpressionBuilder('k');
    const keyCondition = `${keyExpr.path(state.stream.partitionKeyName)} = ${keyExpr.value(
      state.stream.partitionKeyValue,
    )} AND ${keyExpr.path('ts')} BETWEEN ${keyExpr.value(lo)} AND ${keyExpr.value(hi)}`;
    const out: QueryCommandOutput = await client.send(
      new QueryCommand({
        TableName: q.tableName,
        IndexName: state.stream.indexName,
        KeyConditionExpression: keyCondition,
        FilterExpression: expr.expression,
        ExpressionAttributeNames: { ...expr.names, ...keyExpr.names },
        ExpressionAttributeValues: { ...expr.values, ...keyExpr.values },
        ScanIndexForward: !desc,
        Limit: Math.min(MAX_READ, Math.max(1, Math.ceil(limit))),
        ExclusiveStartKey: state.startKey,
      }),
    );
    queries++;
    state.read = true;
    scanned += out.ScannedCount ?? 0;
    state.scanned += out.ScannedCount ?? 0;
    const keptBefore = state.kept;
    for (const raw of out.Items ?? []) {
      const item = raw as Item;
      if (!q.accept || q.accept(item)) {
        state.buffer.push(item);
        state.kept++;
      }
    }
    state.dry = state.kept === keptBefore ? state.dry + 1 : 0;
    const edgeBefore = msOf(state.edge);
    const last = out.LastEvaluatedKey;
    if (last) {
      state.startKey = last;
      state.edge = String(last.ts);
    } else if (far === windowEnd) {
      state.exhausted = true;
    } else {
      state.startKey = undefined;
      state.edge = far;
    }
    const covered = Math.abs(msOf(state.exhausted ? windowEnd : state.edge) - edgeBefore);
    const keptNow = state.kept - keptBefore;
    state.recent = keptNow >= 4 && covered > 0 ? keptNow / covered : keptNow === 0 ? 0 : state.recent;
  };

  const readPerKept = (s: StreamState) => (s.kept > 0 ? s.scanned / s.kept : s.scanned > 0 ? 4 : 1);
  const live = () => states.filter((s) => !s.exhausted);
  const buffered = () => states.reduce((n, s) => n + s.buffer.length, 0);

  /** The next item in merge order, if one is buffered. */
  const best = () => {
    let found: StreamState | undefined;
    for (const s of states) {
      const head = s.buffer[0];
      if (head && (!found || before(head.ts, found.buffer[0]!.ts))) found = s;
    }
    return found;
  };
  /** No stream can still hold an item before this one. */
  const safe = (ts: string) => states.every((s) => s.exhausted || !before(s.edge, ts));

  /**
   * Where the next slice should end, and how many items it may still add to the page. Items
   * buffered past the least-advanced stream's edge (the frontier) are not yet known to be in the
   * page: a stream behind may still hold earlier ones. So the page still needs `rem` items past
   * the frontier; the slice ends where, at the rate seen so far, they should be found, and never
   * past the `rem`-th item already buffered there (the page cannot end later than that).
   */
  const sliceBound = (): { bound: string; rem: number; expected: Map<StreamState, number> } => {
    const open = live();
    const frontier = open.reduce((f, s) => (before(s.edge, f) ? s.edge : f), open[0]!.edge);
    const frontierMs = msOf(frontier);
    const beyond = states
      .flatMap((s) => s.buffer)
      .filter((item) => before(frontier, item.ts))
      .sort((a, b) => (before(a.ts, b.ts) ? -1 : 1));
    const rem = target - items.length - (buffered() - beyond.length);
    let kept = 0;
    let exposure = 0;
    for (const s of states) {
      if (!s.read) continue;
      kept += s.kept;
      exposure += Math.abs(startMs - msOf(s.exhausted ? windowEnd : s.edge));
    }
    const span = Math.abs(startMs - msOf(windowEnd));
    // The previous page's spacing stands in for a rate until this page has seen its own.
    const hinted = kept === 0 && spacing !== undefined;
    let distance: number;
    let ahead: Array<{ state: StreamState; from: number; rate: number }> = [];
    if (hinted || (kept > 0 && exposure > 0)) {
      // Matches per millisecond of one stream: pooled over all streams (or the previous page's
      // spacing), then moved by the stream's own count as far as its evidence goes (PRIOR
      // pseudo-items at the pooled rate), so one busy stream among quiet ones is read at its own
      // pace and three items seen in an hour are not; or its last read's pace, if higher.
      const pooled = hinted ? 1 / (spacing * states.length) : kept / exposure;
      ahead = open.map((s) => {
        const seen = Math.abs(startMs - msOf(s.edge));
        const rate = Math.max((s.kept + PRIOR) / (seen + PRIOR / pooled), s.recent);
        return { state: s, from: Math.abs(frontierMs - msOf(s.edge)), rate };
      });
      const offsets = beyond.map((item) => Math.abs(msOf(item.ts) - frontierMs));
      // Items expected within d of the frontier: those buffered, and what each open stream
      // should hold between its edge and d. The page should end where that reaches `rem`.
      const within = (d: number) =>
        offsets.filter((o) => o <= d).length +
        ahead.reduce((n, a) => n + a.rate * Math.max(0, d - a.from), 0);
      let lo = 0;
      let hi = Math.max(1, span);
      if (within(hi) < rem) lo = hi;
      else
        while (hi - lo > 1000) {
          const mid = (lo + hi) / 2;
          if (within(mid) >= rem) hi = mid;
          else lo = mid;
        }
      distance = hi;
      // A slice that found nothing says the rate seen so far is too high here: grow fourfold.
      if (emptySlice) distance = Math.max(distance, lastDistance * 4);
    } else {
      // Nothing matched yet: slices grow threefold (an empty slice reads nothing).
      distance = Math.max(Math.abs(startMs - frontierMs) * 3, span / FIRST_SLICE);
    }
    lastDistance = distance;
    // What each stream should add within the slice: its read may take twice that, and two more.
    const expected = new Map(ahead.map((a) => [a.state, a.rate * Math.max(0, distance - a.from)]));
    let targetMs = desc ? frontierMs - distance : frontierMs + distance;
    const cap = beyond[rem - 1];
    if (cap) {
      const capMs = msOf(cap.ts) + (desc ? 0 : 1);
      targetMs = desc ? Math.max(targetMs, capMs) : Math.min(targetMs, capMs);
    }
    // Always past the frontier, never past the window.
    targetMs = desc ? Math.min(targetMs, frontierMs - 1) : Math.max(targetMs, frontierMs + 1);
    const endMs = msOf(windowEnd);
    if (desc ? targetMs <= endMs : targetMs >= endMs) return { bound: windowEnd, rem, expected };
    return { bound: isoOf(Math.floor(targetMs)), rem, expected };
  };

  let lastDistance = 0;
  let emptySlice = false;
  let probed = false;
  const target = q.limit + 1;
  const items: Item[] = [];
  /** Whether a round of `calls` reads still fits the budget (the first round always does). */
  const affords = (calls: number) =>
    queries === 0 || (scanned < budget.items && queries + calls <= budget.queries);
  /** A stream's share of what the budget has left, when `calls` streams read at once. */
  const shareLeft = (calls: number) => Math.max(1, Math.floor((budget.items - scanned) / calls));
  let outOfBudget = false;
  while (items.length < target) {
    const next = best();
    if (next && safe(next.buffer[0]!.ts)) {
      items.push(next.buffer.shift()!);
      continue;
    }
    const open = live();
    if (open.length === 0) break;
    const known = items.length + buffered();
    const need = target - known;
    if (states.length === 1) {
      // One stream: read what the page needs; a rare match doubles the page per empty read.
      const s = open[0]!;
      if (!affords(1)) {
        outOfBudget = true;
        break;
      }
      await read(s, Math.min(Math.max(1, need) * 2 ** s.dry * readPerKept(s), shareLeft(1)));
    } else {
      if (!probed && (emptySlice || (spacing === undefined && !states.some((s) => s.read)))) {
        // A probe: each stream reads half its even share of the page, unbounded (a rare stream's
        // share lies far past the page: two actions, one of them rare). A Query costs at least
        // half a read unit however little it returns, so slices grown from a guess (rounds of
        // calls that find nothing) cost more than the few items a probe reads past the page, and
        // after one round every stream's rate is known. A page that starts from the previous
        // page's spacing probes only once a slice finds nothing (the pace changed: a burst ended).
        const share = Math.ceil(target / (2 * open.length));
        if (!affords(open.length)) {
          outOfBudget = true;
          break;
        }
        probed = true;
        await Promise.all(open.map((s) => read(s, Math.min(share, shareLeft(open.length)))));
        continue;
      }
      const { bound, rem, expected } = sliceBound();
      const behind = open.filter((s) => before(s.edge, bound));
      if (behind.length === 0) {
        // Only when every open stream already stands at the window's end (an empty window):
        // otherwise the bound lies past the least-advanced stream's edge.
        for (const s of open) s.exhausted = true;
        continue;
      }
      // A rate seen on this page sizes each read; a rate carried from the previous page lets each
      // stream read up to four even shares (the density may have changed); with no rate at all a
      // slice may be dense, and each stream takes at most an even share.
      const rateKnown = states.some((x) => x.kept > 0);
      const limitFor = (s: StreamState) => {
        if (!rateKnown) return spacing !== undefined ? (4 * rem) / open.length + 1 : rem / open.length;
        const e = expected.get(s);
        return Math.min(rem, e === undefined ? rem : 2 * e + 2) * readPerKept(s);
      };
      if (!affords(behind.length)) {
        outOfBudget = true;
        break;
      }
      const keptBefore = states.reduce((n, s) => n + s.kept, 0);
      const left = shareLeft(behind.length);
      await Promise.all(behind.map((s) => read(s, Math.min(limitFor(s), left), bound)));
      emptySlice = states.reduce((n, s) => n + s.kept, 0) === keptBefore;
    }
  }

  const hasMore = items.length === target;
  if (hasMore) items.pop();
  const last = items[items.length - 1];
  recordQueryCost(scanned, items.length);
  let nextPosition: string | null = null;
  if (hasMore && last) {
    // Several streams: the page's spacing (ms per item) rides along, so the next page can place
    // its first slice instead of probing every stream again.
    // Measured over the page's second half: a page that began with quiet months and ended in a
    // burst should hand on the burst's pace.
    const mid = items[Math.floor(items.length / 2)]!;
    const tail = items.length - Math.floor(items.length / 2);
    const perItem = Math.ceil(Math.abs(msOf(mid.ts) - msOf(last.ts)) / Math.max(1, tail - 1));
    nextPosition = states.length > 1 && perItem > 0 ? `${last.ts}${HINT}${perItem}` : last.ts;
  } else if (outOfBudget) {
    // Every buffered item before the frontier was safe and is in the page; what is buffered past
    // it is read again by the next call, which starts there.
    const open = live();
    nextPosition = open.reduce((f, s) => (before(s.edge, f) ? s.edge : f), open[0]!.edge);
  }
  return { items, nextPosition, scanned, queries };
}

/**
 * A position is `occurredAt#id`, optionally followed by `~` and the spacing of the page that
 * ended there (ms per item; ids never contain `~`). Positions travel inside MAC-protected
 * cursors, and a spacing only steers how much is read, never what is returned.
 */
const HINT = '~';
function parsePosition(raw: string | undefined): {
  position: string | undefined;
  spacing: number | undefined;
} {
  if (raw === undefined) return { position: undefined, spacing: undefined };
  const at = raw.indexOf(HINT);
  if (at < 0) return { position: raw, spacing: undefined };
  const spacing = Number(raw.slice(at + 1));
  return {
    position: raw.slice(0, at),
    spacing: Number.isFinite(spacing) && spacing > 0 ? spacing : undefined,
  };
}

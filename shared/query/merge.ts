import { type DynamoDBDocumentClient, QueryCommand, type QueryCommandOutput } from '@aws-sdk/lib-dynamodb';
import { TTL_ATTRIBUTE } from '../adapters/dynamodb/tables.ts';
import { recordQueryCost } from '../observability.ts';
import { ExpressionBuilder } from './expression.ts';

/**
 * A k-way merge of time-ordered index queries behind one position.
 *
 * Every stream is one Query on one partition of a GSI whose sort key is `ts` = `occurredAt#id`
 * (one per filter value, per shard). Each stream resumes strictly after the last position
 * returned (via ExclusiveStartKey), so the cursor needs nothing but that position.
 *
 * How much to read is the whole cost question (items read per item returned). One stream reads
 * what the page still needs. Several streams are read in time slices: every open stream is read
 * down to the same point in time (a key-condition bound, so a stream with nothing in the slice
 * costs no item at all). The first slice is a small part of the window and empty ones grow
 * fourfold; once matches are seen, the rate at which they arrive places the next bound a little
 * short of the page's end, refining until the page (plus one item, to know whether more follow)
 * is complete. Items are emitted only once no stream can still hold an earlier one. Reading every
 * stream's next item instead would cost one unreturned item per stream per page.
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
  /** Position (`ts`) of the last item already returned. */
  after?: string;
  /** Server-side conditions on each stream (the TTL condition is always added). */
  filter?: (expr: ExpressionBuilder) => void;
  /** In-memory conditions DynamoDB cannot express (CIDR membership, directory lookups). */
  accept?: (item: Item) => boolean;
  /** Base-table key of an item at a position, so a stream can resume after it. */
  baseKeyOf: (position: string) => Record<string, string>;
  nowEpochSeconds: number;
}

export interface MergeResult {
  items: Item[];
  /** Position of the last item when more may follow, else null. */
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
}

const MAX_PAGE = 500;
/** The first slice is this fraction of the window; empty slices grow fourfold. */
const FIRST_SLICE = 512;

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
  const start = q.after ?? (desc ? q.to : q.from);
  const startMs = msOf(start);
  const states: StreamState[] = q.streams.map((stream) => ({
    stream,
    buffer: [],
    edge: start,
    startKey: q.after
      ? { ...q.baseKeyOf(q.after), [stream.partitionKeyName]: stream.partitionKeyValue, ts: q.after }
      : undefined,
    exhausted: false,
    read: false,
    scanned: 0,
    kept: 0,
    dry: 0,
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
        Limit: Math.min(MAX_PAGE, Math.max(1, Math.ceil(limit))),
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

  /** Where the next slice should end: where the page should, at the rate seen so far. */
  const sliceBound = (need: number, remaining: number): string => {
    const open = live();
    // The least-advanced stream's edge: every stream is known at least this far.
    const frontier = open.reduce((f, s) => (before(s.edge, f) ? s.edge : f), open[0]!.edge);
    const frontierMs = msOf(frontier);
    let targetMs: number;
    if (need <= 0) {
      // Enough items are buffered: read the others only as far as the last one the page takes.
      const all = states.flatMap((s) => s.buffer).sort((a, b) => (before(a.ts, b.ts) ? -1 : 1));
      const last = all[Math.min(all.length, remaining) - 1]!;
      targetMs = msOf(last.ts) + (desc ? 0 : 1);
    } else {
      let kept = 0;
      let exposure = 0;
      let perStream = 0;
      for (const s of states) {
        if (!s.read) continue;
        const seen = Math.abs(startMs - msOf(s.exhausted ? windowEnd : s.edge));
        kept += s.kept;
        exposure += seen;
        if (seen > 0) perStream += s.kept / seen;
      }
      const span = Math.abs(startMs - msOf(windowEnd));
      let distance: number;
      if (kept > 0 && exposure > 0) {
        // Matches per millisecond over all streams: pooled, at the top of its Poisson range (a rate
        // seen from a few items is often far too low, and a slice placed by it would overshoot
        // the page by as much), or the sum of each stream's own rate when one busy stream among
        // quiet ones makes that higher.
        const rate = Math.max(((kept + 2 * Math.sqrt(kept) + 2) / exposure) * states.length, perStream);
        // Where the page should end, from the start; when every stream is known past that
        // already, the rest of the need from the least-advanced stream's edge.
        const toPageEnd = (q.limit + 1) / rate - Math.abs(startMs - frontierMs);
        distance = toPageEnd > 0 ? toPageEnd : (0.9 * need) / rate;
        // A slice that found nothing says the rate seen so far is too high here: grow fourfold.
        if (emptySlice) distance = Math.max(distance, lastDistance * 4);
      } else {
        // Nothing matched yet: slices grow fourfold (an empty slice reads nothing).
        distance = Math.max(Math.abs(startMs - frontierMs) * 3, span / FIRST_SLICE);
      }
      lastDistance = distance;
      targetMs = desc ? frontierMs - distance : frontierMs + distance;
    }
    // Always past the frontier, never past the window.
    targetMs = desc ? Math.min(targetMs, frontierMs - 1) : Math.max(targetMs, frontierMs + 1);
    const endMs = msOf(windowEnd);
    if (desc ? targetMs <= endMs : targetMs >= endMs) return windowEnd;
    return isoOf(Math.floor(targetMs));
  };

  let lastDistance = 0;
  let emptySlice = false;
  const target = q.limit + 1;
  const items: Item[] = [];
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
      await read(s, Math.max(1, need) * 2 ** s.dry * readPerKept(s));
    } else {
      const bound = sliceBound(need, target - items.length);
      const behind = open.filter((s) => before(s.edge, bound));
      if (behind.length === 0) {
        // Only when every open stream already stands at the window's end (an empty window):
        // otherwise the bound lies past the least-advanced stream's edge.
        for (const s of open) s.exhausted = true;
        continue;
      }
      // Until a rate is known a slice may be dense: each stream takes at most an even share.
      const want = need > 0 ? need : target - items.length;
      const rateKnown = states.some((x) => x.kept > 0);
      const limitFor = (s: StreamState) => (rateKnown ? want * readPerKept(s) : want / open.length);
      const keptBefore = states.reduce((n, s) => n + s.kept, 0);
      await Promise.all(behind.map((s) => read(s, limitFor(s), bound)));
      emptySlice = states.reduce((n, s) => n + s.kept, 0) === keptBefore;
    }
  }

  const hasMore = items.length === target;
  if (hasMore) items.pop();
  const last = items[items.length - 1];
  recordQueryCost(scanned, items.length);
  return { items, nextPosition: hasMore && last ? last.ts : null, scanned, queries };
}

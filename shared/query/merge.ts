import { type DynamoDBDocumentClient, QueryCommand, type QueryCommandOutput } from '@aws-sdk/lib-dynamodb';
import { TTL_ATTRIBUTE } from '../adapters/dynamodb/tables.ts';
import { recordQueryCost } from '../observability.ts';
import { ExpressionBuilder } from './expression.ts';

/**
 * A k-way merge of time-ordered index queries behind one position.
 *
 * Every stream is one Query on one partition of a GSI whose sort key is `ts` = `occurredAt#id`
 * (one per filter value, per shard). Each stream resumes strictly after the last position
 * returned (via ExclusiveStartKey), so the cursor needs nothing but that position. Page sizes
 * start at the share of the page each stream is likely to contribute and grow when a stream
 * keeps winning, so items read stay close to items returned.
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
  buffer: Item[];
  startKey: Record<string, unknown> | undefined;
  exhausted: boolean;
  /** Items this stream read and kept so far: their ratio predicts the next page's yield. */
  scanned: number;
  kept: number;
  refills: number;
  /** Consecutive reads that kept nothing. */
  dry: number;
  /** The share (before the read-per-kept scaling) of the last read. */
  lastShare: number;
}

const MAX_PAGE = 500;

export async function mergeQuery(client: DynamoDBDocumentClient, q: MergeQuery): Promise<MergeResult> {
  const desc = q.order === 'desc';
  const states: StreamState[] = q.streams.map((stream) => ({
    stream,
    buffer: [],
    startKey: q.after
      ? { ...q.baseKeyOf(q.after), [stream.partitionKeyName]: stream.partitionKeyValue, ts: q.after }
      : undefined,
    exhausted: false,
    scanned: 0,
    kept: 0,
    refills: 0,
    dry: 0,
    lastShare: 0,
  }));
  let scanned = 0;
  let queries = 0;

  const fill = async (state: StreamState, need: number) => {
    const expr = new ExpressionBuilder();
    expr.add(`${expr.path(TTL_ATTRIBUTE)} > ${expr.value(q.nowEpochSeconds)}`);
    q.filter?.(expr);
    const keyExpr = new ExpressionBuilder('k');
    const keyCondition = `${keyExpr.path(state.stream.partitionKeyName)} = ${keyExpr.value(
      state.stream.partitionKeyValue,
    )} AND ${keyExpr.path('ts')} BETWEEN ${keyExpr.value(q.from)} AND ${keyExpr.value(q.to)}`;
    const out: QueryCommandOutput = await client.send(
      new QueryCommand({
        TableName: q.tableName,
        IndexName: state.stream.indexName,
        KeyConditionExpression: keyCondition,
        FilterExpression: expr.expression,
        ExpressionAttributeNames: { ...expr.names, ...keyExpr.names },
        ExpressionAttributeValues: { ...expr.values, ...keyExpr.values },
        ScanIndexForward: !desc,
        Limit: Math.min(MAX_PAGE, Math.max(need, 1)),
        ExclusiveStartKey: state.startKey,
      }),
    );
    queries++;
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
    state.startKey = out.LastEvaluatedKey;
    state.exhausted = !out.LastEvaluatedKey;
  };

  /**
   * How much a stream should read next: its expected share of what the page still needs (plus
   * one item to learn whether more follow), scaled by how many items it has had to read per
   * item kept (filters and in-memory conditions drop some).
   * - One live stream: the whole need. Pages grow only while reads keep nothing (a rare match),
   *   doubling per empty read, so a filtered walk does not overshoot once it knows its yield.
   * - Several: the share this stream has won of the items taken so far, smoothed towards an
   *   even split (half a stream's fair share before anything was taken), so a stream that keeps
   *   winning reads more and the others stay at a head or two. Each refill at least doubles the
   *   last one (few round trips for a dominant stream), never past the remaining need.
   */
  const nextPageSize = (s: StreamState, items: number) => {
    const need = q.limit - items + 1;
    const live = Math.max(1, states.filter((x) => !x.exhausted).length);
    const readPerKept = s.kept > 0 ? s.scanned / s.kept : s.scanned > 0 ? 4 : 1;
    let share: number;
    if (live === 1) share = need * 2 ** s.dry;
    else {
      const won = s.kept - s.buffer.length;
      const expected = Math.ceil((need * (won + 0.5)) / (items + live));
      share = Math.max(expected, s.lastShare, 1);
    }
    s.lastShare = Math.min(share, need);
    return Math.max(1, Math.min(MAX_PAGE, Math.ceil(Math.min(share, need) * readPerKept)));
  };

  /** Make sure every live stream has a head to compare, reading as little as possible. */
  const ensureHeads = async (itemsSoFar: number) => {
    const pending = states.filter((s) => s.buffer.length === 0 && !s.exhausted);
    while (pending.length > 0) {
      await Promise.all(
        pending.map(async (s) => {
          await fill(s, nextPageSize(s, itemsSoFar));
          s.refills++;
        }),
      );
      for (let i = pending.length - 1; i >= 0; i--) {
        const s = pending[i]!;
        if (s.buffer.length > 0 || s.exhausted) pending.splice(i, 1);
      }
    }
  };

  const items: Item[] = [];
  while (items.length < q.limit) {
    await ensureHeads(items.length);
    let best: StreamState | undefined;
    for (const s of states) {
      const head = s.buffer[0];
      if (!head) continue;
      const bestHead = best?.buffer[0];
      if (!bestHead || (desc ? head.ts > bestHead.ts : head.ts < bestHead.ts)) best = s;
    }
    if (!best) break;
    items.push(best.buffer.shift()!);
  }

  let hasMore = false;
  if (items.length === q.limit) {
    await ensureHeads(items.length);
    hasMore = states.some((s) => s.buffer.length > 0);
  }
  const last = items[items.length - 1];
  recordQueryCost(scanned, items.length);
  return { items, nextPosition: hasMore && last ? last.ts : null, scanned, queries };
}

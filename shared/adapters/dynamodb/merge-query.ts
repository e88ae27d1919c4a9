import { type DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { isVisible, type Visibility } from '../../domain/trust/visibility.ts';
import { recordQueryCost } from '../../observability.ts';
import { READ_BUDGET, type ReadBudget } from '../../query/budget.ts';
import { ExpressionBuilder } from '../../query/expression.ts';
import {
  applyRound,
  finishMerge,
  nextRound,
  type ReadRequest,
  type ReadResult,
  startMerge,
} from '../../query/merge-planner.ts';
import { TTL_ATTRIBUTE } from './tables.ts';

// The k-way merge of time-ordered index queries behind one position, against DynamoDB: the
// I/O loop around the slice planner (shared/query/merge-planner.ts), which decides every read
// and where the read budget (shared/query/budget.ts) stops a call. Each read is one Query on one
// partition of a GSI sorted by `ts` = `occurredAt#id` (one per filter value, per shard), bounded
// by the planner's key-condition range and resuming after the stream's LastEvaluatedKey, so the
// cursor needs nothing but the last position returned (shared/query/position.ts).

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
  /**
   * The tenant's retention and legal holds (shared/domain/trust/visibility.ts). Without holds the
   * window starts at the retention start and an entry without a stored expiry (released, its
   * expiry not restored yet) passes the TTL condition; with holds nothing is cut server-side and
   * each item is checked in memory (holds are rare). Absent: only the TTL condition applies.
   */
  visibility?: { rule: Visibility; persons: (item: Item) => readonly (string | undefined)[] };
  /** What this call may read; READ_BUDGET unless given. */
  budget?: ReadBudget;
}

export interface MergeResult {
  items: Item[];
  /**
   * Position of the last item when more may follow (with the page's spacing, see
   * shared/query/position.ts), else null. When the budget ran out first: the frontier, a position
   * or a bare timestamp.
   */
  nextPosition: string | null;
  /** Items DynamoDB read (sum of ScannedCount): the cost figure. */
  scanned: number;
  queries: number;
}

type Key = Record<string, unknown>;

export async function mergeQuery(client: DynamoDBDocumentClient, query0: MergeQuery): Promise<MergeResult> {
  const q = withVisibility(query0);
  if (q.from > q.to) return { items: [], nextPosition: null, scanned: 0, queries: 0 };
  const merge = startMerge<Item, Key>({
    streams: q.streams.length,
    from: q.from,
    to: q.to,
    order: q.order,
    limit: q.limit,
    after: q.after,
    budget: q.budget ?? READ_BUDGET,
    resumeKey: (i, position) => {
      const stream = q.streams[i]!;
      return { ...q.baseKeyOf(position), [stream.partitionKeyName]: stream.partitionKeyValue, ts: position };
    },
  });
  for (let round = nextRound(merge); round; round = nextRound(merge)) {
    const results = await Promise.all(round.reads.map((read) => query(client, q, read)));
    applyRound(merge, round, results);
  }
  const { items, nextPosition } = finishMerge(merge);
  recordQueryCost(merge.scanned, items.length);
  return { items, nextPosition, scanned: merge.scanned, queries: merge.queries };
}

/** One planned read: a Query on the stream's partition, `ts` within the read's range. */
async function query(
  client: DynamoDBDocumentClient,
  q: MergeQuery,
  read: ReadRequest<Key>,
): Promise<ReadResult<Item, Key>> {
  const stream = q.streams[read.stream]!;
  const expr = new ExpressionBuilder();
  const held = q.visibility && heldAny(q.visibility.rule);
  if (!q.visibility) expr.add(`${expr.path(TTL_ATTRIBUTE)} >= ${expr.value(q.nowEpochSeconds)}`);
  else if (!held) {
    const ttl = expr.path(TTL_ATTRIBUTE);
    expr.add(`attribute_not_exists(${ttl}) OR ${ttl} >= ${expr.value(q.visibility.rule.nowEpochSeconds)}`);
  }
  q.filter?.(expr);
  const keyExpr = new ExpressionBuilder('k');
  const keyCondition = `${keyExpr.path(stream.partitionKeyName)} = ${keyExpr.value(
    stream.partitionKeyValue,
  )} AND ${keyExpr.path('ts')} BETWEEN ${keyExpr.value(read.lo)} AND ${keyExpr.value(read.hi)}`;
  const out = await client.send(
    new QueryCommand({
      TableName: q.tableName,
      IndexName: stream.indexName,
      KeyConditionExpression: keyCondition,
      FilterExpression: expr.expression,
      ExpressionAttributeNames: { ...expr.names, ...keyExpr.names },
      ExpressionAttributeValues: { ...expr.values, ...keyExpr.values },
      ScanIndexForward: q.order !== 'desc',
      Limit: read.limit,
      ExclusiveStartKey: read.startKey,
    }),
  );
  const kept: Item[] = [];
  for (const raw of out.Items ?? []) {
    const item = raw as Item;
    if (!q.accept || q.accept(item)) kept.push(item);
  }
  const last = out.LastEvaluatedKey;
  return {
    kept,
    scanned: out.ScannedCount ?? 0,
    last: last ? { key: last, ts: String(last.ts) } : undefined,
  };
}

function heldAny(rule: Visibility): boolean {
  return rule.coverage.all || rule.coverage.persons.size > 0;
}

/** The window cut at the retention start (no holds), or the in-memory rule added (holds). */
function withVisibility(q: MergeQuery): MergeQuery {
  const v = q.visibility;
  if (!v) return q;
  if (!heldAny(v.rule)) {
    return v.rule.retentionStart > q.from ? { ...q, from: v.rule.retentionStart } : q;
  }
  const accept = q.accept;
  return {
    ...q,
    accept: (item) => {
      const ttl = item[TTL_ATTRIBUTE];
      const occurredAt = item.ts.slice(0, item.ts.indexOf('#'));
      if (!isVisible(v.rule, occurredAt, typeof ttl === 'number' ? ttl : undefined, v.persons(item)))
        return false;
      return accept ? accept(item) : true;
    },
  };
}

import {
  BatchGetCommand,
  type BatchGetCommandOutput,
  type DynamoDBDocumentClient,
  paginateQuery,
  type QueryCommandInput,
} from '@aws-sdk/lib-dynamodb';
import { ThrottledError } from '../../domain/errors.ts';

// The one way a store reads every page of a Query: the SDK's `paginateQuery`, which follows
// LastEvaluatedKey. The k-way merge (merge-query.ts) alone pages by hand: it spends one query
// budget across many streams. Items by key: `batchGetAll`, BatchGetItem with its unprocessed keys
// retried.

/** The items of a Query, page after page, read only as far as the caller iterates. */
export async function* queryItems(
  client: DynamoDBDocumentClient,
  input: QueryCommandInput,
  pageSize?: number,
): AsyncGenerator<Record<string, unknown>> {
  for await (const page of paginateQuery({ client, pageSize }, { ...input })) {
    yield* page.Items ?? [];
  }
}

/** Every item a Query answers, or its first `max` (reading stops at the page that reaches it). */
export async function queryAll(
  client: DynamoDBDocumentClient,
  input: QueryCommandInput,
  options: { pageSize?: number; max?: number } = {},
): Promise<Record<string, unknown>[]> {
  const out: Record<string, unknown>[] = [];
  const max = options.max ?? Number.POSITIVE_INFINITY;
  if (max <= 0) return out;
  for await (const item of queryItems(client, input, options.pageSize)) {
    out.push(item);
    if (out.length >= max) break;
  }
  return out;
}

/** The most keys one BatchGetItem takes. */
export const BATCH_GET_MAX = 100;
/** Retries of a batch's unprocessed keys (backoff from 100 ms, at most 1 s) before giving up. */
const UNPROCESSED_RETRIES = 8;

/**
 * Every item of `keys` in one table, BATCH_GET_MAX keys a call, each handed to `onItem` as it
 * arrives (in no particular order; a missing key is simply not handed). Unprocessed keys are
 * asked again with backoff; still unprocessed after UNPROCESSED_RETRIES, the read fails as a
 * ThrottledError (429) saying `busy`. Any SDK error is thrown as it is, for the store's mapper.
 */
export async function batchGetAll(
  client: DynamoDBDocumentClient,
  tableName: string,
  keys: readonly Record<string, unknown>[],
  options: {
    busy: string;
    consistentRead?: boolean;
    projection?: { expression: string; names: Record<string, string> };
  },
  onItem: (item: Record<string, unknown>) => void,
): Promise<void> {
  for (let start = 0; start < keys.length; start += BATCH_GET_MAX) {
    let pending: Record<string, unknown>[] | undefined = keys.slice(start, start + BATCH_GET_MAX);
    for (let attempt = 0; pending && pending.length > 0; attempt++) {
      if (attempt > 0) await new Promise((r) => setTimeout(r, Math.min(1000, 50 * 2 ** attempt)));
      if (attempt > UNPROCESSED_RETRIES) throw new ThrottledError(options.busy);
      const out: BatchGetCommandOutput = await client.send(
        new BatchGetCommand({
          RequestItems: {
            [tableName]: {
              Keys: pending,
              ...(options.consistentRead ? { ConsistentRead: true } : {}),
              ...(options.projection
                ? {
                    ProjectionExpression: options.projection.expression,
                    ExpressionAttributeNames: options.projection.names,
                  }
                : {}),
            },
          },
        }),
      );
      for (const item of out.Responses?.[tableName] ?? []) onItem(item);
      pending = out.UnprocessedKeys?.[tableName]?.Keys;
    }
  }
}

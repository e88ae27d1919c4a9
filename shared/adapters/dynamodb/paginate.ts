import { type DynamoDBDocumentClient, paginateQuery, type QueryCommandInput } from '@aws-sdk/lib-dynamodb';

// The one way a store reads every page of a Query: the SDK's `paginateQuery`, which follows
// LastEvaluatedKey. The k-way merge (merge-query.ts) alone pages by hand: it spends one query
// budget across many streams.

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

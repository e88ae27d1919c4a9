import { QueryCommand, type QueryCommandOutput } from '@aws-sdk/lib-dynamodb';
import { dynamoDocumentClient } from '../../shared/adapters/dynamodb/client.ts';
import { loadConfig } from '../../shared/config.ts';

/**
 * The exports section's baseline: plain Query paging of one time-index partition, newest first,
 * nothing done with the items but counting them. bench/exports.ts bundles this module with
 * esbuild, as it bundles the worker, and runs it in a fresh `node` process with the worker's
 * environment, so both sides pay the same process start, SDK client (the service's own
 * `dynamoDocumentClient`) and HTTP costs. Pages hold at most `pageSize` items: the export's
 * reads ask DynamoDB for 500 at a time.
 */
export interface RawQuery {
  tableName: string;
  indexName: string;
  partition: string;
  from: string;
  to: string;
  pageSize: number;
}

export async function pageAll(q: RawQuery): Promise<{ status: string; rowCount: number; pages: number }> {
  const client = dynamoDocumentClient(loadConfig());
  let rowCount = 0;
  let pages = 0;
  let startKey: Record<string, unknown> | undefined;
  do {
    const out: QueryCommandOutput = await client.send(
      new QueryCommand({
        TableName: q.tableName,
        IndexName: q.indexName,
        KeyConditionExpression: 'tp = :p AND ts BETWEEN :f AND :t',
        ExpressionAttributeValues: { ':p': q.partition, ':f': q.from, ':t': q.to },
        ScanIndexForward: false,
        Limit: q.pageSize,
        ExclusiveStartKey: startKey,
      }),
    );
    rowCount += out.Items?.length ?? 0;
    pages++;
    startKey = out.LastEvaluatedKey;
  } while (startKey);
  client.destroy();
  return { status: 'succeeded', rowCount, pages };
}

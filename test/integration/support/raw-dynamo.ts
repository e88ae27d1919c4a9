import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { inject } from 'vitest';
import { LOCAL_CREDENTIALS } from '../../../shared/adapters/local-credentials.ts';

/** DynamoDB Local read directly (no gateway, no fault proxy): what is really stored. */
export function rawDynamo(options: { removeUndefinedValues?: boolean } = {}): DynamoDBDocumentClient {
  return DynamoDBDocumentClient.from(
    new DynamoDBClient({
      region: 'eu-west-1',
      endpoint: inject('dynamoEndpoint'),
      credentials: LOCAL_CREDENTIALS,
    }),
    { marshallOptions: { removeUndefinedValues: options.removeUndefinedValues ?? false } },
  );
}

/** Every item of a table, optionally only those whose `pk` starts with a prefix (parallel scan). */
export async function scanAll(
  client: DynamoDBDocumentClient,
  table: string,
  pkPrefix?: string,
  segments = 4,
): Promise<Record<string, unknown>[]> {
  const parts = await Promise.all(
    Array.from({ length: segments }, async (_, segment) => {
      const out: Record<string, unknown>[] = [];
      let start: Record<string, unknown> | undefined;
      do {
        const page = await client.send(
          new ScanCommand({
            TableName: table,
            Segment: segment,
            TotalSegments: segments,
            ExclusiveStartKey: start,
            ...(pkPrefix
              ? {
                  FilterExpression: 'begins_with(pk, :p)',
                  ExpressionAttributeValues: { ':p': pkPrefix },
                }
              : {}),
          }),
        );
        out.push(...((page.Items ?? []) as Record<string, unknown>[]));
        start = page.LastEvaluatedKey;
      } while (start);
      return out;
    }),
  );
  return parts.flat();
}

export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? 0;
}

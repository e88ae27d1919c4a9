import {
  type AttributeDefinition,
  CreateTableCommand,
  DescribeTableCommand,
  DescribeTimeToLiveCommand,
  DynamoDBClient,
  ResourceInUseException,
  UpdateTableCommand,
  UpdateTimeToLiveCommand,
} from '@aws-sdk/client-dynamodb';
import { CreateBucketCommand, type S3Client } from '@aws-sdk/client-s3';
import { TABLES, type TableDef } from '../shared/adapters/dynamodb/tables.ts';
import { LOCAL_CREDENTIALS } from '../shared/adapters/local-credentials.ts';
import type { Config } from '../shared/config.ts';

/**
 * Creates the tables and the bucket on the emulators, idempotently, from the same definitions
 * the CDK data stack deploys (shared/adapters/dynamodb/tables.ts).
 */
export function tableName(config: Config, def: TableDef): string {
  return config[def.envVar];
}

export async function createTables(config: Config): Promise<void> {
  const client = new DynamoDBClient({
    region: config.AWS_REGION,
    endpoint: config.DYNAMODB_ENDPOINT,
    credentials: LOCAL_CREDENTIALS,
  });
  await Promise.all(TABLES.map((def) => createTable(client, tableName(config, def), def)));
  client.destroy();
}

async function createTable(client: DynamoDBClient, name: string, def: TableDef): Promise<void> {
  const attrs = new Set<string>([def.partitionKey]);
  if (def.sortKey) attrs.add(def.sortKey);
  for (const idx of def.indexes) {
    attrs.add(idx.partitionKey);
    attrs.add(idx.sortKey);
  }
  const definitions: AttributeDefinition[] = [...attrs].map((a) => ({
    AttributeName: a,
    AttributeType: 'S',
  }));
  try {
    await client.send(
      new CreateTableCommand({
        TableName: name,
        BillingMode: 'PAY_PER_REQUEST',
        AttributeDefinitions: definitions,
        KeySchema: [
          { AttributeName: def.partitionKey, KeyType: 'HASH' },
          ...(def.sortKey ? [{ AttributeName: def.sortKey, KeyType: 'RANGE' as const }] : []),
        ],
        GlobalSecondaryIndexes: def.indexes.length
          ? def.indexes.map((idx) => ({
              IndexName: idx.name,
              KeySchema: [
                { AttributeName: idx.partitionKey, KeyType: 'HASH' as const },
                { AttributeName: idx.sortKey, KeyType: 'RANGE' as const },
              ],
              Projection: { ProjectionType: 'INCLUDE' as const, NonKeyAttributes: [...idx.include] },
            }))
          : undefined,
      }),
    );
  } catch (err) {
    if (!(err instanceof ResourceInUseException)) throw err;
    await addMissingIndexes(client, name, def);
  }
  if (def.ttlAttribute) {
    const ttl = await client.send(new DescribeTimeToLiveCommand({ TableName: name }));
    if (ttl.TimeToLiveDescription?.TimeToLiveStatus !== 'ENABLED') {
      await client.send(
        new UpdateTimeToLiveCommand({
          TableName: name,
          TimeToLiveSpecification: { AttributeName: def.ttlAttribute, Enabled: true },
        }),
      );
    }
  }
}

/**
 * A table kept in DATA_DIR from an older checkout gets the indexes added since (one per update,
 * as DynamoDB requires). Items written before carry no keys for them: delete DATA_DIR to reseed.
 */
async function addMissingIndexes(client: DynamoDBClient, name: string, def: TableDef): Promise<void> {
  const table = await client.send(new DescribeTableCommand({ TableName: name }));
  const existing = new Set((table.Table?.GlobalSecondaryIndexes ?? []).map((i) => i.IndexName));
  for (const idx of def.indexes) {
    if (existing.has(idx.name)) continue;
    await client.send(
      new UpdateTableCommand({
        TableName: name,
        AttributeDefinitions: [idx.partitionKey, idx.sortKey].map((a) => ({
          AttributeName: a,
          AttributeType: 'S',
        })),
        GlobalSecondaryIndexUpdates: [
          {
            Create: {
              IndexName: idx.name,
              KeySchema: [
                { AttributeName: idx.partitionKey, KeyType: 'HASH' },
                { AttributeName: idx.sortKey, KeyType: 'RANGE' },
              ],
              Projection: { ProjectionType: 'INCLUDE', NonKeyAttributes: [...idx.include] },
            },
          },
        ],
      }),
    );
    for (let i = 0; i < 300; i++) {
      const now = await client.send(new DescribeTableCommand({ TableName: name }));
      const status = now.Table?.GlobalSecondaryIndexes?.find((g) => g.IndexName === idx.name)?.IndexStatus;
      if (status === 'ACTIVE') break;
      await new Promise((r) => setTimeout(r, 200));
    }
  }
}

export async function createBucket(config: Config, s3: S3Client): Promise<void> {
  try {
    await s3.send(new CreateBucketCommand({ Bucket: config.EXPORTS_BUCKET }));
  } catch (err) {
    const name = (err as { name?: string }).name;
    if (name !== 'BucketAlreadyOwnedByYou' && name !== 'BucketAlreadyExists') throw err;
  }
}

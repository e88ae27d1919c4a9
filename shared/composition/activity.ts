import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { DynamoActivityStore } from '../adapters/dynamodb/activity-store.ts';
import { dynamoDocumentClient } from '../adapters/dynamodb/client.ts';
import { type Config, shardResolver } from '../config.ts';
import { directoryStoreFromConfig } from './directory.ts';

/**
 * The composition root of the activity log: its store (and, for the queries, the directory),
 * built once per cold start by handlers and workers. Each builder reads only the settings its
 * adapter needs, so a function that uses one store is not handed (or granted) the other's table.
 */
export function activityStoreFromConfig(
  config: Config,
  client: DynamoDBDocumentClient = dynamoDocumentClient(config),
): DynamoActivityStore {
  return new DynamoActivityStore(client, {
    tableName: config.ACTIVITY_TABLE,
    shardsFor: shardResolver(config),
  });
}

/** Both, on one client (the activity queries and the local seed). */
export function activityAdapters(config: Config) {
  const client = dynamoDocumentClient(config);
  return {
    client,
    activityStore: activityStoreFromConfig(config, client),
    directory: directoryStoreFromConfig(config, client),
  };
}

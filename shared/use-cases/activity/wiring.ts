import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { DynamoActivityStore } from '../../adapters/dynamodb/activity-store.ts';
import { dynamoDocumentClient } from '../../adapters/dynamodb/client.ts';
import { DynamoDirectoryStore } from '../../adapters/dynamodb/directory-store.ts';
import { type Config, shardResolver } from '../../config.ts';

/**
 * The real adapters of the activity log and directory, built once per cold start by handlers and
 * workers. Each builder reads only the settings its adapter needs, so a function that uses one
 * store is not handed (or granted) the other's table.
 */
export function activityStoreFromConfig(
  config: Config,
  client: DynamoDBDocumentClient = dynamoDocumentClient(config),
): DynamoActivityStore {
  return new DynamoActivityStore(client, config.ACTIVITY_TABLE, shardResolver(config));
}

export function directoryStoreFromConfig(
  config: Config,
  client: DynamoDBDocumentClient = dynamoDocumentClient(config),
): DynamoDirectoryStore {
  return new DynamoDirectoryStore(client, config.DIRECTORY_TABLE);
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

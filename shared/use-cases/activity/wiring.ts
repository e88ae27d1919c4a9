import { DynamoActivityStore } from '../../adapters/dynamodb/activity-store.ts';
import { dynamoDocumentClient } from '../../adapters/dynamodb/client.ts';
import { DynamoDirectoryStore } from '../../adapters/dynamodb/directory-store.ts';
import { type Config, shardCount } from '../../config.ts';

/** The real adapters of the activity log and directory, built once per cold start by handlers and workers. */
export function activityAdapters(config: Config) {
  const client = dynamoDocumentClient(config);
  return {
    activityStore: new DynamoActivityStore(client, config.ACTIVITY_TABLE, (t) => shardCount(config, t)),
    directory: new DynamoDirectoryStore(client, config.DIRECTORY_TABLE),
  };
}

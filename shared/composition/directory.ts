// The composition root of the directory: its store, built once per cold start by the directory
// handler and by every feature that reads people (activity queries, exports, reports).

import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { dynamoDocumentClient } from '../adapters/dynamodb/client.ts';
import { DynamoDirectoryStore } from '../adapters/dynamodb/directory-store.ts';
import type { Config } from '../config.ts';

export function directoryStoreFromConfig(
  config: Config,
  client: DynamoDBDocumentClient = dynamoDocumentClient(config),
): DynamoDirectoryStore {
  return new DynamoDirectoryStore(client, { tableName: config.DIRECTORY_TABLE });
}

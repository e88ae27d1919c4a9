// The composition root of the directory: its store, built once per cold start by the directory
// handler and by every feature that reads people (activity queries, exports, reports).

import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { dynamoDocumentClient } from '../adapters/dynamodb/client.ts';
import { DynamoDirectoryStore } from '../adapters/dynamodb/directory-store.ts';
import type { Config } from '../config.ts';
import { upsertContent, upsertGroups, upsertTeams, upsertUsers } from '../use-cases/directory/upsert.ts';
import { bindAll } from './bind.ts';

export function directoryStoreFromConfig(
  config: Config,
  client: DynamoDBDocumentClient = dynamoDocumentClient(config),
): DynamoDirectoryStore {
  return new DynamoDirectoryStore(client, { tableName: config.DIRECTORY_TABLE });
}

/** The directory function's use cases (`PUT /v1/directory/*`), bound to the store. */
export function directoryUpsertService(config: Config) {
  const deps = { directory: directoryStoreFromConfig(config) };
  return bindAll(deps, {
    users: upsertUsers,
    teams: upsertTeams,
    groups: upsertGroups,
    content: upsertContent,
  });
}

// The composition root of the activity log: its store (and, for the queries, the directory),
// built once per cold start by handlers and workers. Each builder reads only the settings its
// adapter needs, so a function that uses one store is not handed (or granted) the other's table.

import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { DynamoActivityStore } from '../adapters/dynamodb/activity-store.ts';
import { dynamoDocumentClient } from '../adapters/dynamodb/client.ts';
import { type Config, shardResolver } from '../config.ts';
import { systemClock } from '../domain/time.ts';
import { signingKeyLoader } from '../signing.ts';
import type { IngestActivityDeps } from '../use-cases/activity/ingest.ts';
import type { ActivityQueryDeps } from '../use-cases/activity/query.ts';
import type { DirectoryReadDeps } from '../use-cases/directory/read.ts';
import { personKeysFromConfig } from './audit.ts';
import { directoryStoreFromConfig } from './directory.ts';
import { trustReaderFromConfig } from './trust-reader.ts';

export function activityStoreFromConfig(
  config: Config,
  client: DynamoDBDocumentClient = dynamoDocumentClient(config),
): DynamoActivityStore {
  return new DynamoActivityStore(client, {
    tableName: config.ACTIVITY_TABLE,
    shardsFor: shardResolver(config),
    keys: personKeysFromConfig(config, client),
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

/** `POST /v1/activity-events`: the store, the tenant's retention and holds, the clock. */
export function activityIngestDeps(config: Config): IngestActivityDeps {
  return {
    store: activityStoreFromConfig(config),
    clock: systemClock,
    retentionMonths: config.ACTIVITY_RETENTION_MONTHS,
    trust: trustReaderFromConfig(config),
  };
}

/**
 * The activity queries and the directory's pickers (one function): each resolves the signing
 * key (loaded once, on first use) when a request asks for its deps.
 */
export function activityQueryDeps(config: Config): {
  query: () => Promise<ActivityQueryDeps>;
  pickers: () => Promise<DirectoryReadDeps>;
} {
  const { activityStore, directory, client } = activityAdapters(config);
  const trust = trustReaderFromConfig(config, client);
  const signingKey = signingKeyLoader(config);
  return {
    query: async () => ({
      store: activityStore,
      directory,
      signingKey: await signingKey(),
      clock: systemClock,
      trust,
    }),
    pickers: async () => ({ directory, signingKey: await signingKey() }),
  };
}

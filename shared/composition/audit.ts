import { DynamoAuditStore } from '../adapters/dynamodb/audit-store.ts';
import { dynamoDocumentClient } from '../adapters/dynamodb/client.ts';
import { DynamoPersonKeys } from '../adapters/dynamodb/person-keys.ts';
import { kmsKeyWrapper, localKeyWrapper } from '../adapters/kms/data-keys.ts';
import { type Config, shardResolver } from '../config.ts';
import { systemClock } from '../domain/time.ts';
import { signingKeyLoader } from '../signing.ts';
import { type IngestAuditDeps, ingestAuditEvents } from '../use-cases/audit/ingest.ts';
import {
  assertAuditReader,
  getAuditEvent,
  listAuditEvents,
  type QueryAuditDeps,
} from '../use-cases/audit/query.ts';
import { bindAll } from './bind.ts';
import { trustReaderFromConfig } from './trust-reader.ts';

// The composition root of the audit log: its store, built once per cold start by the audit
// handlers, and by exports and reports, which record their own events through its ingest.

/** Each person's data key: KMS-wrapped in AWS, wrapped by the local master key file elsewhere. */
export function personKeysFromConfig(
  config: Config,
  client = dynamoDocumentClient(config),
): DynamoPersonKeys {
  const wrapper = config.PERSON_KEYS_KMS_KEY_ID
    ? kmsKeyWrapper(config.PERSON_KEYS_KMS_KEY_ID, config.AWS_REGION)
    : localKeyWrapper(config.PERSON_KEYS_FILE ?? '.logbook/person-master.key');
  return new DynamoPersonKeys(client, wrapper, {
    tableName: config.KEYS_TABLE,
    cacheSeconds: config.KEY_CACHE_SECONDS,
  });
}

/** The store as handlers build it, once per cold start. */
export function auditStoreFromConfig(
  config: Config,
  client = dynamoDocumentClient(config),
): DynamoAuditStore {
  return new DynamoAuditStore(client, {
    tableName: config.AUDIT_TABLE,
    shardsFor: shardResolver(config),
    keys: personKeysFromConfig(config, client),
  });
}

/** `POST /v1/audit-events`: the store, the tenant's retention and holds, the clock. */
export function auditIngestDeps(config: Config): IngestAuditDeps {
  return {
    store: auditStoreFromConfig(config),
    clock: systemClock,
    retentionMonths: config.AUDIT_RETENTION_MONTHS,
    trust: trustReaderFromConfig(config),
  };
}

/** `GET /v1/audit-events[/{id}]`: as ingest, plus the key that signs cursors. */
export function auditQueryDeps(config: Config): QueryAuditDeps {
  return {
    store: auditStoreFromConfig(config),
    trust: trustReaderFromConfig(config),
    clock: systemClock,
    retentionMonths: config.AUDIT_RETENTION_MONTHS,
    signingKey: signingKeyLoader(config),
  };
}

/** The audit-ingest function's use case, bound to its deps: a batch validated, redacted, written. */
export function auditIngestService(config: Config) {
  return bindAll(auditIngestDeps(config), { ingest: ingestAuditEvents });
}

/** The audit-query function's use cases: the reader check, a page of entries, one entry. */
export function auditQueryService(config: Config) {
  const useCases = bindAll(auditQueryDeps(config), { list: listAuditEvents, get: getAuditEvent });
  return { assertReader: assertAuditReader, ...useCases };
}

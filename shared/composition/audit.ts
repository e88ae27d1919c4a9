import { DynamoAuditStore } from '../adapters/dynamodb/audit-store.ts';
import { dynamoDocumentClient } from '../adapters/dynamodb/client.ts';
import { type Config, shardResolver } from '../config.ts';
import { systemClock } from '../domain/time.ts';
import { signingKeyLoader } from '../signing.ts';
import type { IngestAuditDeps } from '../use-cases/audit/ingest.ts';
import type { QueryAuditDeps } from '../use-cases/audit/query.ts';
import { trustReaderFromConfig } from './trust-reader.ts';

// The composition root of the audit log: its store, built once per cold start by the audit
// handlers, and by exports and reports, which record their own events through its ingest.

/** The store as handlers build it, once per cold start. */
export function auditStoreFromConfig(
  config: Config,
  client = dynamoDocumentClient(config),
): DynamoAuditStore {
  return new DynamoAuditStore(client, {
    tableName: config.AUDIT_TABLE,
    shardsFor: shardResolver(config),
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

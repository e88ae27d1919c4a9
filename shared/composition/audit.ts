import { DynamoAuditStore } from '../adapters/dynamodb/audit-store.ts';
import { dynamoDocumentClient } from '../adapters/dynamodb/client.ts';
import { type Config, shardResolver } from '../config.ts';

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

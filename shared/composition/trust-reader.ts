import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { dynamoDocumentClient } from '../adapters/dynamodb/client.ts';
import { CachedTrustReader, DynamoTrustStore } from '../adapters/dynamodb/trust-store.ts';
import type { Config } from '../config.ts';

/**
 * Each tenant's retention and legal holds as reads, exports and ingest apply them: the state
 * table (one Query per tenant, cached briefly per process) over the deployment's defaults.
 * Every function that builds it reads STATE_TABLE and both retention settings.
 */
export function trustReaderFromConfig(
  config: Config,
  client: DynamoDBDocumentClient = dynamoDocumentClient(config),
): CachedTrustReader {
  return new CachedTrustReader(new DynamoTrustStore(client, { tableName: config.STATE_TABLE }), {
    auditMonths: config.AUDIT_RETENTION_MONTHS,
    activityMonths: config.ACTIVITY_RETENTION_MONTHS,
  });
}

import { type DynamoDBDocumentClient, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { Config } from '../../config.ts';
import { auditPersons } from '../../domain/trust/holds.ts';
import type { TrustLog } from '../../domain/trust/retention.ts';
import type { ExpiryEntry, ExpiryPage, LogExpiryPort } from '../../use-cases/trust/ports.ts';
import { isConditionFailure, toDomainError } from './errors.ts';
import { HELD_EXPIRY_ATTRIBUTE, TTL_ATTRIBUTE } from './tables.ts';

/**
 * The tenant's `byTime` index (partition `tenant#shard`, sorted by `occurredAt#id`), one shard at
 * a time, ascending; each entry updated by key with one UpdateItem that touches only `ttl` and
 * `rx`, under `attribute_exists(pk)` (an entry the TTL sweep removed meanwhile is not recreated).
 */
export interface DynamoLogExpiryStoreOptions {
  /** Each log's table name. */
  tables: Record<TrustLog, string>;
  /** The write shards of a tenant (TENANT_SHARDS): every one is walked. */
  shardsFor: (tenantId: string) => number;
}

export class DynamoLogExpiryStore implements LogExpiryPort {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly options: DynamoLogExpiryStoreOptions,
  ) {}

  shards(tenantId: string): number {
    return this.options.shardsFor(tenantId);
  }

  async page(
    log: TrustLog,
    tenantId: string,
    shard: number,
    after: Record<string, unknown> | undefined,
    limit: number,
  ): Promise<ExpiryPage> {
    try {
      const out = await this.client.send(
        new QueryCommand({
          TableName: this.options.tables[log],
          IndexName: 'byTime',
          KeyConditionExpression: '#tp = :tp',
          ExpressionAttributeNames: { '#tp': 'tp' },
          ExpressionAttributeValues: { ':tp': `${tenantId}#${shard}` },
          ScanIndexForward: true,
          Limit: limit,
          ExclusiveStartKey: after,
        }),
      );
      const entries = (out.Items ?? []).map((item): ExpiryEntry => {
        const ts = String(item.ts);
        const ttl = item[TTL_ATTRIBUTE];
        return {
          pk: String(item.pk),
          occurredAt: ts.slice(0, ts.indexOf('#')),
          ...(typeof ttl === 'number' ? { ttl } : {}),
          persons:
            log === 'audit'
              ? auditPersons((item.e ?? {}) as Parameters<typeof auditPersons>[0])
              : [(item.f as { u?: string } | undefined)?.u],
        };
      });
      return { entries, after: out.LastEvaluatedKey };
    } catch (err) {
      throw toDomainError(err, 'The log store');
    }
  }

  async setExpiry(log: TrustLog, pk: string, expiry: number, held: boolean): Promise<void> {
    try {
      await this.client.send(
        new UpdateCommand({
          TableName: this.options.tables[log],
          Key: { pk },
          UpdateExpression: held ? 'SET #rx = :x REMOVE #ttl' : 'SET #ttl = :x REMOVE #rx',
          ConditionExpression: 'attribute_exists(#pk)',
          ExpressionAttributeNames: { '#pk': 'pk', '#ttl': TTL_ATTRIBUTE, '#rx': HELD_EXPIRY_ATTRIBUTE },
          ExpressionAttributeValues: { ':x': expiry },
        }),
      );
    } catch (err) {
      if (isConditionFailure(err)) return;
      throw toDomainError(err, 'The log store');
    }
  }
}

export function logExpiryStoreFromConfig(
  config: Config,
  client: DynamoDBDocumentClient,
  shardsFor: (tenantId: string) => number,
): DynamoLogExpiryStore {
  return new DynamoLogExpiryStore(client, {
    tables: { audit: config.AUDIT_TABLE, activity: config.ACTIVITY_TABLE },
    shardsFor,
  });
}

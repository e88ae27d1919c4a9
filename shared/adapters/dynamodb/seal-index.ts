import { type DynamoDBDocumentClient, paginateQuery } from '@aws-sdk/lib-dynamodb';
import { allShards } from '../../query/shards.ts';
import type { SealIndex, SealLeaf } from '../../use-cases/integrity/ports.ts';
import { auditKeys } from './audit-keys.ts';
import { toDomainError } from './errors.ts';

/**
 * The hour's entries through the audit table's `bySeal` index (`hp` = tenant#shard#hour of
 * `recordedAt`, sorted by `pk` = tenant#id, projecting only `h`): about 100 bytes an entry, so a
 * 1 MB page holds thousands. Shards are read one after another and merged by id.
 */
export class DynamoSealIndex implements SealIndex {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly options: { tableName: string; shardsFor: (tenantId: string) => number },
  ) {}

  async hourLeaves(tenantId: string, periodStart: string): Promise<SealLeaf[]> {
    const prefix = tenantId.length + 1;
    const out: SealLeaf[] = [];
    try {
      for (const shard of allShards(this.options.shardsFor(tenantId))) {
        for await (const page of paginateQuery(
          { client: this.client },
          {
            TableName: this.options.tableName,
            IndexName: 'bySeal',
            KeyConditionExpression: 'hp = :hp',
            ExpressionAttributeValues: { ':hp': auditKeys.sealHour(tenantId, shard, periodStart) },
            ProjectionExpression: 'pk, h',
          },
        )) {
          for (const item of page.Items ?? [])
            out.push({ id: String(item.pk).slice(prefix), hash: String(item.h) });
        }
      }
    } catch (err) {
      throw toDomainError(err);
    }
    // Ids are ASCII: UTF-16 order is byte order.
    return out.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  }
}

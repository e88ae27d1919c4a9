import { type DynamoDBDocumentClient, GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { DuplicateError, ThrottledError, UnavailableError } from '../../domain/errors.ts';
import { type ExportJob, exportJobSchema } from '../../domain/exports/export-job.ts';
import { ExpressionBuilder } from '../../query/expression.ts';
import type { ExportJobUpdate, ExportStore } from '../../use-cases/exports/ports.ts';
import { toDomainError } from '../aws-errors.ts';
import { TTL_ATTRIBUTE } from './tables.ts';

/**
 * Export jobs in the state table: one item per job, pk `${tenant}#EXPORT#${id}`, sk `EXPORT`, the
 * job's fields as top-level attributes and `ttl` a day past the link's lifetime. Status changes
 * are conditional updates on the current status; reads are consistent (clients poll) and ignore
 * items past their TTL that the sweeper has not removed yet.
 */
export const EXPORT_SK = 'EXPORT';

export function exportKey(tenantId: string, id: string): { pk: string; sk: string } {
  return { pk: `${tenantId}#EXPORT#${id}`, sk: EXPORT_SK };
}

function mapError(err: unknown): never {
  throw toDomainError(err, 'The export store');
}

export class DynamoExportStore implements ExportStore {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
    private readonly nowEpochSeconds: () => number = () => Math.floor(Date.now() / 1000),
  ) {}

  async create(job: ExportJob, expiresAt: number): Promise<void> {
    try {
      await this.client.send(
        new PutCommand({
          TableName: this.tableName,
          Item: { ...exportKey(job.tenantId, job.id), ...job, [TTL_ATTRIBUTE]: expiresAt },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
    } catch (err) {
      if ((err as { name?: string }).name === 'ConditionalCheckFailedException')
        throw new DuplicateError('An export with this id already exists.');
      mapError(err);
    }
  }

  async get(tenantId: string, id: string): Promise<ExportJob | null> {
    let item: Record<string, unknown> | undefined;
    try {
      const out = await this.client.send(
        new GetCommand({ TableName: this.tableName, Key: exportKey(tenantId, id), ConsistentRead: true }),
      );
      item = out.Item;
    } catch (err) {
      mapError(err);
    }
    if (!item) return null;
    const ttl = item[TTL_ATTRIBUTE];
    if (typeof ttl === 'number' && ttl <= this.nowEpochSeconds()) return null;
    const parsed = exportJobSchema.safeParse(item);
    if (!parsed.success || parsed.data.tenantId !== tenantId) return null;
    return parsed.data;
  }

  async transition(
    tenantId: string,
    id: string,
    from: readonly ExportJob['status'][],
    to: ExportJob['status'],
    changes: ExportJobUpdate,
  ): Promise<boolean> {
    const expr = new ExpressionBuilder();
    const sets = [`${expr.path('status')} = ${expr.value(to)}`];
    for (const [field, value] of Object.entries(changes)) {
      if (value !== undefined) sets.push(`${expr.path(field)} = ${expr.value(value)}`);
    }
    const condition = new ExpressionBuilder('c');
    condition.add('attribute_exists(pk)').anyOf('status', from);
    try {
      await this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: exportKey(tenantId, id),
          UpdateExpression: `SET ${sets.join(', ')}`,
          ConditionExpression: condition.expression,
          ExpressionAttributeNames: { ...expr.names, ...condition.names },
          ExpressionAttributeValues: { ...expr.values, ...condition.values },
        }),
      );
      return true;
    } catch (err) {
      if ((err as { name?: string }).name === 'ConditionalCheckFailedException') return false;
      mapError(err);
    }
  }
}

import {
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  paginateQuery,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { DuplicateError, ThrottledError, UnavailableError } from '../../domain/errors.ts';
import { type ExportJob, exportJobSchema } from '../../domain/exports/export-job.ts';
import { ExpressionBuilder } from '../../query/expression.ts';
import type { ExportJobUpdate, ExportStore } from '../../use-cases/exports/ports.ts';
import type { OpenExportRef, OpenExports } from '../../use-cases/exports/sweep.ts';
import { STATE_TABLE, TTL_ATTRIBUTE } from './tables.ts';

/**
 * Export jobs in the state table: one item per job, pk `${tenant}#EXPORT#${id}`, sk `EXPORT`, the
 * job's fields as top-level attributes and `ttl` a day past the link's lifetime. Status changes
 * are conditional updates on the current status; reads are consistent (clients poll) and ignore
 * items past their TTL that the sweeper has not removed yet.
 *
 * While a job is open it also sits in the state table's sparse `byDue` index (beside the active
 * schedules, in partitions of its own): `dp` = `EXPORT#queued` or `EXPORT#running` and
 * `nextRunAt` = when it entered that state (creation, claim). Finishing removes both, so the
 * export sweeper's "open since before T" is one Query per state, never a Scan.
 */
export const EXPORT_SK = 'EXPORT';

const DUE_INDEX = STATE_TABLE.indexes.find((i) => i.name === 'byDue')?.name ?? 'byDue';
const openPartition = (status: 'queued' | 'running') => `EXPORT#${status}`;

export function exportKey(tenantId: string, id: string): { pk: string; sk: string } {
  return { pk: `${tenantId}#EXPORT#${id}`, sk: EXPORT_SK };
}

const THROTTLES = new Set([
  'ProvisionedThroughputExceededException',
  'ThrottlingException',
  'RequestLimitExceeded',
]);

function mapError(err: unknown): never {
  const name = (err as { name?: string }).name ?? '';
  if (THROTTLES.has(name)) throw new ThrottledError('The export store is busy; retry shortly.');
  throw new UnavailableError('The export store is unavailable.', { cause: err });
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
          Item: {
            ...exportKey(job.tenantId, job.id),
            ...job,
            ...(job.status === 'queued' ? { dp: openPartition('queued'), nextRunAt: job.createdAt } : {}),
            [TTL_ATTRIBUTE]: expiresAt,
          },
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
    // The open-jobs index follows the status: a claim moves the job, an end takes it out.
    let removes = '';
    if (to === 'queued' || to === 'running') {
      const since = to === 'running' ? (changes.startedAt ?? new Date().toISOString()) : undefined;
      sets.push(`${expr.path('dp')} = ${expr.value(openPartition(to))}`);
      if (since) sets.push(`${expr.path('nextRunAt')} = ${expr.value(since)}`);
    } else {
      removes = ` REMOVE ${expr.path('dp')}, ${expr.path('nextRunAt')}`;
    }
    const condition = new ExpressionBuilder('c');
    condition.add('attribute_exists(pk)').anyOf('status', from);
    try {
      await this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: exportKey(tenantId, id),
          UpdateExpression: `SET ${sets.join(', ')}${removes}`,
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

/** The export sweeper's view of the open jobs, through the sparse `byDue` index. */
export class DynamoOpenExports implements OpenExports {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async listOpen(status: 'queued' | 'running', before: Date, limit: number): Promise<OpenExportRef[]> {
    const out: OpenExportRef[] = [];
    try {
      const pages = paginateQuery(
        { client: this.client, pageSize: Math.min(limit, 100) },
        {
          TableName: this.tableName,
          IndexName: DUE_INDEX,
          KeyConditionExpression: 'dp = :dp AND nextRunAt < :before',
          ExpressionAttributeValues: { ':dp': openPartition(status), ':before': before.toISOString() },
          ProjectionExpression: 'pk, tenantId',
        },
      );
      for await (const page of pages) {
        for (const item of page.Items ?? []) {
          const tenantId = item.tenantId;
          const pk = item.pk;
          const prefix = `${tenantId}#EXPORT#`;
          if (typeof tenantId !== 'string' || typeof pk !== 'string' || !pk.startsWith(prefix)) continue;
          out.push({ tenantId, id: pk.slice(prefix.length) });
          if (out.length >= limit) return out;
        }
      }
    } catch (err) {
      mapError(err);
    }
    return out;
  }
}

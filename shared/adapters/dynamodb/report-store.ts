import {
  DeleteCommand,
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { z } from 'zod';
import { DomainError, DuplicateError, ThrottledError, UnavailableError } from '../../domain/errors.ts';
import { type StoredReport, storedReportSchema } from '../../domain/reports/report.ts';
import { allShards, shardOf } from '../../query/shards.ts';
import type {
  DueSchedule,
  ReportStore,
  RunKey,
  RunLedger,
  RunRecord,
  ScheduleStore,
  SendRecord,
} from '../../use-cases/reports/ports.ts';
import { toDomainError } from '../aws-errors.ts';
import { STATE_TABLE, TTL_ATTRIBUTE } from './tables.ts';

/**
 * Saved reports, schedules, runs and sends in the state table.
 * - report:  pk `REPORTS#tenant`, sk `REPORT#id`, `r` = the stored report (schedule inside).
 *   While its schedule is active the item also carries `dp` = `DUE#0..3` (sharded by report),
 *   `nextRunAt`, `tenantId`, `reportId`: the sparse `byDue` index answers "due before now".
 * - run:     pk `RUNS#tenant#reportId`, sk `RUN#periodStart` (claimed with attribute_not_exists).
 * - send:    the run's pk, sk `RUN#periodStart#SEND#userId` (one per recipient, before sending).
 * Runs and sends expire after RUN_TTL_DAYS.
 */
export const DUE_SHARDS = 4;
export const RUN_TTL_DAYS = 400;
const DUE_INDEX = STATE_TABLE.indexes.find((i) => i.name === 'byDue')?.name ?? 'byDue';

export const reportKeys = {
  report: (tenantId: string, id: string) => ({ pk: `REPORTS#${tenantId}`, sk: `REPORT#${id}` }),
  reportsOf: (tenantId: string) => `REPORTS#${tenantId}`,
  due: (tenantId: string, id: string) => `DUE#${shardOf(`${tenantId}#${id}`, DUE_SHARDS)}`,
  run: (k: RunKey) => ({ pk: `RUNS#${k.tenantId}#${k.reportId}`, sk: `RUN#${k.periodStart}` }),
  send: (k: RunKey, userId: string) => ({
    pk: `RUNS#${k.tenantId}#${k.reportId}`,
    sk: `RUN#${k.periodStart}#SEND#${userId}`,
  }),
};

function mapError(err: unknown): never {
  if (err instanceof DomainError) throw err;
  const name = (err as { name?: string }).name ?? '';
  if (name === 'ConditionalCheckFailedException') throw new DuplicateError('The item already exists.');
  throw toDomainError(err, 'The state table');
}

const isConditionFailure = (err: unknown) =>
  (err as { name?: string }).name === 'ConditionalCheckFailedException';

const runSchema = z.object({
  tenantId: z.string(),
  reportId: z.string(),
  periodStart: z.string(),
  periodEnd: z.string(),
  scheduledFor: z.string(),
  status: z.enum(['running', 'complete']),
  outcome: z.enum(['sent', 'failed']).optional(),
  attempts: z.number().int(),
  leaseUntil: z.string(),
  export: z
    .object({
      exportId: z.string(),
      rowCount: z.number(),
      downloadUrl: z.string(),
      from: z.string().optional(),
      to: z.string().optional(),
    })
    .optional(),
  skipped: z.array(z.object({ userId: z.string(), reason: z.string() })),
  error: z.string().optional(),
  updatedAt: z.string(),
});

const sendSchema = z.object({
  userId: z.string(),
  status: z.enum(['sending', 'sent', 'failed']),
  to: z.string().optional(),
  messageId: z.string().optional(),
  error: z.string().optional(),
  at: z.string(),
});

export class DynamoReportStore implements ReportStore, ScheduleStore {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  private item(report: StoredReport): Record<string, unknown> {
    const item: Record<string, unknown> = { ...reportKeys.report(report.tenantId, report.id), r: report };
    if (report.schedule && !report.schedule.paused) {
      Object.assign(item, {
        dp: reportKeys.due(report.tenantId, report.id),
        nextRunAt: report.schedule.nextRunAt,
        tenantId: report.tenantId,
        reportId: report.id,
      });
    }
    return item;
  }

  async get(tenantId: string, id: string): Promise<StoredReport | undefined> {
    const out = await this.client
      .send(
        new GetCommand({ TableName: this.table, Key: reportKeys.report(tenantId, id), ConsistentRead: true }),
      )
      .catch(mapError);
    return out.Item ? storedReportSchema.parse(out.Item.r) : undefined;
  }

  async listByTenant(tenantId: string): Promise<StoredReport[]> {
    const out: StoredReport[] = [];
    let start: Record<string, unknown> | undefined;
    do {
      const page = await this.client
        .send(
          new QueryCommand({
            TableName: this.table,
            KeyConditionExpression: 'pk = :pk AND begins_with(sk, :sk)',
            ExpressionAttributeValues: { ':pk': reportKeys.reportsOf(tenantId), ':sk': 'REPORT#' },
            ExclusiveStartKey: start,
          }),
        )
        .catch(mapError);
      for (const item of page.Items ?? []) out.push(storedReportSchema.parse(item.r));
      start = page.LastEvaluatedKey;
    } while (start);
    return out;
  }

  async create(report: StoredReport): Promise<void> {
    await this.client
      .send(
        new PutCommand({
          TableName: this.table,
          Item: this.item(report),
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      )
      .catch(mapError);
  }

  async save(report: StoredReport): Promise<void> {
    await this.client
      .send(new PutCommand({ TableName: this.table, Item: this.item(report) }))
      .catch(mapError);
  }

  async delete(tenantId: string, id: string): Promise<void> {
    await this.client
      .send(new DeleteCommand({ TableName: this.table, Key: reportKeys.report(tenantId, id) }))
      .catch(mapError);
  }

  async due(now: Date, limit: number): Promise<DueSchedule[]> {
    const per = await Promise.all(
      allShards(DUE_SHARDS).map(async (shard) => {
        const out: DueSchedule[] = [];
        let start: Record<string, unknown> | undefined;
        do {
          const page = await this.client
            .send(
              new QueryCommand({
                TableName: this.table,
                IndexName: DUE_INDEX,
                KeyConditionExpression: 'dp = :dp AND nextRunAt <= :now',
                ExpressionAttributeValues: { ':dp': `DUE#${shard}`, ':now': now.toISOString() },
                Limit: limit,
                ExclusiveStartKey: start,
              }),
            )
            .catch(mapError);
          for (const item of page.Items ?? []) {
            out.push({
              tenantId: String(item.tenantId),
              reportId: String(item.reportId),
              nextRunAt: String(item.nextRunAt),
            });
          }
          start = page.LastEvaluatedKey;
        } while (start && out.length < limit);
        return out;
      }),
    );
    return per
      .flat()
      .sort((a, b) => a.nextRunAt.localeCompare(b.nextRunAt))
      .slice(0, limit);
  }

  async advance(
    tenantId: string,
    reportId: string,
    version: string,
    state: { nextRunAt: string; paused?: { reason: string; at: string } },
  ): Promise<boolean> {
    const paused = state.paused;
    try {
      await this.client.send(
        new UpdateCommand({
          TableName: this.table,
          Key: reportKeys.report(tenantId, reportId),
          ConditionExpression: '#r.#s.#v = :v',
          UpdateExpression: paused
            ? 'SET #r.#s.nextRunAt = :n, #r.#s.paused = :t, #r.#s.pausedReason = :why, #r.#s.updatedAt = :at REMOVE dp, nextRunAt'
            : 'SET #r.#s.nextRunAt = :n, nextRunAt = :n',
          ExpressionAttributeNames: { '#r': 'r', '#s': 'schedule', '#v': 'version' },
          ExpressionAttributeValues: {
            ':v': version,
            ':n': state.nextRunAt,
            ...(paused ? { ':t': true, ':why': paused.reason, ':at': paused.at } : {}),
          },
        }),
      );
      return true;
    } catch (err) {
      if (isConditionFailure(err)) return false;
      return mapError(err);
    }
  }
}

export class DynamoRunLedger implements RunLedger {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  private ttl(from: string): number {
    return Math.floor(Date.parse(from) / 1000) + RUN_TTL_DAYS * 86_400;
  }

  async claim(run: RunRecord): Promise<boolean> {
    try {
      await this.client.send(
        new PutCommand({
          TableName: this.table,
          Item: { ...reportKeys.run(run), ...run, [TTL_ATTRIBUTE]: this.ttl(run.updatedAt) },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
      return true;
    } catch (err) {
      if (isConditionFailure(err)) return false;
      return mapError(err);
    }
  }

  async get(key: RunKey): Promise<RunRecord | undefined> {
    const out = await this.client
      .send(new GetCommand({ TableName: this.table, Key: reportKeys.run(key), ConsistentRead: true }))
      .catch(mapError);
    return out.Item ? runSchema.parse(out.Item) : undefined;
  }

  async takeOver(key: RunKey, now: string, leaseUntil: string): Promise<RunRecord | undefined> {
    try {
      const out = await this.client.send(
        new UpdateCommand({
          TableName: this.table,
          Key: reportKeys.run(key),
          ConditionExpression: 'attribute_exists(pk) AND #st <> :complete AND leaseUntil <= :now',
          UpdateExpression: 'SET leaseUntil = :lease, updatedAt = :now ADD attempts :one',
          ExpressionAttributeNames: { '#st': 'status' },
          ExpressionAttributeValues: {
            ':complete': 'complete',
            ':now': now,
            ':lease': leaseUntil,
            ':one': 1,
          },
          ReturnValues: 'ALL_NEW',
        }),
      );
      return runSchema.parse(out.Attributes);
    } catch (err) {
      if (isConditionFailure(err)) return undefined;
      return mapError(err);
    }
  }

  async update(
    key: RunKey,
    patch: Partial<Pick<RunRecord, 'status' | 'outcome' | 'export' | 'skipped' | 'error' | 'leaseUntil'>>,
  ): Promise<void> {
    const entries = Object.entries(patch).filter(([, v]) => v !== undefined);
    if (entries.length === 0) return;
    const names: Record<string, string> = {};
    const values: Record<string, unknown> = {};
    const sets = entries.map(([k, v], i) => {
      names[`#f${i}`] = k;
      values[`:v${i}`] = v;
      return `#f${i} = :v${i}`;
    });
    await this.client
      .send(
        new UpdateCommand({
          TableName: this.table,
          Key: reportKeys.run(key),
          UpdateExpression: `SET ${sets.join(', ')}`,
          ExpressionAttributeNames: names,
          ExpressionAttributeValues: values,
        }),
      )
      .catch(mapError);
  }

  async claimSend(key: RunKey, userId: string, to: string, at: string): Promise<boolean> {
    try {
      await this.client.send(
        new PutCommand({
          TableName: this.table,
          Item: {
            ...reportKeys.send(key, userId),
            userId,
            status: 'sending',
            to,
            at,
            [TTL_ATTRIBUTE]: this.ttl(at),
          },
          ConditionExpression: 'attribute_not_exists(pk) OR #st = :failed',
          ExpressionAttributeNames: { '#st': 'status' },
          ExpressionAttributeValues: { ':failed': 'failed' },
        }),
      );
      return true;
    } catch (err) {
      if (isConditionFailure(err)) return false;
      return mapError(err);
    }
  }

  async markSend(
    key: RunKey,
    userId: string,
    result: { status: 'sent' | 'failed'; messageId?: string; error?: string; at: string },
  ): Promise<void> {
    const values: Record<string, unknown> = { ':s': result.status, ':at': result.at };
    let expr = 'SET #st = :s, #at = :at';
    if (result.messageId) {
      expr += ', messageId = :m';
      values[':m'] = result.messageId;
    }
    if (result.error) {
      expr += ', #err = :e';
      values[':e'] = result.error;
    }
    await this.client
      .send(
        new UpdateCommand({
          TableName: this.table,
          Key: reportKeys.send(key, userId),
          UpdateExpression: expr,
          ExpressionAttributeNames: {
            '#st': 'status',
            '#at': 'at',
            ...(result.error ? { '#err': 'error' } : {}),
          },
          ExpressionAttributeValues: values,
        }),
      )
      .catch(mapError);
  }

  async sends(key: RunKey): Promise<SendRecord[]> {
    const out: SendRecord[] = [];
    let start: Record<string, unknown> | undefined;
    const { pk, sk } = reportKeys.run(key);
    do {
      const page = await this.client
        .send(
          new QueryCommand({
            TableName: this.table,
            KeyConditionExpression: 'pk = :pk AND begins_with(sk, :sk)',
            ExpressionAttributeValues: { ':pk': pk, ':sk': `${sk}#SEND#` },
            ConsistentRead: true,
            ExclusiveStartKey: start,
          }),
        )
        .catch(mapError);
      for (const item of page.Items ?? []) out.push(sendSchema.parse(item));
      start = page.LastEvaluatedKey;
    } while (start);
    return out;
  }
}

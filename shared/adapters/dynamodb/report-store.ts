import {
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  TransactWriteCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { z } from 'zod';
import { ConflictError, DomainError, DuplicateError } from '../../domain/errors.ts';
import { type ReportQuota, type StoredReport, storedReportSchema } from '../../domain/reports/report.ts';
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
 * - quota:   pk `REPORTS#tenant`, sk `QUOTA`, `reports` and `schedules`: the tenant's counts, moved
 *   in the same transaction as every create, schedule change and delete, with a condition that
 *   keeps them under the quota. A tenant that has reports from before the counter gets it
 *   counted once (a Query of its reports) before its first change.
 * Runs and sends expire after RUN_TTL_DAYS.
 */
export const DUE_SHARDS = 4;
export const RUN_TTL_DAYS = 400;
const DUE_INDEX = STATE_TABLE.indexes.find((i) => i.name === 'byDue')?.name ?? 'byDue';

export const reportKeys = {
  report: (tenantId: string, id: string) => ({ pk: `REPORTS#${tenantId}`, sk: `REPORT#${id}` }),
  reportsOf: (tenantId: string) => `REPORTS#${tenantId}`,
  quota: (tenantId: string) => ({ pk: `REPORTS#${tenantId}`, sk: 'QUOTA' }),
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

/** The report item still as it was read: present, with the same schedule version (or none). */
function unchanged(previous: StoredReport): {
  ConditionExpression: string;
  ExpressionAttributeNames: Record<string, string>;
  ExpressionAttributeValues?: Record<string, unknown>;
} {
  return previous.schedule
    ? {
        ConditionExpression: 'attribute_exists(pk) AND #r.#s.#v = :prev',
        ExpressionAttributeNames: { '#r': 'r', '#s': 'schedule', '#v': 'version' },
        ExpressionAttributeValues: { ':prev': previous.schedule.version },
      }
    : {
        ConditionExpression: 'attribute_exists(pk) AND attribute_not_exists(#r.#s)',
        ExpressionAttributeNames: { '#r': 'r', '#s': 'schedule' },
      };
}

const changedMeanwhile = () =>
  new ConflictError('The report was changed or deleted meanwhile; read it again and retry.');

function quotaError(report: StoredReport, quota: ReportQuota) {
  return () =>
    report.schedule
      ? new ConflictError(
          `The tenant already has ${quota.schedules} report schedules, the most it may have; remove one first.`,
        )
      : new ConflictError(
          `The tenant already has ${quota.reports} saved reports, the most it may have; delete one first.`,
        );
}

const runSchema = z.object({
  tenantId: z.string(),
  reportId: z.string(),
  periodStart: z.string(),
  periodEnd: z.string(),
  scheduledFor: z.string(),
  status: z.enum(['running', 'complete']),
  outcome: z.enum(['sent', 'failed', 'cancelled']).optional(),
  attempts: z.number().int(),
  phase: z.enum(['queued', 'started']).optional(),
  leaseUntil: z.string(),
  files: z
    .array(
      z.object({
        view: z.string(),
        exportId: z.string(),
        rowCount: z.number(),
        downloadUrl: z.string(),
        expiresAt: z.string().optional(),
        fileName: z.string().optional(),
        format: z.enum(['csv', 'json']).optional(),
        from: z.string().optional(),
        to: z.string().optional(),
      }),
    )
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

  async create(report: StoredReport, quota: ReportQuota): Promise<void> {
    await this.ensureCounted(report.tenantId);
    await this.transact(
      {
        Put: {
          TableName: this.table,
          Item: this.item(report),
          ConditionExpression: 'attribute_not_exists(pk)',
        },
      },
      this.count(report.tenantId, { reports: 1, schedules: report.schedule ? 1 : 0 }, quota),
      { report: () => new DuplicateError('The report already exists.'), quota: quotaError(report, quota) },
    );
  }

  async save(report: StoredReport, previous: StoredReport, quota: ReportQuota): Promise<void> {
    const delta = (report.schedule ? 1 : 0) - (previous.schedule ? 1 : 0);
    const put = {
      TableName: this.table,
      Item: this.item(report),
      ...unchanged(previous),
    };
    if (delta === 0) {
      await this.client.send(new PutCommand(put)).catch((err: unknown) => {
        if (isConditionFailure(err)) throw changedMeanwhile();
        return mapError(err);
      });
      return;
    }
    await this.ensureCounted(report.tenantId);
    await this.transact({ Put: put }, this.count(report.tenantId, { reports: 0, schedules: delta }, quota), {
      report: changedMeanwhile,
      quota: quotaError(report, quota),
    });
  }

  async delete(report: StoredReport): Promise<void> {
    await this.ensureCounted(report.tenantId);
    await this.transact(
      {
        Delete: {
          TableName: this.table,
          Key: reportKeys.report(report.tenantId, report.id),
          ...unchanged(report),
        },
      },
      this.count(report.tenantId, { reports: -1, schedules: report.schedule ? -1 : 0 }),
      { report: changedMeanwhile, quota: changedMeanwhile },
    );
  }

  /** The counter's update: an increase is conditioned on staying within the quota. */
  private count(tenantId: string, delta: ReportQuota, quota?: ReportQuota): Record<string, unknown> {
    const conditions = ['attribute_exists(pk)'];
    const values: Record<string, unknown> = { ':r': delta.reports, ':s': delta.schedules };
    if (quota && delta.reports > 0) {
      conditions.push('reports < :maxR');
      values[':maxR'] = quota.reports;
    }
    if (quota && delta.schedules > 0) {
      conditions.push('schedules < :maxS');
      values[':maxS'] = quota.schedules;
    }
    return {
      Update: {
        TableName: this.table,
        Key: reportKeys.quota(tenantId),
        UpdateExpression: 'ADD reports :r, schedules :s',
        ConditionExpression: conditions.join(' AND '),
        ExpressionAttributeValues: values,
      },
    };
  }

  private async transact(
    first: Record<string, unknown>,
    counter: Record<string, unknown>,
    errors: { report: () => Error; quota: () => Error },
  ): Promise<void> {
    try {
      await this.client.send(new TransactWriteCommand({ TransactItems: [first, counter] as never }));
    } catch (err) {
      const reasons = (err as { CancellationReasons?: { Code?: string }[] }).CancellationReasons;
      if ((err as { name?: string }).name === 'TransactionCanceledException' && reasons) {
        if (reasons[0]?.Code === 'ConditionalCheckFailed') throw errors.report();
        if (reasons[1]?.Code === 'ConditionalCheckFailed') throw errors.quota();
      }
      mapError(err);
    }
  }

  /** Counts a tenant's reports and schedules once, for a tenant whose reports predate the counter. */
  private async ensureCounted(tenantId: string): Promise<void> {
    const found = await this.client
      .send(new GetCommand({ TableName: this.table, Key: reportKeys.quota(tenantId), ConsistentRead: true }))
      .catch(mapError);
    if (found.Item) return;
    // Reports are only written together with the counter, so until it exists this set is fixed.
    const existing = await this.listByTenant(tenantId);
    try {
      await this.client.send(
        new PutCommand({
          TableName: this.table,
          Item: {
            ...reportKeys.quota(tenantId),
            reports: existing.length,
            schedules: existing.filter((r) => r.schedule).length,
          },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
    } catch (err) {
      if (!isConditionFailure(err)) mapError(err);
    }
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
          UpdateExpression: 'SET leaseUntil = :lease, updatedAt = :now, phase = :queued ADD attempts :one',
          ExpressionAttributeNames: { '#st': 'status' },
          ExpressionAttributeValues: {
            ':complete': 'complete',
            ':now': now,
            ':lease': leaseUntil,
            ':one': 1,
            ':queued': 'queued',
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

  async start(key: RunKey, attempt: number, now: string, leaseUntil: string): Promise<RunRecord | undefined> {
    try {
      const out = await this.client.send(
        new UpdateCommand({
          TableName: this.table,
          Key: reportKeys.run(key),
          ConditionExpression: 'attempts = :a AND #st = :running AND phase = :queued',
          UpdateExpression: 'SET phase = :started, leaseUntil = :lease, updatedAt = :now',
          ExpressionAttributeNames: { '#st': 'status' },
          ExpressionAttributeValues: {
            ':a': attempt,
            ':running': 'running',
            ':queued': 'queued',
            ':started': 'started',
            ':lease': leaseUntil,
            ':now': now,
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
    patch: Partial<Pick<RunRecord, 'status' | 'outcome' | 'files' | 'skipped' | 'error' | 'leaseUntil'>>,
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

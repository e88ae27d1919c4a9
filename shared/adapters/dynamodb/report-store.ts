// Saved reports and their schedules in the state table (runs and sends: run-ledger.ts).
// - report:  pk `REPORTS#tenant`, sk `REPORT#id`, `r` = the stored report (schedule inside).
//   While its schedule is active the item also carries `dp` = `DUE#0..3` (sharded by report),
//   `nextRunAt`, `tenantId`, `reportId`: the sparse `byDue` index answers "due before now".
// - quota:   pk `REPORTS#tenant`, sk `QUOTA`, `reports` and `schedules`: the tenant's counts, moved
//   in the same transaction as every create, schedule change and delete, with a condition that
//   keeps them under the quota. A tenant that has reports from before the counter gets it
//   counted once (a Query of its reports) before its first change.

import {
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  TransactWriteCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { ConflictError, DuplicateError } from '../../domain/errors.ts';
import { type ReportQuota, type StoredReport, storedReportSchema } from '../../domain/reports/report.ts';
import { allShards, shardOf } from '../../query/shards.ts';
import type { DueSchedule, ReportStore, ScheduleStore } from '../../use-cases/reports/ports.ts';
import { failedConditions, isConditionFailure, toDomainError } from './errors.ts';
import { queryAll } from './paginate.ts';
import { STATE_TABLE } from './tables.ts';

export const DUE_SHARDS = 4;
const DUE_INDEX = STATE_TABLE.indexes.find((i) => i.name === 'byDue')?.name ?? 'byDue';

export const reportKeys = {
  report: (tenantId: string, id: string) => ({ pk: `REPORTS#${tenantId}`, sk: `REPORT#${id}` }),
  reportsOf: (tenantId: string) => `REPORTS#${tenantId}`,
  quota: (tenantId: string) => ({ pk: `REPORTS#${tenantId}`, sk: 'QUOTA' }),
  due: (tenantId: string, id: string) => `DUE#${shardOf(`${tenantId}#${id}`, DUE_SHARDS)}`,
};

/** A failed condition no caller expected is a duplicate; anything else through the mapper. */
export function stateTableError(err: unknown): never {
  if (isConditionFailure(err)) throw new DuplicateError('The item already exists.');
  throw toDomainError(err, 'The state table');
}

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

export class DynamoReportStore implements ReportStore, ScheduleStore {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly options: { tableName: string },
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
        new GetCommand({
          TableName: this.options.tableName,
          Key: reportKeys.report(tenantId, id),
          ConsistentRead: true,
        }),
      )
      .catch(stateTableError);
    return out.Item ? storedReportSchema.parse(out.Item.r) : undefined;
  }

  async listByTenant(tenantId: string): Promise<StoredReport[]> {
    const items = await queryAll(this.client, {
      TableName: this.options.tableName,
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :sk)',
      ExpressionAttributeValues: { ':pk': reportKeys.reportsOf(tenantId), ':sk': 'REPORT#' },
    }).catch(stateTableError);
    return items.map((item) => storedReportSchema.parse(item.r));
  }

  async create(report: StoredReport, quota: ReportQuota): Promise<void> {
    await this.ensureCounted(report.tenantId);
    await this.transact(
      {
        Put: {
          TableName: this.options.tableName,
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
      TableName: this.options.tableName,
      Item: this.item(report),
      ...unchanged(previous),
    };
    if (delta === 0) {
      await this.client.send(new PutCommand(put)).catch((err: unknown) => {
        if (isConditionFailure(err)) throw changedMeanwhile();
        return stateTableError(err);
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
          TableName: this.options.tableName,
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
        TableName: this.options.tableName,
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
      const failed = failedConditions(err);
      if (failed.includes(0)) throw errors.report();
      if (failed.includes(1)) throw errors.quota();
      stateTableError(err);
    }
  }

  /** Counts a tenant's reports and schedules once, for a tenant whose reports predate the counter. */
  private async ensureCounted(tenantId: string): Promise<void> {
    const found = await this.client
      .send(
        new GetCommand({
          TableName: this.options.tableName,
          Key: reportKeys.quota(tenantId),
          ConsistentRead: true,
        }),
      )
      .catch(stateTableError);
    if (found.Item) return;
    // Reports are only written together with the counter, so until it exists this set is fixed.
    const existing = await this.listByTenant(tenantId);
    try {
      await this.client.send(
        new PutCommand({
          TableName: this.options.tableName,
          Item: {
            ...reportKeys.quota(tenantId),
            reports: existing.length,
            schedules: existing.filter((r) => r.schedule).length,
          },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
    } catch (err) {
      if (!isConditionFailure(err)) stateTableError(err);
    }
  }

  async due(now: Date, limit: number): Promise<DueSchedule[]> {
    const per = await Promise.all(
      // Each shard answers in nextRunAt order, so its first `limit` hold all it adds to the top.
      allShards(DUE_SHARDS).map(async (shard) => {
        const items = await queryAll(
          this.client,
          {
            TableName: this.options.tableName,
            IndexName: DUE_INDEX,
            KeyConditionExpression: 'dp = :dp AND nextRunAt <= :now',
            ExpressionAttributeValues: { ':dp': `DUE#${shard}`, ':now': now.toISOString() },
          },
          { pageSize: limit, max: limit },
        ).catch(stateTableError);
        return items.map(
          (item): DueSchedule => ({
            tenantId: String(item.tenantId),
            reportId: String(item.reportId),
            nextRunAt: String(item.nextRunAt),
          }),
        );
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
          TableName: this.options.tableName,
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
      return stateTableError(err);
    }
  }
}

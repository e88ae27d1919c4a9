// A schedule's runs and their sends in the state table (reports and schedules: report-store.ts).
// - run:  pk `RUNS#tenant#reportId`, sk `RUN#periodStart` (claimed with attribute_not_exists).
// - send: the run's pk, sk `RUN#periodStart#SEND#userId` (one per recipient, before sending).
// Runs and sends expire after RUN_TTL_DAYS.

import { type DynamoDBDocumentClient, GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import {
  type RunKey,
  type RunRecord,
  runRecordSchema,
  type SendRecord,
  sendRecordSchema,
} from '../../domain/reports/run.ts';
import type { RunLedger } from '../../use-cases/reports/ports.ts';
import { isConditionFailure } from './errors.ts';
import { queryAll } from './paginate.ts';
import { stateTableError } from './report-store.ts';
import { TTL_ATTRIBUTE } from './tables.ts';

export const RUN_TTL_DAYS = 400;

export const runKeys = {
  run: (k: RunKey) => ({ pk: `RUNS#${k.tenantId}#${k.reportId}`, sk: `RUN#${k.periodStart}` }),
  send: (k: RunKey, userId: string) => ({
    pk: `RUNS#${k.tenantId}#${k.reportId}`,
    sk: `RUN#${k.periodStart}#SEND#${userId}`,
  }),
};

export class DynamoRunLedger implements RunLedger {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly options: { tableName: string },
  ) {}

  private ttl(from: string): number {
    return Math.floor(Date.parse(from) / 1000) + RUN_TTL_DAYS * 86_400;
  }

  async claim(run: RunRecord): Promise<boolean> {
    try {
      await this.client.send(
        new PutCommand({
          TableName: this.options.tableName,
          Item: { ...runKeys.run(run), ...run, [TTL_ATTRIBUTE]: this.ttl(run.updatedAt) },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
      return true;
    } catch (err) {
      if (isConditionFailure(err)) return false;
      return stateTableError(err);
    }
  }

  async get(key: RunKey): Promise<RunRecord | undefined> {
    const out = await this.client
      .send(
        new GetCommand({ TableName: this.options.tableName, Key: runKeys.run(key), ConsistentRead: true }),
      )
      .catch(stateTableError);
    return out.Item ? runRecordSchema.parse(out.Item) : undefined;
  }

  async takeOver(key: RunKey, now: string, leaseUntil: string): Promise<RunRecord | undefined> {
    try {
      const out = await this.client.send(
        new UpdateCommand({
          TableName: this.options.tableName,
          Key: runKeys.run(key),
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
      return runRecordSchema.parse(out.Attributes);
    } catch (err) {
      if (isConditionFailure(err)) return undefined;
      return stateTableError(err);
    }
  }

  async start(key: RunKey, attempt: number, now: string, leaseUntil: string): Promise<RunRecord | undefined> {
    try {
      const out = await this.client.send(
        new UpdateCommand({
          TableName: this.options.tableName,
          Key: runKeys.run(key),
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
      return runRecordSchema.parse(out.Attributes);
    } catch (err) {
      if (isConditionFailure(err)) return undefined;
      return stateTableError(err);
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
          TableName: this.options.tableName,
          Key: runKeys.run(key),
          UpdateExpression: `SET ${sets.join(', ')}`,
          ExpressionAttributeNames: names,
          ExpressionAttributeValues: values,
        }),
      )
      .catch(stateTableError);
  }

  async claimSend(key: RunKey, userId: string, to: string, at: string): Promise<boolean> {
    try {
      await this.client.send(
        new PutCommand({
          TableName: this.options.tableName,
          Item: {
            ...runKeys.send(key, userId),
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
      return stateTableError(err);
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
          TableName: this.options.tableName,
          Key: runKeys.send(key, userId),
          UpdateExpression: expr,
          ExpressionAttributeNames: {
            '#st': 'status',
            '#at': 'at',
            ...(result.error ? { '#err': 'error' } : {}),
          },
          ExpressionAttributeValues: values,
        }),
      )
      .catch(stateTableError);
  }

  async sends(key: RunKey): Promise<SendRecord[]> {
    const { pk, sk } = runKeys.run(key);
    const items = await queryAll(this.client, {
      TableName: this.options.tableName,
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :sk)',
      ExpressionAttributeValues: { ':pk': pk, ':sk': `${sk}#SEND#` },
      ConsistentRead: true,
    }).catch(stateTableError);
    return items.map((item) => sendRecordSchema.parse(item));
  }
}

// Export jobs in the state table: one item per job, pk `${tenant}#EXPORT#${id}`, sk `EXPORT`, the
// job's fields as top-level attributes and `ttl` a day past the link's lifetime. Status changes
// are conditional updates on the current status; reads are consistent (clients poll) and ignore
// items past their TTL that the sweeper has not removed yet.
//
// While a job is open it also sits in the state table's sparse `byDue` index (beside the active
// schedules, in partitions of its own): `dp` = `EXPORT#queued` or `EXPORT#running` and
// `nextRunAt` = when it entered that state (creation, claim). Finishing removes both, so the
// export sweeper's "open since before T" is one Query per state, never a Scan.

import {
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  TransactWriteCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { DuplicateError } from '../../domain/errors.ts';
import { type ExportJob, exportJobSchema } from '../../domain/exports/export-job.ts';
import { logger } from '../../observability.ts';
import { ExpressionBuilder } from '../../query/expression.ts';
import type {
  ExportHistory,
  ExportJobUpdate,
  ExportStore,
  OpenExportRef,
  OpenExports,
} from '../../use-cases/exports/ports.ts';
import { failedConditions, isConditionFailure, toDomainError } from './errors.ts';
import { batchGetAll, queryItems } from './paginate.ts';
import { STATE_TABLE, TTL_ATTRIBUTE } from './tables.ts';

export const EXPORT_SK = 'EXPORT';

const DUE_INDEX = STATE_TABLE.indexes.find((i) => i.name === 'byDue')?.name ?? 'byDue';
const openPartition = (status: 'queued' | 'running') => `EXPORT#${status}`;

export function exportKey(tenantId: string, id: string): { pk: string; sk: string } {
  return { pk: `${tenantId}#EXPORT#${id}`, sk: EXPORT_SK };
}

/**
 * A user's export slots: one item whose string set `jobs` holds `id|createdAt` of each unfinished
 * export. A claim adds to it with a condition on its size (atomic, so concurrent requests cannot
 * both take the last slot); a transition to succeeded or failed removes the job's member.
 */
export function exportSlotsKey(tenantId: string, userId: string): { pk: string; sk: string } {
  return { pk: `${tenantId}#EXPORTSLOTS#${userId}`, sk: 'SLOTS' };
}

/**
 * A user's own exports, newest first (`GET /v1/exports`): one small item per export they asked
 * for, written with the job in one transaction, pk `${tenant}#MYEXPORTS#${userId}`, sk
 * `${createdAt}#${id}`, carrying the job's id and its TTL. The partition names the tenant and the
 * requester, so a listing can only ever reach the caller's own jobs. Scheduled report runs are
 * not listed (nobody asked for them on the page; they arrive by e-mail).
 */
export function exportHistoryKey(tenantId: string, userId: string, sk: string): { pk: string; sk: string } {
  return { pk: exportHistoryPartition(tenantId, userId), sk };
}
const exportHistoryPartition = (tenantId: string, userId: string) => `${tenantId}#MYEXPORTS#${userId}`;
const historySortKey = (job: Pick<ExportJob, 'id' | 'createdAt'>) => `${job.createdAt}#${job.id}`;
const HISTORY_SORT_KEY = /^\d{4}-\d{2}-\d{2}T[0-9:.]+Z#[A-Za-z0-9._:-]{1,128}$/;

const TERMINAL: ReadonlySet<string> = new Set(['succeeded', 'failed']);
/** A claimed slot whose job was never stored is freed after this long (a request that died). */
const UNSTORED_GRACE_SECONDS = 120;
const slotMember = (job: Pick<ExportJob, 'id' | 'createdAt'>) => `${job.id}|${job.createdAt}`;

function mapError(err: unknown): never {
  throw toDomainError(err, 'The export store');
}

export interface DynamoExportStoreOptions {
  tableName: string;
  /** Epoch seconds, for TTLs and the grace of unstored slots. */
  nowEpochSeconds?: () => number;
}

export class DynamoExportStore implements ExportStore, ExportHistory {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly options: DynamoExportStoreOptions,
  ) {}

  private nowEpochSeconds(): number {
    return this.options.nowEpochSeconds?.() ?? Math.floor(Date.now() / 1000);
  }

  async create(job: ExportJob, expiresAt: number): Promise<void> {
    const put = {
      TableName: this.options.tableName,
      Item: {
        ...exportKey(job.tenantId, job.id),
        ...job,
        ...(job.status === 'queued' ? { dp: openPartition('queued'), nextRunAt: job.createdAt } : {}),
        [TTL_ATTRIBUTE]: expiresAt,
      },
      ConditionExpression: 'attribute_not_exists(pk)',
    };
    try {
      if (job.source === 'scheduled_job') {
        await this.client.send(new PutCommand(put));
        return;
      }
      // The job and its line in the requester's list, both or neither.
      await this.client.send(
        new TransactWriteCommand({
          TransactItems: [
            { Put: put },
            {
              Put: {
                TableName: this.options.tableName,
                Item: {
                  ...exportHistoryKey(job.tenantId, job.requester.userId, historySortKey(job)),
                  id: job.id,
                  [TTL_ATTRIBUTE]: expiresAt,
                },
              },
            },
          ],
        }),
      );
    } catch (err) {
      if (isConditionFailure(err) || failedConditions(err).includes(0))
        throw new DuplicateError('An export with this id already exists.');
      mapError(err);
    }
  }

  async listByRequester(
    tenantId: string,
    userId: string,
    limit: number,
    after?: string,
  ): Promise<{ jobs: ExportJob[]; last?: string }> {
    const now = this.nowEpochSeconds();
    const pk = exportHistoryPartition(tenantId, userId);
    let refs: { sk: string; id: string }[] = [];
    let last: string | undefined;
    try {
      // One more than asked: whether another page follows, without an empty last page.
      const out = await this.client.send(
        new QueryCommand({
          TableName: this.options.tableName,
          KeyConditionExpression: 'pk = :pk',
          ExpressionAttributeValues: { ':pk': pk },
          ScanIndexForward: false,
          Limit: limit + 1,
          ...(after && HISTORY_SORT_KEY.test(after) ? { ExclusiveStartKey: { pk, sk: after } } : {}),
        }),
      );
      const items = out.Items ?? [];
      const pageItems = items.slice(0, limit);
      if (items.length > limit) last = String(pageItems[pageItems.length - 1]?.sk);
      refs = pageItems
        .filter((i) => typeof i.sk === 'string' && typeof i.id === 'string')
        .filter((i) => !(typeof i[TTL_ATTRIBUTE] === 'number' && i[TTL_ATTRIBUTE] <= now))
        .map((i) => ({ sk: i.sk as string, id: i.id as string }));
    } catch (err) {
      mapError(err);
    }
    const jobs = await this.getMany(
      tenantId,
      refs.map((r) => r.id),
    );
    const listed = refs
      .map((r) => jobs.get(r.id))
      // The job itself must be this tenant's and this requester's: a line never shows another's.
      .filter((j): j is ExportJob => j !== undefined && j.requester.userId === userId);
    return { jobs: listed, ...(last ? { last } : {}) };
  }

  /** Jobs by id with BatchGetItem (consistent, as `get`), leaving out forgotten and foreign ones. */
  private async getMany(tenantId: string, ids: readonly string[]): Promise<Map<string, ExportJob>> {
    const out = new Map<string, ExportJob>();
    const now = this.nowEpochSeconds();
    const keys = ids.map((id) => exportKey(tenantId, id));
    try {
      await batchGetAll(
        this.client,
        this.options.tableName,
        keys,
        { busy: 'The export store is busy; retry the request.', consistentRead: true },
        (item) => {
          const ttl = item[TTL_ATTRIBUTE];
          if (typeof ttl === 'number' && ttl <= now) return;
          const parsed = exportJobSchema.safeParse(item);
          if (parsed.success && parsed.data.tenantId === tenantId) out.set(parsed.data.id, parsed.data);
        },
      );
    } catch (err) {
      mapError(err);
    }
    return out;
  }

  async claimSlot(job: ExportJob, max: number): Promise<boolean> {
    const key = exportSlotsKey(job.tenantId, job.requester.userId);
    const claim = async () => {
      try {
        await this.client.send(
          new UpdateCommand({
            TableName: this.options.tableName,
            Key: key,
            UpdateExpression: 'ADD #jobs :member SET #ttl = :ttl',
            ConditionExpression: 'attribute_not_exists(#jobs) OR size(#jobs) < :max',
            ExpressionAttributeNames: { '#jobs': 'jobs', '#ttl': TTL_ATTRIBUTE },
            ExpressionAttributeValues: {
              ':member': new Set([slotMember(job)]),
              ':max': max,
              // The item outlives any job it lists (jobs are forgotten 8 days after creation at most).
              ':ttl': this.nowEpochSeconds() + 40 * 86_400,
            },
          }),
        );
        return true;
      } catch (err) {
        if (isConditionFailure(err)) return false;
        mapError(err);
      }
    };
    if (await claim()) return true;
    // All slots held: free those whose job has ended (a release that did not happen) or was
    // never stored, then try once more. Job states are the truth; the set only makes it cheap.
    return (await this.freeStaleSlots(job.tenantId, job.requester.userId)) ? claim() : false;
  }

  private async freeStaleSlots(tenantId: string, userId: string): Promise<boolean> {
    const key = exportSlotsKey(tenantId, userId);
    try {
      const out = await this.client.send(
        new GetCommand({ TableName: this.options.tableName, Key: key, ConsistentRead: true }),
      );
      const members = [...((out.Item?.jobs as Set<string> | undefined) ?? [])];
      const stale: string[] = [];
      for (const member of members) {
        const [id = '', createdAt = ''] = member.split('|');
        const job = await this.get(tenantId, id);
        const unstored =
          !job && Date.parse(createdAt) / 1000 < this.nowEpochSeconds() - UNSTORED_GRACE_SECONDS;
        if (unstored || (job && TERMINAL.has(job.status))) stale.push(member);
      }
      if (stale.length === 0) return false;
      await this.release(key, stale);
      return true;
    } catch (err) {
      // Domain errors (a throttled or failed read of a job) pass through the mapper unchanged.
      mapError(err);
    }
  }

  private async release(key: { pk: string; sk: string }, members: string[]): Promise<void> {
    await this.client.send(
      new UpdateCommand({
        TableName: this.options.tableName,
        Key: key,
        UpdateExpression: 'DELETE #jobs :members',
        ExpressionAttributeNames: { '#jobs': 'jobs' },
        ExpressionAttributeValues: { ':members': new Set(members) },
      }),
    );
  }

  async get(tenantId: string, id: string): Promise<ExportJob | null> {
    let item: Record<string, unknown> | undefined;
    try {
      const out = await this.client.send(
        new GetCommand({
          TableName: this.options.tableName,
          Key: exportKey(tenantId, id),
          ConsistentRead: true,
        }),
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
      const out = await this.client.send(
        new UpdateCommand({
          TableName: this.options.tableName,
          Key: exportKey(tenantId, id),
          UpdateExpression: `SET ${sets.join(', ')}${removes}`,
          ConditionExpression: condition.expression,
          ExpressionAttributeNames: { ...expr.names, ...condition.names },
          ExpressionAttributeValues: { ...expr.values, ...condition.values },
          ReturnValues: TERMINAL.has(to) ? 'ALL_NEW' : 'NONE',
        }),
      );
      const job = exportJobSchema.safeParse(out.Attributes ?? null);
      if (TERMINAL.has(to) && job.success) {
        // The job ended: its requester's slot is free. Should this fail, the next claim that
        // finds every slot held frees it (freeStaleSlots).
        await this.release(exportSlotsKey(tenantId, job.data.requester.userId), [slotMember(job.data)]).catch(
          (error: unknown) =>
            logger.warn('could not release an export slot', { exportId: id, error: error as Error }),
        );
      }
      return true;
    } catch (err) {
      if (isConditionFailure(err)) return false;
      mapError(err);
    }
  }
}

/** The export sweeper's view of the open jobs, through the sparse `byDue` index. */
export class DynamoOpenExports implements OpenExports {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly options: { tableName: string },
  ) {}

  async listOpen(status: 'queued' | 'running', before: Date, limit: number): Promise<OpenExportRef[]> {
    const out: OpenExportRef[] = [];
    try {
      const items = queryItems(
        this.client,
        {
          TableName: this.options.tableName,
          IndexName: DUE_INDEX,
          KeyConditionExpression: 'dp = :dp AND nextRunAt < :before',
          ExpressionAttributeValues: { ':dp': openPartition(status), ':before': before.toISOString() },
          ProjectionExpression: 'pk, tenantId',
        },
        Math.min(limit, 100),
      );
      for await (const item of items) {
        const tenantId = item.tenantId;
        const pk = item.pk;
        const prefix = `${tenantId}#EXPORT#`;
        if (typeof tenantId !== 'string' || typeof pk !== 'string' || !pk.startsWith(prefix)) continue;
        out.push({ tenantId, id: pk.slice(prefix.length) });
        if (out.length >= limit) return out;
      }
    } catch (err) {
      mapError(err);
    }
    return out;
  }
}

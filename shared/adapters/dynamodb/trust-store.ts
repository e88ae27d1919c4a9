import {
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  paginateQuery,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { ConflictError, NotFoundError } from '../../domain/errors.ts';
import {
  type ErasureRecord,
  type ErasureTask,
  erasureRecordSchema,
  erasureResumeAt,
} from '../../domain/trust/erasure.ts';
import { type LegalHold, legalHoldSchema } from '../../domain/trust/holds.ts';
import { type ExpiryJob, expiryJobSchema } from '../../domain/trust/jobs.ts';
import type { RetentionMonths, TrustLog } from '../../domain/trust/retention.ts';
import type { TrustReader, TrustState } from '../../domain/trust/visibility.ts';
import { isConditionFailure, toDomainError } from './errors.ts';
import { STATE_TABLE, TTL_ATTRIBUTE } from './tables.ts';

/**
 * A tenant's legal holds, retention setting, expiry jobs and erasures in the state table, all under
 * pk `TRUST#tenant`: `HOLD#id` (one per hold, kept when released), `RETENTION` (the tenant's months,
 * absent until first set, and the latest retention job of each log), `XJOB#id` (expiry jobs;
 * while running they sit in the sparse `byDue` index as `dp` = `EXPIRY#running`, `nextRunAt` =
 * their last checkpoint, so the resumer finds stalled ones with one Query) and `ERASURE#id`
 * (erasures; while pending, `dp` = `ERASURE#pending`, `nextRunAt` = erasureResumeAt). One Query
 * with `sk BETWEEN HOLD# AND RETENTION` reads what every read and ingest applies.
 */
const DUE_INDEX = STATE_TABLE.indexes.find((i) => i.name === 'byDue')?.name ?? 'byDue';
export const RUNNING_JOBS = 'EXPIRY#running';
export const PENDING_ERASURES = 'ERASURE#pending';

/**
 * The sparse `byDue` attributes of a job the resumer may pick up: its kind (`dp`), when it is due
 * (`nextRunAt`), and the tenant and id it projects (the index's `reportId` names any job's id).
 */
const dueEntry = (kind: string, at: string, tenantId: string, id: string) => ({
  dp: kind,
  nextRunAt: at,
  tenantId,
  reportId: id,
});
/** Finished jobs stay readable (retention progress) for this long. */
const DONE_JOB_DAYS = 90;

const pk = (tenantId: string) => `TRUST#${tenantId}`;

export interface StoredRetention {
  auditMonths?: number;
  activityMonths?: number;
  updatedAt?: string;
  /** The latest job each log's retention change started. */
  jobs?: Partial<Record<TrustLog, string>>;
}

function fail(err: unknown): never {
  throw toDomainError(err, 'The settings store');
}

export interface DynamoTrustStoreOptions {
  tableName: string;
}

export class DynamoTrustStore {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly options: DynamoTrustStoreOptions,
  ) {}

  /** Holds (active and released) and the stored retention of a tenant: one consistent Query. */
  async load(tenantId: string): Promise<{ holds: LegalHold[]; retention: StoredRetention }> {
    const holds: LegalHold[] = [];
    let retention: StoredRetention = {};
    try {
      const pages = paginateQuery(
        { client: this.client },
        {
          TableName: this.options.tableName,
          KeyConditionExpression: '#pk = :pk AND #sk BETWEEN :lo AND :hi',
          ExpressionAttributeNames: { '#pk': 'pk', '#sk': 'sk' },
          ExpressionAttributeValues: { ':pk': pk(tenantId), ':lo': 'HOLD#', ':hi': 'RETENTION' },
          ConsistentRead: true,
        },
      );
      for await (const page of pages) {
        for (const item of page.Items ?? []) {
          if (item.sk === 'RETENTION') retention = item.r as StoredRetention;
          else if (String(item.sk).startsWith('HOLD#')) holds.push(legalHoldSchema.parse(item.h));
        }
      }
    } catch (err) {
      fail(err);
    }
    holds.sort((a, b) => (a.createdAt < b.createdAt ? 1 : a.createdAt > b.createdAt ? -1 : 0));
    return { holds, retention };
  }

  async putRetention(tenantId: string, retention: StoredRetention): Promise<void> {
    try {
      await this.client.send(
        new PutCommand({
          TableName: this.options.tableName,
          Item: { pk: pk(tenantId), sk: 'RETENTION', r: retention },
        }),
      );
    } catch (err) {
      fail(err);
    }
  }

  async createHold(tenantId: string, hold: LegalHold): Promise<void> {
    try {
      await this.client.send(
        new PutCommand({
          TableName: this.options.tableName,
          Item: { pk: pk(tenantId), sk: `HOLD#${hold.id}`, h: hold },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
    } catch (err) {
      fail(err);
    }
  }

  /** Active → released, under a condition on the status; 404 unknown, 409 already released. */
  async releaseHold(tenantId: string, id: string, at: string, by: string): Promise<LegalHold> {
    try {
      const out = await this.client.send(
        new UpdateCommand({
          TableName: this.options.tableName,
          Key: { pk: pk(tenantId), sk: `HOLD#${id}` },
          UpdateExpression: 'SET #h.#status = :released, #h.#at = :at, #h.#by = :by',
          ConditionExpression: 'attribute_exists(pk) AND #h.#status = :active',
          ExpressionAttributeNames: {
            '#h': 'h',
            '#status': 'status',
            '#at': 'releasedAt',
            '#by': 'releasedBy',
          },
          ExpressionAttributeValues: { ':released': 'released', ':active': 'active', ':at': at, ':by': by },
          ReturnValues: 'ALL_NEW',
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
        }),
      );
      return legalHoldSchema.parse(out.Attributes?.h);
    } catch (err) {
      if (isConditionFailure(err)) {
        const old = (err as { Item?: Record<string, unknown> }).Item;
        if (old) throw new ConflictError('This legal hold is already released.');
        throw new NotFoundError('No legal hold with this id.');
      }
      fail(err);
    }
  }

  async putJob(job: ExpiryJob): Promise<void> {
    const running = job.status === 'running';
    try {
      await this.client.send(
        new PutCommand({
          TableName: this.options.tableName,
          Item: {
            pk: pk(job.tenantId),
            sk: `XJOB#${job.id}`,
            j: job,
            ...(running
              ? dueEntry(RUNNING_JOBS, job.updatedAt, job.tenantId, job.id)
              : { [TTL_ATTRIBUTE]: Math.floor(Date.parse(job.updatedAt) / 1000) + DONE_JOB_DAYS * 86_400 }),
          },
        }),
      );
    } catch (err) {
      fail(err);
    }
  }

  async getJob(tenantId: string, id: string): Promise<ExpiryJob | null> {
    try {
      const out = await this.client.send(
        new GetCommand({
          TableName: this.options.tableName,
          Key: { pk: pk(tenantId), sk: `XJOB#${id}` },
          ConsistentRead: true,
        }),
      );
      return out.Item ? expiryJobSchema.parse(out.Item.j) : null;
    } catch (err) {
      fail(err);
    }
  }

  /** An erasure (`ERASURE#id`, outside the HOLD#…RETENTION range every read loads). */
  async putErasure(record: ErasureRecord, previousUpdatedAt?: string): Promise<boolean> {
    const resumeAt = erasureResumeAt(record);
    try {
      await this.client.send(
        new PutCommand({
          TableName: this.options.tableName,
          Item: {
            pk: pk(record.tenantId),
            sk: `ERASURE#${record.id}`,
            j: record,
            ...(resumeAt === null ? {} : dueEntry(PENDING_ERASURES, resumeAt, record.tenantId, record.id)),
          },
          ...(previousUpdatedAt === undefined
            ? {}
            : {
                ConditionExpression: '#j.#u = :u',
                ExpressionAttributeNames: { '#j': 'j', '#u': 'updatedAt' },
                ExpressionAttributeValues: { ':u': previousUpdatedAt },
              }),
        }),
      );
      return true;
    } catch (err) {
      if (previousUpdatedAt !== undefined && isConditionFailure(err)) return false;
      fail(err);
    }
  }

  async getErasure(tenantId: string, id: string): Promise<ErasureRecord | null> {
    try {
      const out = await this.client.send(
        new GetCommand({
          TableName: this.options.tableName,
          Key: { pk: pk(tenantId), sk: `ERASURE#${id}` },
          ConsistentRead: true,
        }),
      );
      return out.Item ? erasureRecordSchema.parse(out.Item.j) : null;
    } catch (err) {
      fail(err);
    }
  }

  /** Every erasure of a person in the tenant: one Query on `ERASURE#…`, filtered on the person. */
  async erasuresOf(tenantId: string, personId: string): Promise<ErasureRecord[]> {
    const out: ErasureRecord[] = [];
    try {
      const pages = paginateQuery(
        { client: this.client },
        {
          TableName: this.options.tableName,
          KeyConditionExpression: '#pk = :pk AND begins_with(#sk, :erasure)',
          FilterExpression: '#j.#person = :person',
          ExpressionAttributeNames: { '#pk': 'pk', '#sk': 'sk', '#j': 'j', '#person': 'personId' },
          ExpressionAttributeValues: { ':pk': pk(tenantId), ':erasure': 'ERASURE#', ':person': personId },
          ConsistentRead: true,
        },
      );
      for await (const page of pages) {
        for (const item of page.Items ?? []) out.push(erasureRecordSchema.parse(item.j));
      }
    } catch (err) {
      fail(err);
    }
    return out;
  }

  /** Running jobs whose last checkpoint is before `before` (ISO): the resumer re-queues them. */
  async stalledJobs(before: string): Promise<{ tenantId: string; jobId: string }[]> {
    return (await this.stalled(RUNNING_JOBS, before)).map(({ tenantId, id }) => ({ tenantId, jobId: id }));
  }

  /** Pending erasures whose resume time (erasureResumeAt) is before `before` (ISO). */
  async stalledErasures(before: string): Promise<ErasureTask[]> {
    return (await this.stalled(PENDING_ERASURES, before)).map(({ tenantId, id }) => ({
      tenantId,
      erasureId: id,
    }));
  }

  /** One Query on the sparse `byDue` index: the items of `dp` due before `before`. */
  private async stalled(dp: string, before: string): Promise<{ tenantId: string; id: string }[]> {
    const out: { tenantId: string; id: string }[] = [];
    try {
      const pages = paginateQuery(
        { client: this.client },
        {
          TableName: this.options.tableName,
          IndexName: DUE_INDEX,
          KeyConditionExpression: '#dp = :dp AND #at < :before',
          ExpressionAttributeNames: { '#dp': 'dp', '#at': 'nextRunAt' },
          ExpressionAttributeValues: { ':dp': dp, ':before': before },
        },
      );
      for await (const page of pages) {
        for (const item of page.Items ?? [])
          out.push({ tenantId: String(item.tenantId), id: String(item.reportId) });
      }
    } catch (err) {
      fail(err);
    }
    return out;
  }
}

/**
 * The trust state as reads and ingest apply it, cached per tenant for `ttlMs` (a hold or a setting
 * changed by another process is seen within that time; this process's own changes at once).
 * Defaults: the deployment's months for a tenant that never set its own.
 */
export class CachedTrustReader implements TrustReader {
  private readonly cache = new Map<string, { at: number; state: Promise<TrustState> }>();
  constructor(
    private readonly store: Pick<DynamoTrustStore, 'load'>,
    private readonly defaults: RetentionMonths,
    private readonly ttlMs = TRUST_CACHE_SECONDS * 1000,
    private readonly now: () => number = Date.now,
  ) {
    readers.add(this);
  }

  state(tenantId: string): Promise<TrustState> {
    const hit = this.cache.get(tenantId);
    if (hit && this.now() - hit.at < this.ttlMs) return hit.state;
    const state = this.store.load(tenantId).then(({ holds, retention }) => ({
      retention: {
        auditMonths: retention.auditMonths ?? this.defaults.auditMonths,
        activityMonths: retention.activityMonths ?? this.defaults.activityMonths,
      },
      holds: holds.filter((h) => h.status === 'active'),
    }));
    state.catch(() => this.cache.delete(tenantId));
    if (this.cache.size > 1000) this.cache.clear();
    this.cache.set(tenantId, { at: this.now(), state });
    return state;
  }

  forget(tenantId: string): void {
    this.cache.delete(tenantId);
  }
}

/** How long a process may apply a tenant's holds and retention after they changed elsewhere. */
export const TRUST_CACHE_SECONDS = 10;

const readers = new Set<CachedTrustReader>();

/** Drops a tenant's cached state in every reader of this process (after this process changed it). */
export function forgetTrustState(tenantId: string): void {
  for (const r of readers) r.forget(tenantId);
}

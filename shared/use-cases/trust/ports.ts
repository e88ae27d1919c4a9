import type { ErasureRecord, ErasureStream, ErasureTask } from '../../domain/trust/erasure.ts';
import type { ExpiryTask } from '../../domain/trust/jobs.ts';
import type { TrustLog } from '../../domain/trust/retention.ts';

/** The queue of expiry jobs (SQS in AWS, in process locally), as the trust use cases see it. */
export interface ExpiryQueue {
  /** Hands a job on to the expiry worker, after `delaySeconds` when given. */
  enqueue(task: ExpiryTask, delaySeconds?: number): Promise<void>;
}

/** The queue of erasure steps (SQS in AWS, in process locally). */
export interface ErasureQueue {
  enqueue(task: ErasureTask, delaySeconds?: number): Promise<void>;
}

/** Erasure records (the state table). */
export interface ErasureStore {
  /**
   * Stores the record. With `previousUpdatedAt`, only over the record as it was then (optimistic
   * locking: two copies of one step, a redelivered or re-queued message, never both write):
   * false when the stored record moved on meanwhile, and nothing is written.
   */
  putErasure(record: ErasureRecord, previousUpdatedAt?: string): Promise<boolean>;
  getErasure(tenantId: string, id: string): Promise<ErasureRecord | null>;
  /** Every erasure of the person in the tenant (a few at most). */
  erasuresOf(tenantId: string, personId: string): Promise<ErasureRecord[]>;
}

/** One page of a person's audit entries, as the erasure walks them. */
export interface ErasurePage {
  /** Entries changed in this page (commitments written, helpers removed). */
  changed: number;
  /** Where the next page starts; undefined: this stream (or shard) is done. */
  after?: Record<string, unknown>;
}

/** What an erasure needs of the logs, the directory and the key store. */
export interface ErasureTargets {
  shards(tenantId: string): number;
  /** The version of the person's current data key, or null when they have none. */
  keyVersion(tenantId: string, personId: string): Promise<string | null>;
  /** Retires that version of the person's key (readable still; writers get a new one). Idempotent. */
  retireKey(tenantId: string, personId: string, version: string): Promise<void>;
  /**
   * Erases the person's fields in one page of one stream (idempotent per entry), in entries
   * erasureCovers (domain/trust/erasure.ts) for `versions`.
   */
  auditPage(
    tenantId: string,
    personId: string,
    versions: readonly string[] | undefined,
    stream: ErasureStream,
    shard: number,
    after: Record<string, unknown> | undefined,
  ): Promise<ErasurePage>;
  /** Counts the person's activity entries (one page). */
  activityPage(
    tenantId: string,
    personId: string,
    after: Record<string, unknown> | undefined,
  ): Promise<{ count: number; after?: Record<string, unknown> }>;
  /** Deletes the retired version of the person's key (undefined: their current key, older jobs). */
  destroyKey(tenantId: string, personId: string, version: string | undefined): Promise<void>;
  /** Replaces the person's directory record by a tombstone whose name reads "[erased]". */
  tombstone(tenantId: string, personId: string): Promise<void>;
  /** Seconds a warm process may keep using a retired or deleted key from its cache. */
  readonly keyCacheSeconds: number;
}

/** One stored entry as an expiry job sees it. */
export interface ExpiryEntry {
  pk: string;
  occurredAt: string;
  /** Absent while held. */
  ttl?: number;
  persons: (string | undefined)[];
}

export interface ExpiryPage {
  entries: ExpiryEntry[];
  /** Where the next page of this shard starts; undefined: the shard is done. */
  after?: Record<string, unknown>;
}

/** What expiry jobs need of the log tables: walk a tenant oldest first, set one entry's expiry. */
export interface LogExpiryPort {
  shards(tenantId: string): number;
  page(
    log: TrustLog,
    tenantId: string,
    shard: number,
    after: Record<string, unknown> | undefined,
    limit: number,
  ): Promise<ExpiryPage>;
  /** `held`: the TTL removed (the expiry kept in `rx`); else `ttl` set and `rx` removed. */
  setExpiry(log: TrustLog, pk: string, expiry: number, held: boolean): Promise<void>;
}

// What the audit use cases need from storage; the DynamoDB adapter and test fakes implement it.

import type { AuditFilters } from '../../domain/audit/filters.ts';
import type { PersonKey } from '../../domain/audit/personal.ts';
import type { AuditEntry, AuditListItem } from '../../domain/audit/schema.ts';
import type { Visibility } from '../../domain/trust/visibility.ts';
import type { LogStorePage, LogStoreQuery } from '../logs/ports.ts';

export interface AuditEventWriter {
  /**
   * Writes the entry unless its (tenant, id) is already stored. Never overwrites. A `held` entry
   * (an active legal hold covers it) is stored without the TTL attribute, its expiry kept apart.
   */
  put(entry: AuditEntry, expiresAtEpochSeconds: number, held?: boolean): Promise<'created' | 'duplicate'>;
}

export interface AuditStoreQuery extends LogStoreQuery {
  filters: AuditFilters;
}

export interface AuditStorePage extends LogStorePage<AuditListItem> {
  /** The index the planner chose. */
  index: string;
}

export interface AuditEventReader {
  query(q: AuditStoreQuery): Promise<AuditStorePage>;
  /** The entry, or null when unknown, another tenant's, or past retention. */
  get(
    tenantId: string,
    id: string,
    nowEpochSeconds: number,
    visibility?: Visibility,
  ): Promise<AuditEntry | null>;
  /** The full entries (with changes and details) of list items, in the same order. */
  hydrate(tenantId: string, items: readonly AuditListItem[]): Promise<AuditEntry[]>;
}

export type AuditEventStore = AuditEventWriter & AuditEventReader;

export type { Clock } from '../../domain/time.ts';

/**
 * Each person's data key (domain/audit/personal.ts): envelope encryption under KMS in AWS, a
 * master key file locally; unwrapped keys cached per process for at most KEY_CACHE_SECONDS.
 */
export interface PersonKeys {
  /** The person's current key, made on first use (a new version after an erasure). */
  current(tenantId: string, personId: string): Promise<PersonKey>;
  /**
   * What `current` would answer, when the process holds it already (no I/O, synchronous), else
   * undefined. Optional: a fast path, never a different answer.
   */
  peek?(tenantId: string, personId: string): PersonKey | undefined;
  /** The key of that version (current or retired), or null when it is gone (the person was erased). */
  find(tenantId: string, personId: string, version: string): Promise<Buffer | null>;
  /** The version of the person's current key, or null when they have none (never made one). */
  version(tenantId: string, personId: string): Promise<string | null>;
  /**
   * Retires that version when it is still the current one (an erasure's first step): it stays
   * readable by `find`, and `current` makes a new version from then on. Idempotent.
   */
  retire(tenantId: string, personId: string, version: string): Promise<void>;
  /**
   * Deletes a retired version for good (an erasure, after its walk); without a version, the
   * current key (erasures requested before retirement existed). A no-op when there is none.
   */
  destroy(tenantId: string, personId: string, version?: string): Promise<void>;
  /** How long a process may keep using a key after it was destroyed elsewhere, in seconds. */
  readonly cacheSeconds: number;
}

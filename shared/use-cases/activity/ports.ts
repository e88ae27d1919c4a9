import type { ActivityCriteria } from '../../domain/activity/criteria.ts';
import type { IngestStatus, StoredActivity } from '../../domain/activity/event.ts';
import type { Visibility } from '../../domain/trust/visibility.ts';
import type { DirectoryReader } from '../directory/ports.ts';

export type { DirectoryReader };

/** The activity log's storage, as the use cases see it. */
export interface ActivityWriter {
  /** Conditional put: `duplicate` when the id is already stored for the tenant; never overwrites. */
  /** `held`: a legal hold covers the entry, so it is stored without a TTL (its expiry kept in `rx`). */
  put(entry: StoredActivity, ttl: number, held?: boolean): Promise<IngestStatus>;
}

export interface ActivityStoreQuery {
  tenantId: string;
  criteria: ActivityCriteria;
  from: string;
  to: string;
  order: 'asc' | 'desc';
  limit: number;
  /** Position (`occurredAt#id`) of the last entry already returned. */
  after?: string;
  nowEpochSeconds: number;
  /** How many people the tenant's directory knows: a planner hint. */
  population?: number;
  /** The tenant's retention and holds; absent: the TTL alone decides. */
  visibility?: Visibility;
}

export interface ActivityPage {
  items: StoredActivity[];
  nextPosition: string | null;
  /** Items DynamoDB read (ScannedCount), the cost figure. */
  scanned: number;
  /** The index the planner chose, and how many key streams it merged. */
  plan: { index: string; streams: number };
}

export interface ActivityReader {
  query(q: ActivityStoreQuery): Promise<ActivityPage>;
}

export type ActivityStore = ActivityWriter & ActivityReader;

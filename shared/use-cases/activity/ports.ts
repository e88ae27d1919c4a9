import type { ActivityCriteria } from '../../domain/activity/criteria.ts';
import type { IngestStatus, StoredActivity } from '../../domain/activity/event.ts';
import type { DirectoryReader } from '../directory/ports.ts';
import type { LogStorePage, LogStoreQuery } from '../logs/ports.ts';

export type { DirectoryReader };

/** The activity log's storage, as the use cases see it. */
export interface ActivityWriter {
  /** Conditional put: `duplicate` when the id is already stored for the tenant; never overwrites. */
  /** `held`: a legal hold covers the entry, so it is stored without a TTL (its expiry kept in `rx`). */
  put(entry: StoredActivity, ttl: number, held?: boolean): Promise<IngestStatus>;
}

export interface ActivityStoreQuery extends LogStoreQuery {
  criteria: ActivityCriteria;
  /** How many people the tenant's directory knows: a planner hint. */
  population?: number;
}

export interface ActivityPage extends LogStorePage<StoredActivity> {
  /** The index the planner chose, and how many key streams it merged. */
  plan: { index: string; streams: number };
}

export interface ActivityReader {
  query(q: ActivityStoreQuery): Promise<ActivityPage>;
}

export type ActivityStore = ActivityWriter & ActivityReader;

// What both logs' stores are asked and answer (audit/ports.ts and activity/ports.ts extend it):
// one tenant's entries in a time window, in order, a page after a position, as of a moment.

import type { Visibility } from '../../domain/trust/visibility.ts';

export interface LogStoreQuery {
  tenantId: string;
  /** ISO; inclusive. */
  from: string;
  /** ISO; exclusive. */
  to: string;
  order: 'asc' | 'desc';
  limit: number;
  /** Position (`occurredAt#id`) of the last item already returned. */
  after?: string;
  nowEpochSeconds: number;
  /** The tenant's retention and holds; absent: the TTL alone decides. */
  visibility?: Visibility;
}

export interface LogStorePage<Item> {
  items: Item[];
  /** Position of the last item when more may follow, else null. */
  nextPosition: string | null;
  /** Items the store read to answer (DynamoDB ScannedCount), the cost figure. */
  scanned: number;
}

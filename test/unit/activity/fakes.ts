import { matchesCriteria } from '../../../shared/domain/activity/criteria.ts';
import type { IngestStatus, StoredActivity } from '../../../shared/domain/activity/event.ts';
import type { DirectorySnapshot } from '../../../shared/domain/directory/snapshot.ts';
import type {
  ActivityPage,
  ActivityStore,
  ActivityStoreQuery,
} from '../../../shared/use-cases/activity/ports.ts';

/** An in-memory activity store with the real store's semantics (conditional put, ordered pages). */
export class FakeActivityStore implements ActivityStore {
  readonly items = new Map<string, { entry: StoredActivity; ttl: number }>();
  queries: ActivityStoreQuery[] = [];
  failWith?: Error;

  async put(entry: StoredActivity, ttl: number): Promise<IngestStatus> {
    if (this.failWith) throw this.failWith;
    const key = `${entry.tenantId}#${entry.id}`;
    if (this.items.has(key)) return 'duplicate';
    this.items.set(key, { entry, ttl });
    return 'created';
  }

  async query(q: ActivityStoreQuery): Promise<ActivityPage> {
    this.queries.push(q);
    const pos = (e: StoredActivity) => `${e.occurredAt}#${e.id}`;
    const desc = q.order === 'desc';
    const all = [...this.items.values()]
      .filter(({ entry: e, ttl }) => e.tenantId === q.tenantId && ttl >= q.nowEpochSeconds)
      .map(({ entry }) => entry)
      .filter((e) => pos(e) >= q.from && pos(e) <= q.to && matchesCriteria(e, q.criteria))
      .filter((e) => !q.after || (desc ? pos(e) < q.after : pos(e) > q.after))
      .sort((a, b) => (pos(a) < pos(b) ? -1 : 1));
    if (desc) all.reverse();
    const items = all.slice(0, q.limit);
    const more = all.length > q.limit;
    return {
      items,
      nextPosition: more ? pos(items[items.length - 1]!) : null,
      scanned: items.length,
      plan: { index: 'byTime', streams: 1 },
    };
  }
}

export const fixedDirectory = (snapshot: DirectorySnapshot) => ({ snapshot: async () => snapshot });

import type { AuditEntry, AuditListItem } from '../../../shared/domain/audit/schema.ts';
import type {
  AuditEventStore,
  AuditStorePage,
  AuditStoreQuery,
} from '../../../shared/use-cases/audit/ports.ts';

/**
 * An in-memory audit store for use-case tests: conditional puts by (tenant, id), and a query
 * that applies the window, order, position and limit (filters are the adapter's concern and are
 * tested against DynamoDB Local).
 */
export class InMemoryAuditStore implements AuditEventStore {
  readonly entries = new Map<string, { entry: AuditEntry; ttl: number }>();
  readonly queries: AuditStoreQuery[] = [];
  putCalls = 0;
  inFlight = 0;
  maxInFlight = 0;
  failWith?: (entry: AuditEntry) => Error | undefined;

  async put(entry: AuditEntry, ttl: number): Promise<'created' | 'duplicate'> {
    this.putCalls++;
    this.inFlight++;
    this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
    try {
      await new Promise((r) => setTimeout(r, 1));
      const err = this.failWith?.(entry);
      if (err) throw err;
      const key = `${entry.tenantId}#${entry.id}`;
      if (this.entries.has(key)) return 'duplicate';
      this.entries.set(key, { entry: structuredClone(entry), ttl });
      return 'created';
    } finally {
      this.inFlight--;
    }
  }

  async get(tenantId: string, id: string, now: number): Promise<AuditEntry | null> {
    const found = this.entries.get(`${tenantId}#${id}`);
    return found && found.ttl >= now ? found.entry : null;
  }

  async hydrate(tenantId: string, items: readonly AuditListItem[]): Promise<AuditEntry[]> {
    return items.map((i) => this.entries.get(`${tenantId}#${i.id}`)!.entry);
  }

  async query(q: AuditStoreQuery): Promise<AuditStorePage> {
    this.queries.push(q);
    const pos = (e: AuditEntry) => `${e.occurredAt}#${e.id}`;
    const all = [...this.entries.values()]
      .filter(({ entry, ttl }) => entry.tenantId === q.tenantId && ttl >= q.nowEpochSeconds)
      .map(({ entry }) => entry)
      .filter((e) => e.occurredAt >= q.from && e.occurredAt < q.to)
      .sort((a, b) => (pos(a) < pos(b) ? -1 : 1));
    if (q.order === 'desc') all.reverse();
    const rest = q.after
      ? all.filter((e) => (q.order === 'desc' ? pos(e) < q.after! : pos(e) > q.after!))
      : all;
    const page = rest.slice(0, q.limit);
    const last = page[page.length - 1];
    return {
      items: page.map(({ changes: _c, details: _d, ...item }) => item),
      nextPosition: rest.length > q.limit && last ? pos(last) : null,
      scanned: page.length,
      index: 'byTime',
    };
  }
}

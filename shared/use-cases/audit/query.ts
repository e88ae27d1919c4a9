import type { AuditFilters } from '../../domain/audit/filters.ts';
import type { AuditEntry, AuditListItem } from '../../domain/audit/schema.ts';
import { canReadAudit, type UserCaller } from '../../domain/caller.ts';
import { BadRequestError, ForbiddenError, NotFoundError } from '../../domain/errors.ts';
import { resolveWindow } from '../../domain/time.ts';
import { type TrustReader, type Visibility, visibilityOf } from '../../domain/trust/visibility.ts';
import { decodeCursor, encodeCursor } from '../../query/cursor.ts';
import { EXPORT_PAGE } from '../../query/merge-planner.ts';
import { itemsWithinBudget, positionOf } from '../../query/page-budget.ts';
import { readAhead } from '../../query/read-ahead.ts';
import type { AuditEventReader, Clock } from './ports.ts';

export interface QueryAuditDeps {
  store: AuditEventReader;
  clock: Clock;
  retentionMonths: number;
  /** Each tenant's retention and legal holds; absent: the deployment's months, no holds. */
  trust?: TrustReader;
  /** The HMAC key for cursors. */
  signingKey: () => Promise<Uint8Array>;
}

export interface AuditPage {
  items: AuditListItem[];
  nextCursor: string | null;
  /** Items the store read for this page (for benchmarks); not part of the HTTP answer. */
  scanned: number;
  /** The index the planner chose. */
  index: string;
}

const LIST = 'audit';

/** Owners and admins only; checked before the request is even parsed, so others always get 403. */
export function assertAuditReader(caller: UserCaller): void {
  if (!canReadAudit(caller)) throw new ForbiddenError('Only owners and admins may read the audit log.');
}

interface Window {
  from: string;
  to: string;
}

/** The cursor binds the normalised filters; its position carries the window of page one. */
function binding(caller: UserCaller, filters: AuditFilters) {
  return { tenantId: caller.tenantId, list: LIST, filters: filters as Record<string, unknown> };
}

function decodePosition(raw: string): { after: string; window: Window } {
  const [after, from, to, extra] = raw.split('|');
  if (!after || !from || !to || extra !== undefined) {
    throw new BadRequestError('The cursor is invalid, or belongs to other filters.', [
      { path: 'cursor', message: 'is invalid, altered, or belongs to another tenant or other filters' },
    ]);
  }
  return { after, window: { from, to } };
}

/**
 * One page of the tenant's audit log, newest first unless `order=asc`. Owners and admins only.
 * The window is fixed on the first page and carried in the cursor, so paging is stable.
 */
export async function listAuditEvents(
  deps: QueryAuditDeps,
  caller: UserCaller,
  filters: AuditFilters,
  page: { limit: number; cursor?: string },
): Promise<AuditPage> {
  assertAuditReader(caller);
  const now = deps.clock.now();
  const key = await deps.signingKey();
  let window: Window | undefined;
  let after: string | undefined;
  if (page.cursor) {
    ({ after, window } = decodePosition(decodeCursor(key, binding(caller, filters), page.cursor)));
  }
  const { visibility, months } = await visibilityFor(deps, caller.tenantId, now);
  if (!window) window = resolveWindow(filters, now, months, heldAny(visibility));
  const result = await deps.store.query({
    tenantId: caller.tenantId,
    filters,
    from: window.from,
    to: window.to,
    order: filters.order,
    limit: page.limit,
    after,
    nowEpochSeconds: Math.floor(now.getTime() / 1000),
    visibility,
  });
  // A page whose items would not fit in a Lambda response ends early (page-budget.ts).
  const fit = Math.max(1, itemsWithinBudget(result.items));
  const items = fit < result.items.length ? result.items.slice(0, fit) : result.items;
  const nextPosition = fit < result.items.length ? positionOf(items[fit - 1]!) : result.nextPosition;
  const nextCursor = nextPosition
    ? encodeCursor(key, binding(caller, filters), `${nextPosition}|${window.from}|${window.to}`)
    : null;
  return { items, nextCursor, scanned: result.scanned, index: result.index };
}

/** Whole entries (changes and details) are read this many at a time: one BatchGetItem. */
export const HYDRATE_BATCH = 100;

/**
 * Every matching entry, in order, with changes and details (for exports), read page by page and
 * one page ahead (see read-ahead.ts), so memory stays flat. Pages are the one export page size of
 * both logs (EXPORT_PAGE); a page's list items are made whole HYDRATE_BATCH at a time, the next
 * batch while this one is used, so at most two batches of whole entries are held. The window is
 * fixed when iteration starts.
 */
export async function* iterateAuditEvents(
  deps: QueryAuditDeps,
  caller: UserCaller,
  filters: AuditFilters,
  pageSize = EXPORT_PAGE,
): AsyncGenerator<AuditEntry> {
  assertAuditReader(caller);
  const { visibility, months } = await visibilityFor(deps, caller.tenantId, deps.clock.now());
  const window = resolveWindow(filters, deps.clock.now(), months, heldAny(visibility));
  const read = (after: string | undefined) =>
    deps.store.query({
      visibility: visibility && {
        ...visibility,
        nowEpochSeconds: Math.floor(deps.clock.now().getTime() / 1000),
      },
      tenantId: caller.tenantId,
      filters,
      from: window.from,
      to: window.to,
      order: filters.order,
      limit: pageSize,
      after,
      nowEpochSeconds: Math.floor(deps.clock.now().getTime() / 1000),
    });
  // The next page is queried while this one is hydrated and written, and the next batch
  // hydrated while this one is written.
  for await (const page of readAhead(read, (p) => p.nextPosition)) {
    const hydrate = async (after: string | undefined) => {
      const start = after ? Number(after) : 0;
      const end = start + HYDRATE_BATCH;
      const entries = await deps.store.hydrate(caller.tenantId, page.items.slice(start, end));
      return { entries, next: end < page.items.length ? String(end) : null };
    };
    for await (const batch of readAhead(hydrate, (b) => b.next)) yield* batch.entries;
  }
}

/** One whole entry; unknown, other-tenant and expired ids are all 404. */
export async function getAuditEvent(
  deps: Pick<QueryAuditDeps, 'store' | 'clock' | 'trust'>,
  caller: UserCaller,
  id: string,
): Promise<AuditEntry> {
  assertAuditReader(caller);
  const now = deps.clock.now();
  const { visibility } = await visibilityFor({ retentionMonths: 0, ...deps }, caller.tenantId, now);
  const entry = await deps.store.get(caller.tenantId, id, Math.floor(now.getTime() / 1000), visibility);
  if (!entry) throw new NotFoundError('No audit entry with this id.');
  return entry;
}

/** The tenant's months and, with a trust reader, the rule reads apply (retention and holds). */
async function visibilityFor(
  deps: Pick<QueryAuditDeps, 'trust' | 'retentionMonths'>,
  tenantId: string,
  now: Date,
): Promise<{ visibility?: Visibility; months: number }> {
  if (!deps.trust) return { months: deps.retentionMonths };
  const state = await deps.trust.state(tenantId);
  return { visibility: visibilityOf(state, 'audit', now), months: state.retention.auditMonths };
}

function heldAny(v: Visibility | undefined): boolean {
  return Boolean(v && (v.coverage.all || v.coverage.persons.size > 0));
}

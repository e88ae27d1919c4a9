import type { ActivityAction, StoredActivity } from './event.ts';

/**
 * The complete predicate of an activity read, after scopes and visibility were resolved against
 * the directory. The store plans an index from it; an in-memory fake applies it as is.
 * `userIds` undefined means anyone (company scope); an empty list means no one.
 */
export interface ActivityCriteria {
  userIds?: readonly string[];
  /** Users never to return (deactivated now), when `userIds` is open. */
  excludeUserIds?: readonly string[];
  actions?: readonly ActivityAction[];
  contentTypes?: readonly string[];
  itemTypes?: readonly string[];
  contentIds?: readonly string[];
  /** Lower-case substring of the title. */
  title?: string;
  /** Lower-case tags, any of. */
  tags?: readonly string[];
  sources?: readonly string[];
  /** Lower-case CPD labels, any of. */
  cpdLabels?: readonly string[];
  bulkImportIds?: readonly string[];
  completed?: boolean;
  /** true: expiresAt < expiredAsOf; false: no expiresAt or expiresAt ≥ expiredAsOf. */
  expired?: boolean;
  expiredAsOf: string;
}

/** The reference semantics of ActivityCriteria (used by fakes and by the store's in-memory checks). */
export function matchesCriteria(e: StoredActivity, c: ActivityCriteria): boolean {
  if (c.userIds && !c.userIds.includes(e.userId)) return false;
  if (c.excludeUserIds?.includes(e.userId)) return false;
  if (c.actions && !c.actions.includes(e.action)) return false;
  if (c.contentTypes && !(e.content && c.contentTypes.includes(e.content.type))) return false;
  if (c.itemTypes && !(e.content?.contentType && c.itemTypes.includes(e.content.contentType))) return false;
  if (c.contentIds && !(e.content && c.contentIds.includes(e.content.id))) return false;
  if (c.title !== undefined && !e.content?.title.toLowerCase().includes(c.title)) return false;
  if (c.tags && !e.content?.tags?.some((t) => c.tags!.includes(t.toLowerCase()))) return false;
  if (c.sources && !(e.source && c.sources.includes(e.source))) return false;
  if (c.cpdLabels && !e.cpdLabels?.some((l) => c.cpdLabels!.includes(l.toLowerCase()))) return false;
  if (c.bulkImportIds && !(e.bulkImportId && c.bulkImportIds.includes(e.bulkImportId))) return false;
  if (c.completed !== undefined && e.completed !== c.completed) return false;
  if (c.expired !== undefined) {
    const isExpired = e.expiresAt !== undefined && e.expiresAt < c.expiredAsOf;
    if (isExpired !== c.expired) return false;
  }
  return true;
}

import type { StoredActivity } from '../../domain/activity/event.ts';
import { itemPosition } from '../../query/position.ts';
import { shardOf } from '../../query/shards.ts';
import { HELD_EXPIRY_ATTRIBUTE, TTL_ATTRIBUTE } from './tables.ts';

/**
 * Every key of an activity item, spelled once. Base key `pk` = `tenant#id` (idempotent,
 * immutable entries); GSIs sorted by `ts` = `occurredAt#id`:
 * byTime `tp` = tenant#shard · byUser `up` = tenant#userId · byContent `cp` = tenant#contentId ·
 * byAction `acp` = tenant#shard#action · byContentType `ctp` = tenant#shard#type ·
 * byBulkImport `bip` = tenant#bulkImportId · byUserAction `uap` = tenant#userId#action ·
 * byContentAction `cap` = tenant#contentId#action. `e` is the entry, `f` the filter helpers.
 */
export const activityKeys = {
  pk: (tenantId: string, id: string) => `${tenantId}#${id}`,
  ts: itemPosition,
  time: (tenantId: string, shard: number) => `${tenantId}#${shard}`,
  user: (tenantId: string, userId: string) => `${tenantId}#${userId}`,
  userAction: (tenantId: string, userId: string, action: string) => `${tenantId}#${userId}#${action}`,
  action: (tenantId: string, shard: number, action: string) => `${tenantId}#${shard}#${action}`,
  content: (tenantId: string, contentId: string) => `${tenantId}#${contentId}`,
  contentAction: (tenantId: string, contentId: string, action: string) =>
    `${tenantId}#${contentId}#${action}`,
  contentType: (tenantId: string, shard: number, type: string) => `${tenantId}#${shard}#${type}`,
  bulkImport: (tenantId: string, bulkImportId: string) => `${tenantId}#${bulkImportId}`,
};

export interface ActivityFilterHelpers {
  u: string;
  a: string;
  c: boolean;
  ct?: string;
  it?: string;
  ci?: string;
  t?: string;
  tg?: string[];
  s?: string;
  cpd?: string[];
  bi?: string;
  x?: string;
}

export function activityItem(
  entry: StoredActivity,
  shards: number,
  ttl: number,
  held = false,
): Record<string, unknown> {
  const t = entry.tenantId;
  const shard = shardOf(entry.id, shards);
  // Only the helpers an entry has: no undefined keys for the marshaller to walk and drop.
  const f: ActivityFilterHelpers = { u: entry.userId, a: entry.action, c: entry.completed };
  const content = entry.content;
  if (content) {
    f.ct = content.type;
    if (content.contentType !== undefined) f.it = content.contentType;
    f.ci = content.id;
    f.t = content.title.toLowerCase();
    if (content.tags?.length) f.tg = content.tags.map((x) => x.toLowerCase());
  }
  if (entry.source !== undefined) f.s = entry.source;
  if (entry.cpdLabels?.length) f.cpd = entry.cpdLabels.map((x) => x.toLowerCase());
  if (entry.bulkImportId !== undefined) f.bi = entry.bulkImportId;
  if (entry.expiresAt !== undefined) f.x = entry.expiresAt;
  return {
    pk: activityKeys.pk(t, entry.id),
    ts: activityKeys.ts(entry.occurredAt, entry.id),
    tp: activityKeys.time(t, shard),
    up: activityKeys.user(t, entry.userId),
    uap: activityKeys.userAction(t, entry.userId, entry.action),
    acp: activityKeys.action(t, shard, entry.action),
    ...(entry.content
      ? {
          cp: activityKeys.content(t, entry.content.id),
          cap: activityKeys.contentAction(t, entry.content.id, entry.action),
          ctp: activityKeys.contentType(t, shard, entry.content.type),
        }
      : {}),
    ...(entry.bulkImportId ? { bip: activityKeys.bulkImport(t, entry.bulkImportId) } : {}),
    e: entry,
    f,
    // A held entry has no TTL for the sweep; its expiry waits in `rx` (tables.ts).
    ...(held ? { [HELD_EXPIRY_ATTRIBUTE]: ttl } : { [TTL_ATTRIBUTE]: ttl }),
  };
}

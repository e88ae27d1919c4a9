import { normaliseContentType } from '../../domain/audit/filters.ts';
import { ipKey } from '../../domain/audit/ip.ts';
import { type PersonKey, type StoredListItem, sealListItem } from '../../domain/audit/personal.ts';
import type { AuditEntry, AuditListItem } from '../../domain/audit/schema.ts';
import { itemPosition } from '../../query/position.ts';
import { shardOf } from '../../query/shards.ts';
import { HELD_EXPIRY_ATTRIBUTE, TTL_ATTRIBUTE } from './tables.ts';

/**
 * Every key of the audit table, built here and nowhere else (see AUDIT_TABLE in tables.ts and
 * docs/data-model.md). Tenant ids never contain `#`, so `tenant#…` keys cannot collide.
 */
export const auditKeys = {
  pk: (tenantId: string, id: string) => `${tenantId}#${id}`,
  ts: itemPosition,
  time: (tenantId: string, shard: number) => `${tenantId}#${shard}`,
  actor: (tenantId: string, actorId: string) => `${tenantId}#${actorId}`,
  object: (tenantId: string, objectId: string) => `${tenantId}#${objectId}`,
  subject: (tenantId: string, subjectId: string) => `${tenantId}#${subjectId}`,
  action: (tenantId: string, shard: number, action: string) => `${tenantId}#${shard}#${action}`,
  objectType: (tenantId: string, shard: number, type: string) => `${tenantId}#${shard}#${type}`,
  source: (tenantId: string, shard: number, kind: string) => `${tenantId}#${shard}#${kind}`,
  typeAction: (tenantId: string, shard: number, type: string, action: string) =>
    `${tenantId}#${shard}#${type}#${action}`,
  system: (tenantId: string, shard: number) => `${tenantId}#${shard}`,
  request: (tenantId: string, shard: number) => `${tenantId}#${shard}`,
  ip: (tenantId: string, ip: string) => `${tenantId}#${ipKey(ip)}`,
  course: (tenantId: string, courseId: string) => `${tenantId}#${courseId}`,
  actorAction: (tenantId: string, actorId: string, action: string) => `${tenantId}#${actorId}#${action}`,
  courseAction: (tenantId: string, courseId: string, action: string) => `${tenantId}#${courseId}#${action}`,
  requestMethod: (tenantId: string, shard: number, method: string) => `${tenantId}#${shard}#${method}`,
  /** bySeal partition: the UTC hour of recordedAt (`2026-12-02T10`) and the tenant's seal shard. */
  sealHour: (tenantId: string, recordedAt: string) =>
    `${recordedAt.slice(0, 13)}#${shardOf(tenantId, SEAL_SHARDS)}`,
  /** bySeal sort key: a tenant's entries of an hour together, ordered by id (the Merkle order). */
  sealSort: (tenantId: string, id: string) => `${tenantId}#${id}`,
};

/**
 * Partitions of an hour in the bySeal index: a tenant always lands in the same one, so its entries
 * of an hour are one contiguous, id-ordered range of one partition. Never change it (or only
 * between hours the sealer has passed).
 */
export const SEAL_SHARDS = 8;

export interface AuditItem {
  pk: string;
  ts: string;
  tp: string;
  ap?: string;
  op: string;
  sp?: string;
  acp: string;
  otp: string;
  srp: string;
  ipp?: string;
  crp?: string;
  tap: string;
  /** Sparse: only entries whose actor is not a person. */
  syp?: string;
  /** Sparse: only entries made through the API (with `request`). */
  rqp?: string;
  /** Composite actor + action (sparse: entries whose actor has an id). */
  aap?: string;
  /** Composite course + action (sparse: entries with a course). */
  cap?: string;
  /** Sparse, sharded: API-made entries by HTTP method. */
  rmp?: string;
  /** Entry hash (bySeal projects it); absent on entries stored before hashes existed. */
  h?: string;
  /** bySeal partition (`hour#sealShard`) and sort key (`tenant#id`): sparse, hashed entries only. */
  sl?: string;
  ss?: string;
  /**
   * The list-view entry; sealed (personal fields encrypted per person in `e.pd`, derived text
   * out) when the writer has person keys, as every deployed writer does.
   */
  e: AuditListItem | StoredListItem;
  /** What only the detail view shows. */
  x: { changes?: AuditEntry['changes']; details?: AuditEntry['details'] };
  /** Filter helpers: lower-cased object name, fixed-width hex IP, bare content type. */
  f: { on?: string; ip?: string; ct?: string };
  /** Absent while an active legal hold covers the entry (then `rx` keeps the expiry). */
  [TTL_ATTRIBUTE]?: number;
  /** The retention expiry of a held entry, restored into `ttl` when the hold is released. */
  [HELD_EXPIRY_ATTRIBUTE]?: number;
}

export function toAuditItem(
  entry: AuditEntry,
  shards: number,
  expiresAtEpochSeconds: number,
  held = false,
  keyOf?: (person: string) => PersonKey,
): AuditItem {
  const t = entry.tenantId;
  const shard = shardOf(entry.id, shards);
  const { changes, details, ...listItem } = entry;
  const item: AuditItem = {
    pk: auditKeys.pk(t, entry.id),
    ts: auditKeys.ts(entry.occurredAt, entry.id),
    tp: auditKeys.time(t, shard),
    op: auditKeys.object(t, entry.object.id),
    acp: auditKeys.action(t, shard, entry.action),
    otp: auditKeys.objectType(t, shard, entry.object.type),
    srp: auditKeys.source(t, shard, entry.source.kind),
    tap: auditKeys.typeAction(t, shard, entry.object.type, entry.action),
    e: keyOf ? sealListItem(listItem, keyOf) : listItem,
    x: {},
    f: {},
    ...(held
      ? { [HELD_EXPIRY_ATTRIBUTE]: expiresAtEpochSeconds }
      : { [TTL_ATTRIBUTE]: expiresAtEpochSeconds }),
  };
  if (entry.integrity) {
    item.h = entry.integrity.hash;
    item.sl = auditKeys.sealHour(t, entry.recordedAt);
    item.ss = auditKeys.sealSort(t, entry.id);
  }
  if (entry.actor.id) {
    item.ap = auditKeys.actor(t, entry.actor.id);
    item.aap = auditKeys.actorAction(t, entry.actor.id, entry.action);
  }
  if (entry.subject) item.sp = auditKeys.subject(t, entry.subject.id);
  if (entry.ip) {
    const key = ipKey(entry.ip);
    item.ipp = `${t}#${key}`;
    item.f.ip = key;
  }
  if (entry.actor.type !== 'user') item.syp = auditKeys.system(t, shard);
  if (entry.request) {
    item.rqp = auditKeys.request(t, shard);
    item.rmp = auditKeys.requestMethod(t, shard, entry.request.method);
  }
  if (entry.context?.courseId) {
    item.crp = auditKeys.course(t, entry.context.courseId);
    item.cap = auditKeys.courseAction(t, entry.context.courseId, entry.action);
  }
  if (entry.object.name) item.f.on = entry.object.name.toLowerCase();
  if (entry.request?.contentType) item.f.ct = normaliseContentType(entry.request.contentType);
  if (changes) item.x.changes = changes;
  if (details) item.x.details = details;
  return item;
}

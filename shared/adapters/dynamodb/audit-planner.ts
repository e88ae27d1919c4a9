import type { AuditFilters } from '../../domain/audit/filters.ts';
import { allShards } from '../../query/shards.ts';
import { auditKeys } from './audit-keys.ts';

/**
 * The audit query planner: picks the most selective index the filters allow and turns each of
 * that filter's values (× shards for sharded indexes) into one stream of the k-way merge. The
 * other filters become the FilterExpression. Preference follows expected selectivity: one object,
 * one person affected, one IP address, one course and one actor hold few entries; an action,
 * object type or source kind holds many; the tenant's time index holds all.
 */
export type AuditIndex =
  | 'byObject'
  | 'bySubject'
  | 'byIp'
  | 'byCourse'
  | 'byActor'
  | 'byAction'
  | 'byObjectType'
  | 'bySource'
  | 'byTime';

/** The filter an index answers by key; it is left out of the FilterExpression. */
export type KeyedFilter =
  | 'objectId'
  | 'subjectId'
  | 'ip'
  | 'courseId'
  | 'actorId'
  | 'action'
  | 'objectType'
  | 'source';

export interface AuditPlan {
  index: AuditIndex;
  partitionKeyName: string;
  partitionKeys: string[];
  covers?: KeyedFilter;
}

/** Above this many streams a filter is cheaper applied to a broader index than merged. */
export const MAX_STREAMS = 40;

export function planAuditQuery(tenantId: string, filters: AuditFilters, shards: number): AuditPlan {
  const shardIds = allShards(shards);
  const perValue = (
    index: AuditIndex,
    partitionKeyName: string,
    covers: KeyedFilter,
    values: readonly string[] | undefined,
    key: (v: string) => string,
  ): AuditPlan | undefined =>
    values && values.length <= MAX_STREAMS
      ? { index, partitionKeyName, covers, partitionKeys: values.map(key) }
      : undefined;
  const perShard = (
    index: AuditIndex,
    partitionKeyName: string,
    covers: KeyedFilter,
    values: readonly string[] | undefined,
    key: (shard: number, v: string) => string,
  ): AuditPlan | undefined =>
    values && values.length * shardIds.length <= MAX_STREAMS
      ? {
          index,
          partitionKeyName,
          covers,
          partitionKeys: values.flatMap((v) => shardIds.map((s) => key(s, v))),
        }
      : undefined;
  const singleIp = filters.ip && !filters.ip.includes('/') ? [filters.ip] : undefined;
  return (
    perValue('byObject', 'op', 'objectId', filters.objectId, (v) => auditKeys.object(tenantId, v)) ??
    perValue('bySubject', 'sp', 'subjectId', filters.subjectId, (v) => auditKeys.subject(tenantId, v)) ??
    perValue('byIp', 'ipp', 'ip', singleIp, (v) => auditKeys.ip(tenantId, v)) ??
    perValue('byCourse', 'crp', 'courseId', filters.courseId, (v) => auditKeys.course(tenantId, v)) ??
    perValue('byActor', 'ap', 'actorId', filters.actorId, (v) => auditKeys.actor(tenantId, v)) ??
    perShard('byAction', 'acp', 'action', filters.action, (s, v) => auditKeys.action(tenantId, s, v)) ??
    perShard('byObjectType', 'otp', 'objectType', filters.objectType, (s, v) =>
      auditKeys.objectType(tenantId, s, v),
    ) ??
    perShard('bySource', 'srp', 'source', filters.source, (s, v) => auditKeys.source(tenantId, s, v)) ?? {
      index: 'byTime',
      partitionKeyName: 'tp',
      partitionKeys: shardIds.map((s) => auditKeys.time(tenantId, s)),
    }
  );
}

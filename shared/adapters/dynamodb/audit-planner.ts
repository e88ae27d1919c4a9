// The audit query planner: picks the most selective index the filters allow and turns each of
// that filter's values (× shards for sharded indexes) into one stream of the k-way merge. The
// other filters become the FilterExpression. Preference follows expected selectivity: one object,
// one person affected, one IP address, one course and one actor hold few entries — and with an
// action, the course's or actor's composite key holds exactly the matches; an object type together
// with an action (one composite key) fewer than either alone; API-made actions (sparse indexes, by
// method when one is asked for) are a minority; then action, object type, source kind, non-person
// actors (sparse); the tenant's time index holds everything.

import type { AuditFilters } from '../../domain/audit/filters.ts';
import { allShards } from '../../query/shards.ts';
import { auditKeys } from './audit-keys.ts';

export type AuditIndex =
  | 'byObject'
  | 'bySubject'
  | 'byIp'
  | 'byCourseAction'
  | 'byCourse'
  | 'byActorAction'
  | 'byActor'
  | 'byTypeAction'
  | 'byRequestMethod'
  | 'byRequest'
  | 'byAction'
  | 'byObjectType'
  | 'bySource'
  | 'bySystem'
  | 'byTime';

/** Filters an index answers by key; they are left out of the FilterExpression. */
export type KeyedFilter =
  | 'objectId'
  | 'subjectId'
  | 'ip'
  | 'courseId'
  | 'actorId'
  | 'action'
  | 'objectType'
  | 'source'
  | 'system'
  | 'requestMethod';

export interface AuditPlan {
  index: AuditIndex;
  partitionKeyName: string;
  partitionKeys: string[];
  covers: KeyedFilter[];
}

/** Above this many streams a filter is cheaper applied to a broader index than merged. */
export const MAX_STREAMS = 40;

export function planAuditQuery(tenantId: string, filters: AuditFilters, shards: number): AuditPlan {
  const shardIds = allShards(shards);
  const t = tenantId;
  const perValue = (
    index: AuditIndex,
    partitionKeyName: string,
    covers: KeyedFilter,
    values: readonly string[] | undefined,
    key: (v: string) => string,
  ): AuditPlan | undefined =>
    values && values.length <= MAX_STREAMS
      ? { index, partitionKeyName, covers: [covers], partitionKeys: values.map(key) }
      : undefined;
  const perShard = (
    index: AuditIndex,
    partitionKeyName: string,
    covers: KeyedFilter[],
    values: readonly string[] | undefined,
    key: (shard: number, v: string) => string,
  ): AuditPlan | undefined =>
    values && values.length > 0 && values.length * shardIds.length <= MAX_STREAMS
      ? {
          index,
          partitionKeyName,
          covers,
          partitionKeys: values.flatMap((v) => shardIds.map((s) => key(s, v))),
        }
      : undefined;

  const singleIp = filters.ip && !filters.ip.includes('/') ? [filters.ip] : undefined;
  const typeActions =
    filters.objectType && filters.action
      ? filters.objectType.flatMap((type) => filters.action!.map((action) => `${type}#${action}`))
      : undefined;
  const pairs = (values: readonly string[] | undefined) =>
    values && filters.action
      ? values.flatMap((v) => filters.action!.map((action) => [v, action] as const))
      : undefined;
  const courseActions = pairs(filters.courseId);
  const actorActions = pairs(filters.actorId);
  const composite = (
    index: AuditIndex,
    partitionKeyName: string,
    covers: KeyedFilter,
    values: ReturnType<typeof pairs>,
    key: (v: string, action: string) => string,
  ): AuditPlan | undefined =>
    values && values.length <= MAX_STREAMS
      ? {
          index,
          partitionKeyName,
          covers: [covers, 'action'],
          partitionKeys: values.map(([v, a]) => key(v, a)),
        }
      : undefined;
  const viaApi =
    filters.requestMethod || filters.requestStatus || filters.requestUrl || filters.requestContentType
      ? ['api']
      : undefined;
  return (
    perValue('byObject', 'op', 'objectId', filters.objectId, (v) => auditKeys.object(t, v)) ??
    perValue('bySubject', 'sp', 'subjectId', filters.subjectId, (v) => auditKeys.subject(t, v)) ??
    perValue('byIp', 'ipp', 'ip', singleIp, (v) => auditKeys.ip(t, v)) ??
    composite('byCourseAction', 'cap', 'courseId', courseActions, (v, a) =>
      auditKeys.courseAction(t, v, a),
    ) ??
    perValue('byCourse', 'crp', 'courseId', filters.courseId, (v) => auditKeys.course(t, v)) ??
    composite('byActorAction', 'aap', 'actorId', actorActions, (v, a) => auditKeys.actorAction(t, v, a)) ??
    perValue('byActor', 'ap', 'actorId', filters.actorId, (v) => auditKeys.actor(t, v)) ??
    perShard('byTypeAction', 'tap', ['objectType', 'action'], typeActions, (s, v) => {
      const [type = '', action = ''] = v.split('#');
      return auditKeys.typeAction(t, s, type, action);
    }) ??
    perShard('byRequestMethod', 'rmp', ['requestMethod'], filters.requestMethod, (s, v) =>
      auditKeys.requestMethod(t, s, v),
    ) ??
    perShard('byRequest', 'rqp', [], viaApi, (s) => auditKeys.request(t, s)) ??
    perShard('byAction', 'acp', ['action'], filters.action, (s, v) => auditKeys.action(t, s, v)) ??
    perShard('byObjectType', 'otp', ['objectType'], filters.objectType, (s, v) =>
      auditKeys.objectType(t, s, v),
    ) ??
    perShard('bySource', 'srp', ['source'], filters.source, (s, v) => auditKeys.source(t, s, v)) ??
    perShard('bySystem', 'syp', ['system'], filters.system ? ['system'] : undefined, (s) =>
      auditKeys.system(t, s),
    ) ?? {
      index: 'byTime',
      partitionKeyName: 'tp',
      partitionKeys: shardIds.map((s) => auditKeys.time(t, s)),
      covers: [],
    }
  );
}

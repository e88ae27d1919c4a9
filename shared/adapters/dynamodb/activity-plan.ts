// The activity query planner: picks the index whose streams read least, given what it knows
// (the number of values per filter and the tenant's shard count), and leaves the rest of the
// criteria to a FilterExpression or, where DynamoDB cannot say it cheaply, an in-memory check.
//
// - a user set of at most USER_STREAM_LIMIT people (a team, a manager's tree, userId) → one byUser
//   stream per person: a manager over 5 reports reads only those 5 people's entries — unless the
//   set is most of the tenant's people (`population`, from the directory), when reading the time
//   window once is cheaper than one look-ahead per person. With actions, one byUserAction stream
//   per person × action (while that stays within the limit) reads exactly the matches;
// - content items likewise: byContent, or byContentAction with actions;
// - a larger user set, or none → the most selective other index (contentId, bulkImportId,
//   action, content type), else byTime over every shard, with the user set checked in memory;
// - an empty user set → nothing is read at all.

import type { ActivityCriteria } from '../../domain/activity/criteria.ts';
import type { ExpressionBuilder } from '../../query/expression.ts';
import { allShards } from '../../query/shards.ts';
import type { Stream } from './merge-query.ts';

export const USER_STREAM_LIMIT = 50;
/** A filter with more values than this is not worth one stream per value. */
const VALUE_STREAM_LIMIT = 50;
/** DynamoDB's IN takes at most 100 operands. */
const MAX_IN = 100;

export interface ActivityPlan {
  index:
    | 'byUserAction'
    | 'byUser'
    | 'byContentAction'
    | 'byContent'
    | 'byBulkImport'
    | 'byAction'
    | 'byContentType'
    | 'byTime'
    | 'none';
  streams: Stream[];
  /** Whether the user set is checked in memory rather than by the key or FilterExpression. */
  usersInMemory: boolean;
}

export function planActivityQuery(
  c: ActivityCriteria,
  tenantId: string,
  shards: number,
  population?: number,
): ActivityPlan {
  const users = c.userIds;
  if (users && users.length === 0) return { index: 'none', streams: [], usersInMemory: false };
  const perValue = (indexName: string, partitionKeyName: string, values: readonly string[]): Stream[] =>
    values.map((v) => ({ indexName, partitionKeyName, partitionKeyValue: `${tenantId}#${v}` }));
  const perShard = (indexName: string, partitionKeyName: string, values: readonly (string | null)[]) =>
    allShards(shards).flatMap((s) =>
      values.map((v) => ({
        indexName,
        partitionKeyName,
        partitionKeyValue: v === null ? `${tenantId}#${s}` : `${tenantId}#${s}#${v}`,
      })),
    );

  /** Each value × each action, when the criteria name actions and the product stays within the limit. */
  const withActions = (indexName: string, partitionKeyName: string, values: readonly string[]) => {
    const actions = c.actions;
    if (!actions || values.length * actions.length > VALUE_STREAM_LIMIT) return undefined;
    return values.flatMap((v) =>
      perValue(
        indexName,
        partitionKeyName,
        actions.map((a) => `${v}#${a}`),
      ),
    );
  };

  const mostOfTenant = !!users && !!population && users.length > 10 && users.length * 2 > population;
  const smallUsers = users && users.length <= USER_STREAM_LIMIT && !mostOfTenant;
  const fewContent = c.contentIds && c.contentIds.length <= VALUE_STREAM_LIMIT;
  // Both selective: take whichever opens fewer streams.
  if (smallUsers && (!fewContent || users.length <= c.contentIds!.length)) {
    const pairs = withActions('byUserAction', 'uap', users);
    return pairs
      ? { index: 'byUserAction', streams: pairs, usersInMemory: false }
      : { index: 'byUser', streams: perValue('byUser', 'up', users), usersInMemory: false };
  }
  const usersInMemory = !!users && users.length > MAX_IN;
  if (fewContent) {
    const pairs = withActions('byContentAction', 'cap', c.contentIds!);
    return pairs
      ? { index: 'byContentAction', streams: pairs, usersInMemory }
      : { index: 'byContent', streams: perValue('byContent', 'cp', c.contentIds!), usersInMemory };
  }
  if (c.bulkImportIds && c.bulkImportIds.length <= VALUE_STREAM_LIMIT)
    return {
      index: 'byBulkImport',
      streams: perValue('byBulkImport', 'bip', c.bulkImportIds),
      usersInMemory,
    };
  if (c.actions && c.actions.length * shards <= VALUE_STREAM_LIMIT)
    return { index: 'byAction', streams: perShard('byAction', 'acp', c.actions), usersInMemory };
  if (c.contentTypes && c.contentTypes.length * shards <= VALUE_STREAM_LIMIT)
    return {
      index: 'byContentType',
      streams: perShard('byContentType', 'ctp', c.contentTypes),
      usersInMemory,
    };
  return { index: 'byTime', streams: perShard('byTime', 'tp', [null]), usersInMemory };
}

/** The criteria as a FilterExpression on the projected filter helpers `f`. */
export function applyCriteriaFilter(expr: ExpressionBuilder, c: ActivityCriteria, plan: ActivityPlan): void {
  if (c.userIds && plan.index !== 'byUser' && plan.index !== 'byUserAction' && !plan.usersInMemory)
    expr.anyOf('f.u', c.userIds);
  if (c.excludeUserIds && c.excludeUserIds.length > 0 && c.excludeUserIds.length <= MAX_IN) {
    const p = expr.path('f.u');
    expr.add(`NOT (${p} IN (${c.excludeUserIds.map((u) => expr.value(u)).join(', ')}))`);
  }
  if (c.actions) expr.anyOf('f.a', c.actions);
  if (c.contentTypes) expr.anyOf('f.ct', c.contentTypes);
  if (c.itemTypes) expr.anyOf('f.it', c.itemTypes);
  if (c.contentIds) expr.anyOf('f.ci', c.contentIds);
  if (c.title !== undefined) expr.add(`contains(${expr.path('f.t')}, ${expr.value(c.title)})`);
  if (c.tags) anyContains(expr, 'f.tg', c.tags);
  if (c.sources) expr.anyOf('f.s', c.sources);
  if (c.cpdLabels) anyContains(expr, 'f.cpd', c.cpdLabels);
  if (c.bulkImportIds) expr.anyOf('f.bi', c.bulkImportIds);
  if (c.completed !== undefined) expr.add(`${expr.path('f.c')} = ${expr.value(c.completed)}`);
  if (c.expired === true) expr.add(`${expr.path('f.x')} < ${expr.value(c.expiredAsOf)}`);
  if (c.expired === false) {
    const p = expr.path('f.x');
    expr.add(`attribute_not_exists(${p}) OR ${p} >= ${expr.value(c.expiredAsOf)}`);
  }
}

function anyContains(expr: ExpressionBuilder, dotted: string, values: readonly string[]) {
  const p = expr.path(dotted);
  expr.add(values.map((v) => `contains(${p}, ${expr.value(v)})`).join(' OR '));
}

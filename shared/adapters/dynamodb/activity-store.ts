import { PutItemCommand } from '@aws-sdk/client-dynamodb';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { type ActivityCriteria, matchesCriteria } from '../../domain/activity/criteria.ts';
import { type IngestStatus, type StoredActivity, storedActivitySchema } from '../../domain/activity/event.ts';
import type { Visibility } from '../../domain/trust/visibility.ts';
import { logger } from '../../observability.ts';
import { activityItem, activityPk, idOfPosition } from './activity-keys.ts';
import { type ActivityPlan, applyCriteriaFilter, planActivityQuery } from './activity-plan.ts';
import { toAttributeMap } from './attributes.ts';
import { toDomainError } from './errors.ts';
import { mergeQuery } from './merge-query.ts';

/** The activity log's storage, as the use cases see it. */
export interface ActivityWriter {
  /** Conditional put: `duplicate` when the id is already stored for the tenant; never overwrites. */
  put(entry: StoredActivity, ttl: number, held?: boolean): Promise<IngestStatus>;
}

export interface ActivityStoreQuery {
  tenantId: string;
  criteria: ActivityCriteria;
  from: string;
  to: string;
  order: 'asc' | 'desc';
  limit: number;
  /** Position (`occurredAt#id`) of the last entry already returned. */
  after?: string;
  nowEpochSeconds: number;
  /** The tenant's retention and holds; absent: the TTL alone decides. */
  visibility?: Visibility;
  /** How many people the tenant's directory knows: a planner hint. */
  population?: number;
}

export interface ActivityPage {
  items: StoredActivity[];
  nextPosition: string | null;
  /** Items DynamoDB read (ScannedCount), the cost figure. */
  scanned: number;
  plan: { index: ActivityPlan['index']; streams: number };
}

export interface ActivityReader {
  query(q: ActivityStoreQuery): Promise<ActivityPage>;
}

export type ActivityStore = ActivityWriter & ActivityReader;

export class DynamoActivityStore implements ActivityStore {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
    private readonly shardsOf: (tenantId: string) => number,
  ) {}

  async put(entry: StoredActivity, ttl: number, held = false): Promise<IngestStatus> {
    try {
      // Marshalled by the lean converter (the hot path; see attributes.ts): a low-level PutItem.
      await this.client.send(
        new PutItemCommand({
          TableName: this.tableName,
          Item: toAttributeMap(activityItem(entry, this.shardsOf(entry.tenantId), ttl, held)),
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
      return 'created';
    } catch (err) {
      if ((err as { name?: string } | null)?.name === 'ConditionalCheckFailedException') return 'duplicate';
      throw toDomainError(err);
    }
  }

  async query(q: ActivityStoreQuery): Promise<ActivityPage> {
    const plan = planActivityQuery(q.criteria, q.tenantId, this.shardsOf(q.tenantId), q.population);
    if (plan.streams.length === 0)
      return {
        items: [],
        nextPosition: null,
        scanned: 0,
        plan: { index: plan.index, streams: 0 },
      };
    const users = plan.usersInMemory && q.criteria.userIds ? new Set(q.criteria.userIds) : undefined;
    const excluded =
      q.criteria.excludeUserIds && q.criteria.excludeUserIds.length > 100
        ? new Set(q.criteria.excludeUserIds)
        : undefined;
    try {
      const out = await mergeQuery(this.client, {
        tableName: this.tableName,
        streams: plan.streams,
        from: q.from,
        to: q.to,
        order: q.order,
        limit: q.limit,
        after: q.after,
        filter: (expr) => applyCriteriaFilter(expr, q.criteria, plan),
        accept: (item) => {
          const f = item.f as { u?: string } | undefined;
          if (users && !users.has(f?.u ?? '')) return false;
          if (excluded?.has(f?.u ?? '')) return false;
          return true;
        },
        baseKeyOf: (position) => ({ pk: activityPk(q.tenantId, idOfPosition(position)) }),
        nowEpochSeconds: q.nowEpochSeconds,
        visibility: q.visibility && {
          rule: q.visibility,
          persons: (item) => [(item.f as { u?: string } | undefined)?.u],
        },
      });
      const items: StoredActivity[] = [];
      for (const raw of out.items) {
        const parsed = storedActivitySchema.safeParse(raw.e);
        if (parsed.success && matchesCriteria(parsed.data, q.criteria)) items.push(parsed.data);
        else logger.warn('skipped an unreadable activity item', { ts: raw.ts });
      }
      return {
        items,
        nextPosition: out.nextPosition,
        scanned: out.scanned,
        plan: { index: plan.index, streams: plan.streams.length },
      };
    } catch (err) {
      throw toDomainError(err);
    }
  }
}

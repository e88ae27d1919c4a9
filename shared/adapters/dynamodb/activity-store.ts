import { PutItemCommand } from '@aws-sdk/client-dynamodb';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { matchesCriteria } from '../../domain/activity/criteria.ts';
import { type IngestStatus, type StoredActivity, storedActivitySchema } from '../../domain/activity/event.ts';
import { openRecorder, sealedRecorderOf, sealRecorder } from '../../domain/activity/recorder.ts';
import { logger } from '../../observability.ts';
import { idOfPosition } from '../../query/position.ts';
import type { ActivityPage, ActivityStore, ActivityStoreQuery } from '../../use-cases/activity/ports.ts';
import type { PersonKeys } from '../../use-cases/audit/ports.ts';
import { activityItem, activityKeys } from './activity-keys.ts';
import { applyCriteriaFilter, planActivityQuery } from './activity-plan.ts';
import { toAttributeMap } from './attributes.ts';
import { isConditionFailure, toDomainError } from './errors.ts';
import { mergeQuery } from './merge-query.ts';
import { currentKey, findKeys } from './person-keys.ts';

export interface DynamoActivityStoreOptions {
  tableName: string;
  /** Write shards of a tenant (shardResolver(config)). */
  shardsFor: (tenantId: string) => number;
  /**
   * Each person's data key (the audit log's): the recorder's name (`recordedBy.name`) is written
   * sealed under the recorder's key and read opened, or `"[erased]"` once an erasure deleted it
   * (domain/activity/recorder.ts). Absent (unit tests, tools): written in plaintext, sealed
   * names read as erased.
   */
  keys?: PersonKeys;
}

export class DynamoActivityStore implements ActivityStore {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly options: DynamoActivityStoreOptions,
  ) {}

  async put(entry: StoredActivity, ttl: number, held = false): Promise<IngestStatus> {
    const keys = this.options.keys;
    const item = activityItem(entry, this.options.shardsFor(entry.tenantId), ttl, held);
    if (keys && entry.recordedBy) {
      item.e = sealRecorder(entry, await currentKey(keys, entry.tenantId, entry.recordedBy.id));
    }
    try {
      // Marshalled by the lean converter (the hot path; see attributes.ts): a low-level PutItem.
      await this.client.send(
        new PutItemCommand({
          TableName: this.options.tableName,
          Item: toAttributeMap(item),
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
      return 'created';
    } catch (err) {
      if (isConditionFailure(err)) return 'duplicate';
      throw toDomainError(err);
    }
  }

  async query(q: ActivityStoreQuery): Promise<ActivityPage> {
    const plan = planActivityQuery(q.criteria, q.tenantId, this.options.shardsFor(q.tenantId), q.population);
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
        tableName: this.options.tableName,
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
        baseKeyOf: (position) => ({ pk: activityKeys.pk(q.tenantId, idOfPosition(position)) }),
        nowEpochSeconds: q.nowEpochSeconds,
        visibility: q.visibility && {
          rule: q.visibility,
          persons: (item) => [(item.f as { u?: string } | undefined)?.u],
        },
      });
      const opened = await this.open(
        q.tenantId,
        out.items.map((raw) => raw.e as Record<string, unknown>),
      );
      const items: StoredActivity[] = [];
      for (const [i, raw] of out.items.entries()) {
        const parsed = storedActivitySchema.safeParse(opened[i]);
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

  /** Stored entries as the API shows them: each sealed recorder's key looked up once per page. */
  private async open(
    tenantId: string,
    stored: Record<string, unknown>[],
  ): Promise<Record<string, unknown>[]> {
    const sealed = stored.map(sealedRecorderOf);
    if (!sealed.some(Boolean)) return stored;
    const keyOf = await findKeys(
      this.options.keys,
      tenantId,
      sealed.flatMap((r) => (r ? [{ person: r.id, version: r.k }] : [])),
    );
    return stored.map((e, i) => {
      const r = sealed[i];
      return r ? openRecorder(e, keyOf(r.id, r.k)) : e;
    });
  }
}

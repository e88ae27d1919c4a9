// The audit log on DynamoDB. Entries are written one conditional PutItem each
// (`attribute_not_exists(pk)`): a stored entry is never overwritten, and BatchWriteItem, which
// cannot carry a condition, is never used for them. Reads go through the planner's index and
// the k-way merge; every read drops entries past retention even before the TTL sweep.

import { DynamoDBServiceException, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, GetCommand, type GetCommandOutput } from '@aws-sdk/lib-dynamodb';
import type { AuditFilters } from '../../domain/audit/filters.ts';
import { cidrKeyRange, ipKey } from '../../domain/audit/ip.ts';
import { openListItem, type PersonKey, personsToSeal, sealedKeys } from '../../domain/audit/personal.ts';
import {
  type AuditEntry,
  type AuditListItem,
  auditEntrySchema,
  auditListItemSchema,
} from '../../domain/audit/schema.ts';
import { auditPersons } from '../../domain/trust/holds.ts';
import { isVisible, type Visibility } from '../../domain/trust/visibility.ts';
import { logger } from '../../observability.ts';
import type { ExpressionBuilder } from '../../query/expression.ts';
import { idOfPosition } from '../../query/position.ts';
import type {
  AuditEventStore,
  AuditStorePage,
  AuditStoreQuery,
  PersonKeys,
} from '../../use-cases/audit/ports.ts';
import { isThrottling } from '../aws-errors.ts';
import { toAttributeMap } from './attributes.ts';
import { auditKeys, toAuditItem } from './audit-keys.ts';
import { type KeyedFilter, planAuditQuery } from './audit-planner.ts';
import { isConditionFailure, toDomainError } from './errors.ts';
import { mergeQuery } from './merge-query.ts';
import { batchGetAll } from './paginate.ts';
import { findKeys } from './person-keys.ts';
import { TTL_ATTRIBUTE } from './tables.ts';

/**
 * Failures go through the one error mapper (errors.ts); the SDK error rides along as `cause` for
 * the log line. For a write, as the ingest answer should tell it: throttling (429) and
 * server-side or connection failures (503) are worth retrying (stable ids make the retry complete
 * the batch exactly once); a client fault (ValidationException, AccessDeniedException,
 * ResourceNotFoundException…) fails the same way on every retry, so it is a 500 that never says
 * "safe to retry".
 */
const STORE = 'The audit store';

export interface DynamoAuditStoreOptions {
  tableName: string;
  /** Write shards of a tenant (shardResolver(config)). */
  shardsFor: (tenantId: string) => number;
  /**
   * Each person's data key: entries are written with their personal fields sealed, and read with
   * them opened (or `"[erased]"`). Absent (unit tests, tools): written in plaintext, sealed fields
   * read as erased.
   */
  keys?: PersonKeys;
}

export class DynamoAuditStore implements AuditEventStore {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly options: DynamoAuditStoreOptions,
  ) {}

  async put(
    entry: AuditEntry,
    expiresAtEpochSeconds: number,
    held = false,
  ): Promise<'created' | 'duplicate'> {
    const keys = this.options.keys;
    let keyOf: ((person: string) => PersonKey) | undefined;
    if (keys) {
      const found = sealingKeys(keys, entry);
      keyOf = found instanceof Promise ? await found : found;
    }
    const item = toAuditItem(
      entry,
      this.options.shardsFor(entry.tenantId),
      expiresAtEpochSeconds,
      held,
      keyOf,
    );
    // Marshalled here by the lean converter (the hot path; see attributes.ts), so the low-level
    // PutItem goes through the same client untouched by its marshaller. Outside the try: a value
    // the marshaller refuses is refused on every retry, never a 503.
    const Item = toAttributeMap(item);
    try {
      await this.client.send(
        new PutItemCommand({
          TableName: this.options.tableName,
          Item,
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
      return 'created';
    } catch (err) {
      if (isConditionFailure(err)) return 'duplicate';
      throw toDomainError(err, STORE);
    }
  }

  async get(
    tenantId: string,
    id: string,
    nowEpochSeconds: number,
    visibility?: Visibility,
  ): Promise<AuditEntry | null> {
    let out: GetCommandOutput;
    try {
      out = await this.client.send(
        new GetCommand({
          TableName: this.options.tableName,
          Key: { pk: auditKeys.pk(tenantId, id) },
          ConsistentRead: true,
        }),
      );
    } catch (err) {
      throw toDomainError(err, STORE);
    }
    const item = out.Item;
    if (!item) return null;
    const ttl = item[TTL_ATTRIBUTE] === undefined ? undefined : Number(item[TTL_ATTRIBUTE]);
    if (visibility) {
      const e = item.e as AuditListItem;
      if (!isVisible(visibility, e.occurredAt, ttl, auditPersons(e))) return null;
    } else if (!(Number(ttl) >= nowEpochSeconds)) return null;
    const [opened] = await this.open(tenantId, [item.e as Record<string, unknown>]);
    const entry = auditEntrySchema.parse({ ...opened, ...(item.x as object) });
    return entry.tenantId === tenantId ? entry : null;
  }

  /**
   * Stored list views as the API shows them (domain/audit/personal.ts openListItem): each sealed
   * person's key looked up once (cached per process), their fields opened or `"[erased]"`.
   */
  async open(tenantId: string, stored: readonly Record<string, unknown>[]): Promise<AuditListItem[]> {
    const keyOf = await findKeys(this.options.keys, tenantId, stored.flatMap(sealedKeys));
    return stored.map((e) => openListItem(e, keyOf));
  }

  async hydrate(tenantId: string, items: readonly AuditListItem[]): Promise<AuditEntry[]> {
    const extras = new Map<string, Record<string, unknown>>();
    const keys = items.map((i) => ({ pk: auditKeys.pk(tenantId, i.id) }));
    try {
      await batchGetAll(
        this.client,
        this.options.tableName,
        keys,
        {
          busy: 'The audit log is busy; retry the request.',
          projection: { expression: 'pk, #x', names: { '#x': 'x' } },
        },
        (row) => extras.set(String(row.pk), (row.x as Record<string, unknown>) ?? {}),
      );
    } catch (err) {
      throw toDomainError(err, STORE);
    }
    return items.map((i) =>
      auditEntrySchema.parse({ ...i, ...(extras.get(auditKeys.pk(tenantId, i.id)) ?? {}) }),
    );
  }

  async query(q: AuditStoreQuery): Promise<AuditStorePage> {
    const plan = planAuditQuery(q.tenantId, q.filters, this.options.shardsFor(q.tenantId));
    let result: Awaited<ReturnType<typeof mergeQuery>>;
    try {
      result = await mergeQuery(this.client, {
        tableName: this.options.tableName,
        streams: plan.partitionKeys.map((value) => ({
          indexName: plan.index,
          partitionKeyName: plan.partitionKeyName,
          partitionKeyValue: value,
        })),
        from: q.from,
        to: q.to,
        order: q.order,
        limit: q.limit,
        after: q.after,
        filter: (expr) => addFilters(expr, q.filters, plan.covers),
        baseKeyOf: (position) => ({ pk: auditKeys.pk(q.tenantId, idOfPosition(position)) }),
        nowEpochSeconds: q.nowEpochSeconds,
        visibility: q.visibility && {
          rule: q.visibility,
          persons: (item) => auditPersons((item.e ?? {}) as AuditListItem),
        },
      });
    } catch (err) {
      // The service refused the query itself (a ValidationException): a planner bug, worth a log line.
      if (err instanceof DynamoDBServiceException && err.$fault === 'client' && !isThrottling(err)) {
        logger.error('audit query rejected', { error: err });
      }
      throw toDomainError(err, STORE);
    }
    logger.debug('audit query plan', {
      index: plan.index,
      streams: plan.partitionKeys.length,
      scanned: result.scanned,
      returned: result.items.length,
      queries: result.queries,
    });
    const opened = await this.open(
      q.tenantId,
      result.items.map((item) => item.e as Record<string, unknown>),
    );
    return {
      items: opened.map((e) => auditListItemSchema.parse(e)),
      nextPosition: result.nextPosition,
      scanned: result.scanned,
      index: plan.index,
    };
  }
}

/**
 * The key of each person an entry seals (domain/audit/personal.ts personsToSeal): synchronously
 * when the process holds them all (PersonKeys.peek, the warm path: no promise per person), else
 * after awaiting `current` for the others.
 */
export function sealingKeys(
  keys: PersonKeys,
  entry: AuditEntry,
): ((person: string) => PersonKey) | Promise<(person: string) => PersonKey> {
  const persons = personsToSeal(entry);
  const found: PersonKey[] = [];
  let missing = false;
  for (const person of persons) {
    const key = keys.peek?.(entry.tenantId, person);
    if (key === undefined) missing = true;
    else found.push(key);
  }
  const keyOf = (person: string) => found[persons.indexOf(person)]!;
  if (!missing) return keyOf;
  return (async () => {
    for (let i = 0; i < persons.length; i++) found[i] = await keys.current(entry.tenantId, persons[i]!);
    return keyOf;
  })();
}

/** Every filter the chosen index does not answer by key, as FilterExpression conditions. */
export function addFilters(expr: ExpressionBuilder, f: AuditFilters, covers: readonly KeyedFilter[]): void {
  const lists: [
    KeyedFilter | 'requestMethod' | 'requestStatus' | 'requestContentType' | 'classId',
    string,
  ][] = [
    ['actorId', 'e.actor.id'],
    ['action', 'e.action'],
    ['objectType', 'e.object.type'],
    ['objectId', 'e.object.id'],
    ['subjectId', 'e.subject.id'],
    ['source', 'e.source.kind'],
    ['courseId', 'e.context.courseId'],
    ['classId', 'e.context.classId'],
    ['requestMethod', 'e.request.method'],
    ['requestStatus', 'e.request.status'],
    ['requestContentType', 'f.ct'],
  ];
  for (const [name, path] of lists) {
    if ((covers as readonly string[]).includes(name)) continue;
    const values = f[name] as readonly unknown[] | undefined;
    if (values?.length) expr.anyOf(path, values);
  }
  if (f.objectName) {
    expr.add(`contains(${expr.path('f.on')}, ${expr.value(f.objectName.toLowerCase())})`);
  }
  if (f.ip && !covers.includes('ip')) {
    if (f.ip.includes('/')) {
      const { lo, hi } = cidrKeyRange(f.ip);
      expr.add(`${expr.path('f.ip')} BETWEEN ${expr.value(lo)} AND ${expr.value(hi)}`);
    } else {
      expr.add(`${expr.path('f.ip')} = ${expr.value(ipKey(f.ip))}`);
    }
  }
  if (f.system !== undefined && !covers.includes('system')) {
    expr.add(`${expr.path('e.actor.type')} ${f.system ? '<>' : '='} ${expr.value('user')}`);
  }
  if (f.requestUrl) {
    expr.add(`begins_with(${expr.path('e.request.url')}, ${expr.value(f.requestUrl)})`);
  }
}

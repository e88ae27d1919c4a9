import {
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  type QueryCommandInput,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { applyErasure, ERASED, erasureChange } from '../../domain/audit/personal.ts';
import { type ErasureStream, erasureCovers } from '../../domain/trust/erasure.ts';
import type { PersonKeys } from '../../use-cases/audit/ports.ts';
import type { ErasurePage, ErasureTargets } from '../../use-cases/trust/ports.ts';
import type { DynamoAuditStore } from './audit-store.ts';
import { forgetDirectoryTenant, TOMBSTONE_EMAIL } from './directory-store.ts';
import { isConditionFailure, toDomainError } from './errors.ts';

/**
 * An erasure's work on the tables. Audit entries: a page of the stream's index (the person's id
 * as actor, subject or object; for impersonators, who have no index, the tenant's byTime shard
 * filtered on `e.impersonator.id`), each entry read by key and, when it still holds something of
 * the person under the erasure's key version (erasureCovers), changed by one conditional
 * UpdateItem touching only `e` (commitments, erased markers), `f` and `ipp` (the plaintext
 * helpers) — the `erasure` grant allows nothing else.
 */
const PAGE = 100;
const INDEX: Record<Exclude<ErasureStream, 'impersonator'>, { index: string; key: string }> = {
  actor: { index: 'byActor', key: 'ap' },
  subject: { index: 'bySubject', key: 'sp' },
  object: { index: 'byObject', key: 'op' },
};

export interface DynamoErasureTargetsOptions {
  auditTable: string;
  activityTable: string;
  directoryTable: string;
  shardsFor: (tenantId: string) => number;
  /** How long a process elsewhere may still hold a retired or deleted key (default: the key cache's age). */
  waitSeconds?: number;
}

export class DynamoErasureTargets implements ErasureTargets {
  readonly keyCacheSeconds: number;
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly audit: DynamoAuditStore,
    private readonly keys: PersonKeys,
    private readonly options: DynamoErasureTargetsOptions,
  ) {
    this.keyCacheSeconds = options.waitSeconds ?? keys.cacheSeconds;
  }

  shards(tenantId: string): number {
    return this.options.shardsFor(tenantId);
  }

  keyVersion(tenantId: string, personId: string): Promise<string | null> {
    return this.keys.version(tenantId, personId);
  }

  retireKey(tenantId: string, personId: string, version: string): Promise<void> {
    return this.keys.retire(tenantId, personId, version);
  }

  async auditPage(
    tenantId: string,
    personId: string,
    versions: readonly string[] | undefined,
    stream: ErasureStream,
    shard: number,
    after: Record<string, unknown> | undefined,
  ): Promise<ErasurePage> {
    let items: Record<string, unknown>[];
    let next: Record<string, unknown> | undefined;
    try {
      const query: Omit<QueryCommandInput, 'TableName'> =
        stream === 'impersonator'
          ? {
              IndexName: 'byTime',
              KeyConditionExpression: '#k = :k',
              FilterExpression: '#e.#i.#id = :p',
              ExpressionAttributeNames: { '#k': 'tp', '#e': 'e', '#i': 'impersonator', '#id': 'id' },
              ExpressionAttributeValues: { ':k': `${tenantId}#${shard}`, ':p': personId },
            }
          : {
              IndexName: INDEX[stream].index,
              KeyConditionExpression: '#k = :k',
              ExpressionAttributeNames: { '#k': INDEX[stream].key },
              ExpressionAttributeValues: { ':k': `${tenantId}#${personId}` },
            };
      const out = await this.client.send(
        new QueryCommand({
          TableName: this.options.auditTable,
          ...query,
          ProjectionExpression: 'pk',
          Limit: PAGE,
          ExclusiveStartKey: after,
        }),
      );
      items = out.Items ?? [];
      next = out.LastEvaluatedKey;
    } catch (err) {
      throw toDomainError(err, 'The audit store');
    }
    let changed = 0;
    for (const item of items) {
      if (await this.eraseEntry(tenantId, personId, versions, String(item.pk))) changed += 1;
    }
    return { changed, ...(next ? { after: next } : {}) };
  }

  /**
   * One entry: read by key, opened, and changed once. True when something changed. The update
   * names only top-level attributes (`e`, `f`, `ipp`: what the `erasure` grant's
   * `dynamodb:Attributes` condition allows) and writes the whole list view, on condition that it is
   * still the one read (another erasure of the same entry in between: read again and redo).
   */
  private async eraseEntry(
    tenantId: string,
    personId: string,
    versions: readonly string[] | undefined,
    pk: string,
  ): Promise<boolean> {
    for (let attempt = 0; attempt < 5; attempt++) {
      let item: Record<string, unknown> | undefined;
      try {
        const out = await this.client.send(
          new GetCommand({
            TableName: this.options.auditTable,
            Key: { pk },
            ProjectionExpression: '#e, #f',
            ExpressionAttributeNames: { '#e': 'e', '#f': 'f' },
            ConsistentRead: true,
          }),
        );
        item = out.Item;
      } catch (err) {
        throw toDomainError(err, 'The audit store');
      }
      const stored = item?.e as Record<string, unknown> | undefined;
      if (!stored || !erasureCovers(stored, personId, versions)) return false;
      const [opened] = await this.audit.open(tenantId, [stored]);
      const change = erasureChange(stored, opened!, personId);
      if (!change) return false;
      const next = applyErasure(stored, change);
      const f = { ...((item?.f as Record<string, unknown> | undefined) ?? {}) };
      if (change.objectName) delete f.on;
      if (change.ip) delete f.ip;
      try {
        await this.client.send(
          new UpdateCommand({
            TableName: this.options.auditTable,
            Key: { pk },
            UpdateExpression: `SET #e = :e, #f = :f${change.ip ? ' REMOVE #ipp' : ''}`,
            ConditionExpression: 'attribute_exists(#pk) AND #e = :old',
            ExpressionAttributeNames: {
              '#pk': 'pk',
              '#e': 'e',
              '#f': 'f',
              ...(change.ip ? { '#ipp': 'ipp' } : {}),
            },
            ExpressionAttributeValues: { ':e': next, ':f': f, ':old': stored },
          }),
        );
        return true;
      } catch (err) {
        if (!isConditionFailure(err)) throw toDomainError(err, 'The audit store');
      }
    }
    throw toDomainError(new Error(`entry ${pk} kept changing during its erasure`), 'The audit store');
  }

  async activityPage(
    tenantId: string,
    personId: string,
    after: Record<string, unknown> | undefined,
  ): Promise<{ count: number; after?: Record<string, unknown> }> {
    try {
      const out = await this.client.send(
        new QueryCommand({
          TableName: this.options.activityTable,
          IndexName: 'byUser',
          KeyConditionExpression: '#k = :k',
          ExpressionAttributeNames: { '#k': 'up' },
          ExpressionAttributeValues: { ':k': `${tenantId}#${personId}` },
          Select: 'COUNT',
          ExclusiveStartKey: after,
        }),
      );
      return { count: out.Count ?? 0, ...(out.LastEvaluatedKey ? { after: out.LastEvaluatedKey } : {}) };
    } catch (err) {
      throw toDomainError(err, 'The activity store');
    }
  }

  destroyKey(tenantId: string, personId: string, version: string | undefined): Promise<void> {
    return this.keys.destroy(tenantId, personId, version);
  }

  /**
   * The directory record becomes a tombstone: the person's name reads "[erased]" wherever the
   * directory names them (the activity log's learner); their e-mail and every other personal
   * field go; what places them in the structure (role, status, manager, teams, groups) stays, so
   * managers' scopes still hold.
   */
  async tombstone(tenantId: string, personId: string): Promise<void> {
    const key = { pk: tenantId, sk: `USER#${personId}` };
    try {
      const out = await this.client.send(
        new GetCommand({ TableName: this.options.directoryTable, Key: key, ConsistentRead: true }),
      );
      const r = (out.Item?.r ?? {}) as Record<string, unknown>;
      if (r.firstName === ERASED) return;
      const keep = [
        'role',
        'status',
        'managerId',
        'primaryTeamId',
        'secondaryTeamIds',
        'groupIds',
        'reporting',
      ];
      const tomb: Record<string, unknown> = { role: 'Learner', status: 'deactivated' };
      for (const field of keep) if (r[field] !== undefined) tomb[field] = r[field];
      await this.client.send(
        new PutCommand({
          TableName: this.options.directoryTable,
          Item: {
            ...key,
            r: { ...tomb, id: personId, firstName: ERASED, lastName: '', email: TOMBSTONE_EMAIL },
          },
        }),
      );
    } catch (err) {
      throw toDomainError(err, 'The directory');
    }
    // In AWS other functions' snapshots expire within their cache age (shorter than the wait).
    forgetDirectoryTenant(this.options.directoryTable, tenantId);
  }
}

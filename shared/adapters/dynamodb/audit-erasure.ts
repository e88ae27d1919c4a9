import {
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  type QueryCommandInput,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import type { PersonalPath } from '../../domain/audit/integrity.ts';
import { ERASED, erasureChange } from '../../domain/audit/personal.ts';
import type { ErasureStream } from '../../domain/trust/erasure.ts';
import type { PersonKeys } from '../../use-cases/audit/ports.ts';
import type { ErasurePage, ErasureTargets } from '../../use-cases/trust/ports.ts';
import type { DynamoAuditStore } from './audit-store.ts';
import { forgetDirectoryTenant } from './directory-store.ts';
import { isConditionFailure, toDomainError } from './errors.ts';

/**
 * An erasure's work on the tables. Audit entries: a page of the stream's index (the person's id
 * as actor, subject or object; for impersonators, who have no index, the tenant's byTime shard
 * filtered on `e.impersonator.id`), each entry read by key and, when it still holds something of
 * the person, changed by one conditional UpdateItem touching only `e` (commitments, erased
 * markers), `f` and `ipp` (the plaintext helpers) — the `erasure` grant allows nothing else.
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
  /** How long a process elsewhere may still hold a deleted key (default: the key cache's age). */
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

  async auditPage(
    tenantId: string,
    personId: string,
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
      if (await this.eraseEntry(tenantId, personId, String(item.pk))) changed += 1;
    }
    return { changed, ...(next ? { after: next } : {}) };
  }

  /** One entry: read by key, opened, and changed once. True when something changed. */
  private async eraseEntry(tenantId: string, personId: string, pk: string): Promise<boolean> {
    let stored: Record<string, unknown> | undefined;
    try {
      const out = await this.client.send(
        new GetCommand({
          TableName: this.options.auditTable,
          Key: { pk },
          ProjectionExpression: '#e',
          ExpressionAttributeNames: { '#e': 'e' },
          ConsistentRead: true,
        }),
      );
      stored = out.Item?.e as Record<string, unknown> | undefined;
    } catch (err) {
      throw toDomainError(err, 'The audit store');
    }
    if (!stored) return false;
    const [opened] = await this.audit.open(tenantId, [stored]);
    const change = erasureChange(stored, opened!, personId);
    if (!change) return false;
    const names: Record<string, string> = { '#pk': 'pk', '#e': 'e' };
    const values: Record<string, unknown> = {};
    const set: string[] = [];
    const remove: string[] = [];
    const name = (part: string) => {
      const alias = `#n${Object.keys(names).length}`;
      names[alias] = part;
      return alias;
    };
    const at = (path: PersonalPath) => ['#e', ...path.split('.').map(name)].join('.');
    if (stored.integrity) {
      values[':c'] = change.commitments;
      set.push(`#e.${name('integrity')}.${name('commitments')} = :c`);
      if (change.salts) {
        values[':s'] = change.salts;
        set.push(`#e.${name('integrity')}.${name('salts')} = :s`);
        remove.push(`#e.${name('integrity')}.${name('salt')}`);
      }
    }
    if (change.markers.length > 0) {
      values[':x'] = ERASED;
      for (const path of change.markers) set.push(`${at(path)} = :x`);
      // Derived text is derived at read time; the stored copy of an old entry goes.
      remove.push(`#e.${name('summary')}`, `#e.${name('attribution')}`);
    }
    if (change.objectName) remove.push(`${name('f')}.${name('on')}`);
    if (change.ip) remove.push(`${name('f')}.${name('ip')}`, name('ipp'));
    try {
      await this.client.send(
        new UpdateCommand({
          TableName: this.options.auditTable,
          Key: { pk },
          UpdateExpression: [
            set.length ? `SET ${set.join(', ')}` : '',
            remove.length ? `REMOVE ${remove.join(', ')}` : '',
          ]
            .filter(Boolean)
            .join(' '),
          ConditionExpression: 'attribute_exists(#pk)',
          ExpressionAttributeNames: names,
          ...(Object.keys(values).length ? { ExpressionAttributeValues: values } : {}),
        }),
      );
    } catch (err) {
      if (isConditionFailure(err)) return false;
      throw toDomainError(err, 'The audit store');
    }
    return true;
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

  destroyKey(tenantId: string, personId: string): Promise<void> {
    return this.keys.destroy(tenantId, personId);
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
            r: { ...tomb, id: personId, firstName: ERASED, lastName: '', email: 'erased@erased.invalid' },
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

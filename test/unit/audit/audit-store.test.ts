import { ConditionalCheckFailedException, DynamoDBClient, PutItemCommand } from '@aws-sdk/client-dynamodb';
import {
  BatchGetCommand,
  BatchWriteCommand,
  DynamoDBDocumentClient,
  GetCommand,
  QueryCommand,
} from '@aws-sdk/lib-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { attribution, summarise } from '../../../shared/domain/audit/describe.ts';
import 'aws-sdk-client-mock-vitest/extend';
import { beforeEach, describe, expect, it } from 'vitest';
import { toAuditItem } from '../../../shared/adapters/dynamodb/audit-keys.ts';
import { planAuditQuery } from '../../../shared/adapters/dynamodb/audit-planner.ts';
import { DynamoAuditStore } from '../../../shared/adapters/dynamodb/audit-store.ts';
import { auditFiltersSchema } from '../../../shared/domain/audit/filters.ts';
import type { AuditEntry } from '../../../shared/domain/audit/schema.ts';
import { ThrottledError, UnavailableError } from '../../../shared/domain/errors.ts';

const ddb = mockClient(DynamoDBDocumentClient);
const client = DynamoDBDocumentClient.from(new DynamoDBClient({ region: 'eu-west-1' }));
const store = (shards = 1) => new DynamoAuditStore(client, { tableName: 'audit', shardsFor: () => shards });

const entry: AuditEntry = {
  id: 'e1',
  tenantId: 't1',
  occurredAt: '2026-11-01T10:00:00.000Z',
  recordedAt: '2026-11-01T10:00:01.000Z',
  actor: { type: 'user', id: 'u1', name: 'Ada' },
  action: 'Deleted',
  object: { type: 'Task', id: 'task-1', name: 'Onboarding Checklist' },
  subject: { id: 'l1', name: 'Leo' },
  source: { kind: 'api', name: 'App' },
  ip: '10.0.0.1',
  request: { method: 'POST', url: '/api/x', status: 200, contentType: 'Application/JSON; charset=utf-8' },
  context: { courseId: 'c1' },
  changes: [{ field: 'title', before: 'a', after: 'b' }],
  details: { k: 'v' },
  summary: 'Ada deleted Task "Onboarding Checklist"',
  attribution: 'API (App)',
};

beforeEach(() => {
  ddb.reset();
});

describe('DynamoAuditStore writes', () => {
  it('puts one item with the never-overwrite condition and every index key', async () => {
    ddb.on(PutItemCommand).resolves({});
    expect(await store().put(entry, 1_900_000_000)).toBe('created');
    expect(ddb).toHaveReceivedCommandWith(PutItemCommand, {
      TableName: 'audit',
      ConditionExpression: 'attribute_not_exists(pk)',
    });
    const sent = ddb.commandCalls(PutItemCommand)[0]!.args[0].input.Item!;
    expect(unmarshall(sent)).toEqual(
      expect.objectContaining({
        pk: 't1#e1',
        ts: '2026-11-01T10:00:00.000Z#e1',
        tp: 't1#0',
        ap: 't1#u1',
        op: 't1#task-1',
        sp: 't1#l1',
        acp: 't1#0#Deleted',
        otp: 't1#0#Task',
        srp: 't1#0#api',
        ipp: 't1#4:0a000001',
        crp: 't1#c1',
        tap: 't1#0#Task#Deleted',
        rqp: 't1#0',
        aap: 't1#u1#Deleted',
        cap: 't1#c1#Deleted',
        rmp: 't1#0#POST',
        f: { on: 'onboarding checklist', ip: '4:0a000001', ct: 'application/json' },
        x: { changes: entry.changes, details: entry.details },
        ttl: 1_900_000_000,
      }),
    );
    expect(ddb).not.toHaveReceivedCommand(BatchWriteCommand);
  });

  it('answers duplicate when the condition fails', async () => {
    ddb.on(PutItemCommand).rejects(new ConditionalCheckFailedException({ message: 'exists', $metadata: {} }));
    expect(await store().put(entry, 1)).toBe('duplicate');
  });

  it('maps throttling to 429 and other failures to 503 without internals', async () => {
    ddb
      .on(PutItemCommand)
      .rejects(Object.assign(new Error('Rate exceeded'), { name: 'ProvisionedThroughputExceededException' }));
    await expect(store().put(entry, 1)).rejects.toBeInstanceOf(ThrottledError);
    ddb.reset();
    ddb.on(PutItemCommand).rejects(Object.assign(new Error('socket hang up'), { name: 'TimeoutError' }));
    const err = await store()
      .put(entry, 1)
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UnavailableError);
    expect((err as Error).message).not.toContain('socket');
  });

  it('spreads a sharded tenant’s keys by a stable hash of the id', () => {
    const a = toAuditItem(entry, 8, 1);
    const b = toAuditItem(entry, 8, 1);
    expect(a.tp).toBe(b.tp);
    expect(a.tp).toMatch(/^t1#[0-7]$/);
    expect(a.acp.startsWith(`${a.tp}#`)).toBe(true);
  });
});

describe('DynamoAuditStore reads', () => {
  it('reads one entry consistently and hides it once past retention', async () => {
    const item = toAuditItem(entry, 1, 2_000);
    ddb.on(GetCommand).resolves({ Item: item });
    // Summary and attribution are derived at read time from what the reader may see.
    const shown = { ...entry, summary: summarise(entry), attribution: attribution(entry) };
    expect(await store().get('t1', 'e1', 1_999)).toEqual(shown);
    // Kept through the second its retention ends (as DynamoDB's TTL), gone after it.
    expect(await store().get('t1', 'e1', 2_000)).toEqual(shown);
    expect(await store().get('t1', 'e1', 2_001)).toBeNull();
    expect(ddb).toHaveReceivedCommandWith(GetCommand, { Key: { pk: 't1#e1' }, ConsistentRead: true });
  });

  it('queries the planner’s index with the other filters, the TTL condition and the window', async () => {
    ddb.on(QueryCommand).resolves({ Items: [toAuditItem(entry, 1, 2_000)], ScannedCount: 3 });
    const filters = auditFiltersSchema.parse({
      objectId: 'task-1',
      action: 'Deleted',
      ip: '10.0.0.0/8',
      system: 'true',
    });
    const page = await store().query({
      tenantId: 't1',
      filters,
      from: '2026-10-01T00:00:00.000Z',
      to: '2026-11-02T00:00:00.000Z',
      order: 'desc',
      limit: 10,
      nowEpochSeconds: 1_000,
    });
    expect(page).toMatchObject({ index: 'byObject', scanned: 3, nextPosition: null });
    expect(page.items[0]).not.toHaveProperty('changes');
    const input = ddb.commandCalls(QueryCommand)[0]!.args[0].input;
    expect(input.IndexName).toBe('byObject');
    expect(input.ScanIndexForward).toBe(false);
    expect(Object.values(input.ExpressionAttributeValues!)).toEqual(
      expect.arrayContaining([1_000, 't1#task-1', 'Deleted', '4:0a000000', '4:0affffff', 'user']),
    );
    expect(input.FilterExpression).toContain('BETWEEN');
    expect(input.FilterExpression).toContain('<>');
  });

  it('hydrates list items with changes and details by batch get', async () => {
    ddb
      .on(BatchGetCommand)
      .resolves({ Responses: { audit: [{ pk: 't1#e1', x: { changes: entry.changes } }] } });
    const { changes: _c, details: _d, ...listItem } = entry;
    const [full] = await store().hydrate('t1', [listItem]);
    expect(full!.changes).toEqual(entry.changes);
  });
});

describe('the audit query planner', () => {
  const plan = (raw: Record<string, string>, shards = 1) =>
    planAuditQuery('t1', auditFiltersSchema.parse(raw), shards);

  it('prefers the most selective index the filters allow', () => {
    expect(plan({ objectId: 'o1', actorId: 'u1', action: 'Created' }).index).toBe('byObject');
    expect(plan({ subjectId: 's1', actorId: 'u1' }).index).toBe('bySubject');
    expect(plan({ ip: '10.0.0.1', actorId: 'u1' }).index).toBe('byIp');
    expect(plan({ ip: '10.0.0.0/8', actorId: 'u1' }).index).toBe('byActor');
    expect(plan({ courseId: 'c1' }).index).toBe('byCourse');
    expect(plan({ courseId: 'c1', action: 'Created', actorId: 'u1' }).index).toBe('byCourseAction');
    expect(plan({ actorId: 'u1' }).index).toBe('byActor');
    expect(plan({ actorId: 'u1', action: 'Deleted', objectType: 'Task' }).index).toBe('byActorAction');
    expect(plan({ action: 'Created,Deleted', objectType: 'Task' }).partitionKeys).toEqual([
      't1#0#Task#Created',
      't1#0#Task#Deleted',
    ]);
    expect(plan({ requestMethod: 'POST', action: 'Created' }).index).toBe('byRequestMethod');
    expect(plan({ requestStatus: '404', action: 'Created' }).index).toBe('byRequest');
    expect(plan({ action: 'Created', source: 'api' }).index).toBe('byAction');
    expect(plan({ objectType: 'Task', source: 'api' }).index).toBe('byObjectType');
    expect(plan({ source: 'api', system: 'true' }).index).toBe('bySource');
    expect(plan({ system: 'true' }).index).toBe('bySystem');
    expect(plan({ system: 'false' }).index).toBe('byTime');
    expect(plan({ objectName: 'x' }).index).toBe('byTime');
  });

  it('makes one stream per value, times shards on sharded indexes', () => {
    expect(plan({ actorId: 'u1,u2,u3' }, 4).partitionKeys).toEqual(['t1#u1', 't1#u2', 't1#u3']);
    expect(plan({ action: 'Created,Deleted' }, 2).partitionKeys).toEqual([
      't1#0#Created',
      't1#1#Created',
      't1#0#Deleted',
      't1#1#Deleted',
    ]);
    expect(plan({}, 3).partitionKeys).toEqual(['t1#0', 't1#1', 't1#2']);
  });

  it('keys a course or an actor together with the action: one stream per pair, the pair left out of the filter', () => {
    const p = plan({ courseId: 'c1,c2', action: 'Enrolled,Unenrolled' });
    expect(p.partitionKeys).toEqual([
      't1#c1#Enrolled',
      't1#c1#Unenrolled',
      't1#c2#Enrolled',
      't1#c2#Unenrolled',
    ]);
    expect(p.covers).toEqual(['courseId', 'action']);
    expect(plan({ actorId: 'u1', action: 'Deleted' }).partitionKeys).toEqual(['t1#u1#Deleted']);
    expect(plan({ requestMethod: 'delete' }, 2).partitionKeys).toEqual(['t1#0#DELETE', 't1#1#DELETE']);
  });

  it('takes the single-key index when the pairs would need too many streams', () => {
    const actors = Array.from({ length: 10 }, (_, i) => `u${i}`).join(',');
    const p = plan({ actorId: actors, action: 'Created,Updated,Deleted,Archived,Restored' });
    expect(p.index).toBe('byActor');
    expect(p.partitionKeys).toHaveLength(10);
  });

  it('falls back to a broader index when a list would need too many streams', () => {
    const many = Array.from({ length: 60 }, (_, i) => `u${i}`).join(',');
    expect(plan({ actorId: many, action: 'Created' }).index).toBe('byAction');
  });
});

import {
  ConditionalCheckFailedException,
  DynamoDBClient,
  DynamoDBServiceException,
  PutItemCommand,
  type PutItemCommandInput,
} from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { DependencyFaultError } from '../../../shared/adapters/aws-errors.ts';
import { DynamoAuditStore } from '../../../shared/adapters/dynamodb/audit-store.ts';
import { MAX_STORED_ENTRY_BYTES } from '../../../shared/domain/audit/storable.ts';
import {
  DomainError,
  ThrottledError,
  UnavailableError,
  ValidationError,
} from '../../../shared/domain/errors.ts';
import { ingestAuditEvents } from '../../../shared/use-cases/audit/ingest.ts';
import { InMemoryAuditStore } from './fakes.ts';

/**
 * All or nothing, whatever the shape (issue 13.4): every value DynamoDB would refuse for good is
 * a 400 before the first write, and a storage failure part-way through a batch either leaves a
 * batch that a retry completes exactly once (429/503) or is not answered as retryable (500).
 */
const NOW = new Date('2026-11-22T10:00:00.000Z');
const event = (n: number, overrides: Record<string, unknown> = {}) => ({
  tenantId: 't1',
  occurredAt: '2026-11-22T09:00:00.000Z',
  actor: { type: 'user', id: 'u1', name: 'Adam Admin' },
  action: 'Created',
  object: { type: 'Task', id: `task-${n}`, name: 'Checklist' },
  source: { kind: 'web' },
  ...overrides,
});
/** Ten events, half of them without an id (the server assigns one). */
const batch = Array.from({ length: 10 }, (_, n) => event(n, n % 2 ? { id: `given-${n}` } : {}));

async function rejection(p: Promise<unknown>): Promise<unknown> {
  try {
    await p;
  } catch (err) {
    return err;
  }
  throw new Error('expected a rejection');
}

describe('values DynamoDB would refuse are 400s before the first write', () => {
  let store: InMemoryAuditStore;
  const deps = () => ({ store, clock: { now: () => NOW }, retentionMonths: 18 });
  beforeEach(() => {
    store = new InMemoryAuditStore();
  });

  it('names empty keys, out-of-range numbers and too-deep values in details and changes', async () => {
    let deep: unknown = 1;
    for (let i = 0; i < 30; i++) deep = { a: deep };
    const err = await rejection(
      ingestAuditEvents(deps(), [
        event(0),
        event(1, { details: JSON.parse('{"ok": {"": 1}, "n": [1e400, 1e20, 1e-200]}') }),
        event(2, { changes: [{ field: 'f', before: { '': 'x' } }], details: deep }),
      ]),
    );
    expect(err).toBeInstanceOf(ValidationError);
    expect((err as ValidationError).errors.map((e) => e.path)).toEqual([
      'events[1].details.ok.',
      'events[1].details.n[0]',
      'events[1].details.n[1]',
      'events[1].details.n[2]',
      `events[2].details${'.a'.repeat(29)}`,
    ]);
    expect(store.putCalls).toBe(0);
  });

  it('rejects an entry whose stored size would pass 390 KB, though within the JSON limits', async () => {
    // 200 changes of 1,250 zeros: 250 KB of JSON, about 530 KB as DynamoDB counts numbers.
    const changes = Array.from({ length: 200 }, (_, i) => ({ field: `f${i}`, after: Array(625).fill(0) }));
    const err = await rejection(ingestAuditEvents(deps(), [event(0, { changes })]));
    expect((err as ValidationError).errors).toEqual([
      { path: 'events[0]', message: `is larger than ${MAX_STORED_ENTRY_BYTES / 1024} KB when stored` },
    ]);
  });

  it('answers 5,000 and 100,000 levels with a ValidationError, without overflowing the stack', async () => {
    const deep = (levels: number) => JSON.parse(`${'{"a":'.repeat(levels)}1${'}'.repeat(levels)}`);
    const err = await rejection(
      ingestAuditEvents(deps(), [event(0, { details: deep(5_000) }), event(1, { details: deep(100_000) })]),
    );
    expect((err as ValidationError).errors.map((e) => `${e.path.slice(0, 20)} ${e.message}`).sort()).toEqual([
      'events[0].details.a. is nested deeper than 32 levels',
      'events[1].details must be at most 32 KB',
    ]);
    expect(store.putCalls).toBe(0);
  });
});

describe('a storage failure on the k-th write', () => {
  it('leaves a batch that the retry completes, every event created exactly once', async () => {
    const store = new InMemoryAuditStore();
    const deps = { store, clock: { now: () => NOW }, retentionMonths: 18, concurrency: 3 };
    for (const failure of [new UnavailableError('down'), new ThrottledError('busy')]) {
      store.entries.clear();
      let writes = 0;
      store.failWith = () => (++writes === 4 ? failure : undefined);
      expect(await rejection(ingestAuditEvents(deps, batch))).toBe(failure);
      const partial = store.entries.size;
      expect(partial).toBeGreaterThan(0);
      expect(partial).toBeLessThan(batch.length);

      store.failWith = undefined;
      // The retry is recorded later: a new clock must not change the server-assigned ids.
      const retry = await ingestAuditEvents(
        { ...deps, clock: { now: () => new Date(NOW.getTime() + 60_000) } },
        batch,
      );
      const statuses = retry.results.map((r) => r.status);
      expect(statuses.filter((s) => s === 'duplicate')).toHaveLength(partial);
      expect(statuses.filter((s) => s === 'created')).toHaveLength(batch.length - partial);
      expect(store.entries.size).toBe(batch.length);
      expect(new Set(retry.results.map((r) => r.id)).size).toBe(batch.length);
    }
  });

  it('is not answered as retryable when DynamoDB refuses the write for good', async () => {
    const ddb = mockClient(DynamoDBDocumentClient);
    const client = DynamoDBDocumentClient.from(new DynamoDBClient({ region: 'eu-west-1' }));
    const stored = new Map<string, PutItemCommandInput['Item']>();
    let calls = 0;
    ddb.on(PutItemCommand).callsFake((input: PutItemCommandInput) => {
      calls++;
      if (calls === 4)
        throw new DynamoDBServiceException({
          name: 'ValidationException',
          $fault: 'client',
          $metadata: {},
          message: 'One or more parameter values were invalid',
        });
      const pk = input.Item!.pk!.S!;
      if (stored.has(pk)) throw new ConditionalCheckFailedException({ $metadata: {}, message: 'exists' });
      stored.set(pk, input.Item);
      return {};
    });
    const store = new DynamoAuditStore(client, { tableName: 'audit', shardsFor: () => 1 });
    const err = await rejection(
      ingestAuditEvents({ store, clock: { now: () => NOW }, retentionMonths: 18, concurrency: 1 }, batch),
    );
    // A non-retryable fault: the error middleware answers a generic 500, never "safe to retry".
    expect(err).toBeInstanceOf(DependencyFaultError);
    expect((err as DomainError).statusCode).toBe(500);
    expect((err as Error).cause).toMatchObject({ name: 'ValidationException' });
    expect(stored.size).toBe(3);
    ddb.restore();
  });

  it('maps throttling to 429, server faults to 503 and client faults to a non-retryable 500, at the adapter', async () => {
    const ddb = mockClient(DynamoDBDocumentClient);
    const client = DynamoDBDocumentClient.from(new DynamoDBClient({ region: 'eu-west-1' }));
    const store = new DynamoAuditStore(client, { tableName: 'audit', shardsFor: () => 1 });
    const fail = (name: string, $fault: 'client' | 'server') =>
      new DynamoDBServiceException({ name, $fault, $metadata: {}, message: name });
    const entry = {
      ...event(0),
      id: 'e1',
      recordedAt: NOW.toISOString(),
      summary: 's',
      attribution: 'Web',
    } as Parameters<DynamoAuditStore['put']>[0];
    const outcomes: unknown[] = [];
    for (const err of [
      fail('ProvisionedThroughputExceededException', 'client'),
      fail('InternalServerError', 'server'),
      fail('ResourceNotFoundException', 'client'),
      fail('AccessDeniedException', 'client'),
      Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }),
    ]) {
      ddb.reset();
      ddb.on(PutItemCommand).rejects(err);
      const got = await rejection(store.put(entry, 2_000_000_000));
      outcomes.push(got instanceof DomainError ? got.statusCode : 'plain');
    }
    expect(outcomes).toEqual([429, 503, 500, 500, 503]);
    ddb.restore();
  });
});

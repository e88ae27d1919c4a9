import {
  ConditionalCheckFailedException,
  DynamoDBClient,
  TransactionCanceledException,
} from '@aws-sdk/client-dynamodb';
import {
  BatchGetCommand,
  DynamoDBDocumentClient,
  GetCommand,
  QueryCommand,
  TransactWriteCommand,
} from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { failedConditions, isConditionFailure } from '../../../shared/adapters/dynamodb/errors.ts';
import {
  BATCH_GET_MAX,
  batchGetAll,
  queryAll,
  queryItems,
} from '../../../shared/adapters/dynamodb/paginate.ts';
import { DynamoReportStore } from '../../../shared/adapters/dynamodb/report-store.ts';
import { ConflictError, DuplicateError, ThrottledError } from '../../../shared/domain/errors.ts';
import { REPORT_QUOTA, type StoredReport } from '../../../shared/domain/reports/report.ts';

const doc = DynamoDBDocumentClient.from(new DynamoDBClient({ region: 'eu-west-1' }));
const ddb = mockClient(doc);
beforeEach(() => ddb.reset());

const cancelled = (...codes: string[]) =>
  new TransactionCanceledException({
    message: 'Transaction cancelled',
    $metadata: {},
    CancellationReasons: codes.map((Code) => ({ Code })),
  });

describe('the DynamoDB error toolkit', () => {
  it('tells a failed condition by the SDK class, not by a look-alike name', () => {
    expect(isConditionFailure(new ConditionalCheckFailedException({ message: 'x', $metadata: {} }))).toBe(
      true,
    );
    expect(
      isConditionFailure(Object.assign(new Error('x'), { name: 'ConditionalCheckFailedException' })),
    ).toBe(false);
    expect(isConditionFailure(undefined)).toBe(false);
  });

  it('lists the items of a cancelled transaction whose condition failed, in order', () => {
    expect(failedConditions(cancelled('None', 'ConditionalCheckFailed'))).toEqual([1]);
    expect(failedConditions(cancelled('ConditionalCheckFailed', 'ConditionalCheckFailed'))).toEqual([0, 1]);
    expect(failedConditions(cancelled('TransactionConflict', 'None'))).toEqual([]);
    expect(failedConditions(new Error('other'))).toEqual([]);
  });

  it('maps a cancelled report transaction to the error of the item that failed', async () => {
    const report = {
      id: 'r1',
      tenantId: 'acme',
    } as unknown as StoredReport;
    ddb.on(GetCommand).resolves({ Item: { reports: 0, schedules: 0 } });
    ddb
      .on(TransactWriteCommand)
      .rejectsOnce(cancelled('ConditionalCheckFailed', 'None'))
      .rejectsOnce(cancelled('None', 'ConditionalCheckFailed'));
    const store = new DynamoReportStore(doc, { tableName: 'state' });
    await expect(store.create(report, REPORT_QUOTA)).rejects.toBeInstanceOf(DuplicateError);
    await expect(store.create(report, REPORT_QUOTA)).rejects.toBeInstanceOf(ConflictError);
  });
});

describe('the pagination helper', () => {
  const pages = () => {
    ddb
      .on(QueryCommand)
      .resolvesOnce({ Items: [{ n: 1 }, { n: 2 }], LastEvaluatedKey: { pk: 'a' } })
      .resolvesOnce({ Items: [{ n: 3 }], LastEvaluatedKey: { pk: 'b' } })
      .resolvesOnce({ Items: [{ n: 4 }] });
  };

  it('follows LastEvaluatedKey to the last page, with the page size as Limit', async () => {
    pages();
    const items = await queryAll(doc, { TableName: 't', KeyConditionExpression: 'pk = :p' }, { pageSize: 2 });
    expect(items.map((i) => i.n)).toEqual([1, 2, 3, 4]);
    // (The paginator reuses one input object, so each recorded call shows its final state.)
    const inputs = ddb.commandCalls(QueryCommand).map((c) => c.args[0].input);
    expect(inputs).toHaveLength(3);
    expect(inputs[2]).toMatchObject({ ExclusiveStartKey: { pk: 'b' }, Limit: 2 });
  });

  it('stops reading at the page that reaches the most asked for', async () => {
    pages();
    const items = await queryAll(doc, { TableName: 't', KeyConditionExpression: 'pk = :p' }, { max: 2 });
    expect(items.map((i) => i.n)).toEqual([1, 2]);
    expect(ddb.commandCalls(QueryCommand)).toHaveLength(1);
  });

  it('reads no further than the caller iterates, and leaves the caller’s input as it was', async () => {
    pages();
    const input = { TableName: 't', KeyConditionExpression: 'pk = :p' };
    for await (const item of queryItems(doc, input)) if (item.n === 3) break;
    expect(ddb.commandCalls(QueryCommand)).toHaveLength(2);
    expect(input).toEqual({ TableName: 't', KeyConditionExpression: 'pk = :p' });
  });
});

describe('the batch read helper', () => {
  const keys = (n: number) => Array.from({ length: n }, (_, i) => ({ pk: `k${i}` }));

  it('asks BATCH_GET_MAX keys a call and asks the unprocessed keys again', async () => {
    ddb
      .on(BatchGetCommand)
      .resolvesOnce({ Responses: { t: [{ pk: 'k0' }] }, UnprocessedKeys: { t: { Keys: [{ pk: 'k1' }] } } })
      .resolvesOnce({ Responses: { t: [{ pk: 'k1' }] } })
      .resolves({ Responses: { t: [{ pk: 'k100' }] } });
    const seen: unknown[] = [];
    await batchGetAll(doc, 't', keys(101), { busy: 'busy', consistentRead: true }, (i) => seen.push(i.pk));
    expect(seen).toEqual(['k0', 'k1', 'k100']);
    const asked = ddb.commandCalls(BatchGetCommand).map((c) => c.args[0].input.RequestItems!.t!);
    expect(asked.map((a) => a.Keys!.length)).toEqual([BATCH_GET_MAX, 1, 1]);
    expect(asked[0]).toMatchObject({ ConsistentRead: true });
  });

  it('gives up as a 429 naming the store when keys stay unprocessed', async () => {
    vi.useFakeTimers();
    try {
      ddb.on(BatchGetCommand).resolves({ UnprocessedKeys: { t: { Keys: [{ pk: 'k0' }] } } });
      const read = batchGetAll(doc, 't', keys(1), { busy: 'The log is busy.' }, () => undefined);
      const settled = read.catch((e: unknown) => e);
      await vi.runAllTimersAsync();
      const err = await settled;
      expect(err).toBeInstanceOf(ThrottledError);
      expect((err as Error).message).toBe('The log is busy.');
      expect(ddb.commandCalls(BatchGetCommand)).toHaveLength(9);
    } finally {
      vi.useRealTimers();
    }
  });
});

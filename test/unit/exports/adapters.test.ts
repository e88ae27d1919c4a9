import { Readable } from 'node:stream';
import { ConditionalCheckFailedException, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import {
  AbortMultipartUploadCommand,
  CompleteMultipartUploadCommand,
  CreateMultipartUploadCommand,
  PutObjectCommand,
  S3Client,
  UploadPartCommand,
} from '@aws-sdk/client-s3';
import {
  BatchGetCommand,
  DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  TransactWriteCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { DynamoExportStore } from '../../../shared/adapters/dynamodb/export-store.ts';
import {
  InProcessExportDispatcher,
  LambdaExportDispatcher,
} from '../../../shared/adapters/lambda/export-dispatcher.ts';
import { PART_SIZE, S3ExportFiles } from '../../../shared/adapters/s3/export-files.ts';
import { S3ExportLinks } from '../../../shared/adapters/s3/export-links.ts';
import { UnavailableError } from '../../../shared/domain/errors.ts';
import type { ExportJob } from '../../../shared/domain/exports/export-job.ts';

function inputs(mock: { commandCalls: (c: any) => Array<{ args: [{ input: unknown }] }> }, command: unknown) {
  return mock.commandCalls(command).map((c) => c.args[0].input);
}
const matching = (o: object) => expect.objectContaining(o);

const s3 = mockClient(S3Client);
const ddb = mockClient(DynamoDBDocumentClient);
const lambda = mockClient(LambdaClient);

beforeEach(() => {
  s3.reset();
  ddb.reset();
  lambda.reset();
});

function bigBody(bytes: number, failAt?: number): Readable {
  const line = Buffer.from(`${'x'.repeat(1023)}\n`);
  let sent = 0;
  return Readable.from(
    (async function* () {
      while (sent < bytes) {
        if (failAt !== undefined && sent >= failAt) throw new Error('query failed');
        sent += line.length;
        yield line;
      }
    })(),
  );
}

const s3Client = () =>
  new S3Client({ region: 'eu-west-1', credentials: { accessKeyId: 'a', secretAccessKey: 'b' } });

describe('S3 export files', () => {
  it('uploads a small file with one PutObject and its content type', async () => {
    s3.on(PutObjectCommand).resolves({ ETag: '"e"' });
    await new S3ExportFiles(s3Client(), 'bucket').upload('exports/t/x.csv', bigBody(10_000), 'text/csv');
    expect(inputs(s3, PutObjectCommand)).toContainEqual(
      matching({
        Bucket: 'bucket',
        Key: 'exports/t/x.csv',
        ContentType: 'text/csv',
      }),
    );
  });

  it('names the stored object with its own Content-Disposition, ASCII and UTF-8 forms', async () => {
    s3.on(PutObjectCommand).resolves({ ETag: '"e"' });
    await new S3ExportFiles(s3Client(), 'bucket').upload(
      'exports/t/x.csv',
      bigBody(1000),
      'text/csv',
      'weekly-deletions_2026-11-30_2026-12-06.csv',
    );
    expect(inputs(s3, PutObjectCommand)).toContainEqual(
      matching({
        ContentDisposition:
          'attachment; filename="weekly-deletions_2026-11-30_2026-12-06.csv"; ' +
          "filename*=UTF-8''weekly-deletions_2026-11-30_2026-12-06.csv",
      }),
    );
  });

  it('streams a large file as 5 MiB multipart parts', async () => {
    s3.on(CreateMultipartUploadCommand).resolves({ UploadId: 'up1' });
    s3.on(UploadPartCommand).resolves({ ETag: '"p"' });
    s3.on(CompleteMultipartUploadCommand).resolves({});
    await new S3ExportFiles(s3Client(), 'bucket').upload('k', bigBody(PART_SIZE * 2 + 1000), 'text/csv');
    const parts = s3.commandCalls(UploadPartCommand);
    expect(parts).toHaveLength(3);
    expect((parts[0]!.args[0].input.Body as Buffer).length).toBe(PART_SIZE);
    expect(inputs(s3, CompleteMultipartUploadCommand)).toHaveLength(1);
  });

  it('aborts the multipart upload and never completes it when a part fails', async () => {
    s3.on(CreateMultipartUploadCommand).resolves({ UploadId: 'up1' });
    s3.on(UploadPartCommand)
      .resolvesOnce({ ETag: '"p1"' })
      .rejects(new Error('InternalError: We encountered an internal error'));
    s3.on(AbortMultipartUploadCommand).resolves({});
    const err = await new S3ExportFiles(s3Client(), 'bucket')
      .upload('k', bigBody(PART_SIZE * 4), 'text/csv')
      .catch((e) => e);
    expect(err).toBeInstanceOf(UnavailableError);
    expect((err as Error).message).not.toMatch(/InternalError/);
    expect(inputs(s3, AbortMultipartUploadCommand)).toContainEqual(
      matching({
        Bucket: 'bucket',
        Key: 'k',
        UploadId: 'up1',
      }),
    );
    expect(inputs(s3, CompleteMultipartUploadCommand)).toHaveLength(0);
  });

  it('aborts and stores nothing when the body fails after some parts', async () => {
    s3.on(CreateMultipartUploadCommand).resolves({ UploadId: 'up1' });
    s3.on(UploadPartCommand).resolves({ ETag: '"p"' });
    s3.on(AbortMultipartUploadCommand).resolves({});
    await expect(
      new S3ExportFiles(s3Client(), 'bucket').upload(
        'k',
        bigBody(PART_SIZE * 4, PART_SIZE * 2 + 10),
        'text/csv',
      ),
    ).rejects.toThrow();
    expect(inputs(s3, AbortMultipartUploadCommand).length).toBeGreaterThan(0);
    expect(inputs(s3, CompleteMultipartUploadCommand)).toHaveLength(0);
    expect(inputs(s3, PutObjectCommand)).toHaveLength(0);
  });

  it('stores nothing when a small body fails before its end', async () => {
    await expect(
      new S3ExportFiles(s3Client(), 'bucket').upload('k', bigBody(100_000, 50_000), 'text/csv'),
    ).rejects.toThrow();
    expect(inputs(s3, PutObjectCommand)).toHaveLength(0);
  });

  it('presigns a short-lived GET that names the file and its type', async () => {
    const url = new URL(
      await new S3ExportLinks(s3Client(), 'bucket').presignDownload('exports/t/x.csv', {
        filename: 'activity-log-2026-11-22.csv',
        contentType: 'text/csv; charset=utf-8',
        expiresInSeconds: 300,
      }),
    );
    expect(url.pathname).toContain('exports/t/x.csv');
    expect(url.searchParams.get('X-Amz-Expires')).toBe('300');
    expect(url.searchParams.get('response-content-disposition')).toContain(
      'attachment; filename="activity-log-2026-11-22.csv"',
    );
    expect(url.searchParams.get('response-content-type')).toBe('text/csv; charset=utf-8');
  });
});

const job: ExportJob = {
  tenantId: 't1',
  id: 'EXP1',
  log: 'activity',
  format: 'csv',
  variant: 'standard',
  filters: { to: '2026-11-22T10:00:00.000Z' },
  requester: { userId: 'u1', role: 'hr', reporting: false },
  source: 'web',
  status: 'queued',
  createdAt: '2026-11-22T10:00:00.000Z',
};

describe('DynamoDB export store', () => {
  const store = () =>
    new DynamoExportStore(DynamoDBDocumentClient.from(new DynamoDBClient({ region: 'eu-west-1' })), {
      tableName: 'state',
      nowEpochSeconds: () => 1_800_000_000,
    });

  it('creates the job under the tenant-scoped key with its TTL, never overwriting', async () => {
    ddb.on(PutCommand).resolves({});
    // A scheduled run: the job alone (it is nobody's "my exports" line).
    await store().create({ ...job, source: 'scheduled_job' }, 1_900_000_000);
    expect(inputs(ddb, PutCommand)).toContainEqual(
      matching({
        TableName: 'state',
        Item: expect.objectContaining({
          pk: 't1#EXPORT#EXP1',
          sk: 'EXPORT',
          ttl: 1_900_000_000,
          status: 'queued',
        }),
        ConditionExpression: 'attribute_not_exists(pk)',
      }),
    );
  });

  it('writes a requested job and its line in the requester’s list in one transaction', async () => {
    ddb.on(TransactWriteCommand).resolves({});
    await store().create(job, 1_900_000_000);
    const items = ddb.commandCalls(TransactWriteCommand)[0]!.args[0].input.TransactItems ?? [];
    expect(items.map((i) => i.Put?.Item?.pk)).toEqual([
      't1#EXPORT#EXP1',
      `t1#MYEXPORTS#${job.requester.userId}`,
    ]);
    expect(items[0]?.Put?.ConditionExpression).toBe('attribute_not_exists(pk)');
    expect(items[1]?.Put?.Item).toEqual({
      pk: `t1#MYEXPORTS#${job.requester.userId}`,
      sk: `${job.createdAt}#EXP1`,
      id: 'EXP1',
      ttl: 1_900_000_000,
    });
  });

  it('lists only the requester’s own jobs of the tenant, newest first, leaving out forgotten and foreign ones', async () => {
    const line = (id: string, ttl = 1_900_000_000) => ({
      pk: 'x',
      sk: `2026-11-0${id.length}T00:00:00.000Z#${id}`,
      id,
      ttl,
    });
    ddb
      .on(QueryCommand)
      .resolves({ Items: [line('A'), line('BB', 1), line('CCC'), line('DDDD'), line('EEEEE')] });
    ddb.on(BatchGetCommand).resolves({
      Responses: {
        state: [
          { ...job, id: 'A' },
          { ...job, id: 'CCC', requester: { ...job.requester, userId: 'someone-else' } },
          { ...job, id: 'DDDD', tenantId: 't2' },
        ],
      },
    });
    const out = await store().listByRequester('t1', job.requester.userId, 4);
    expect(out.jobs.map((j) => j.id)).toEqual(['A']);
    // Five lines for a page of four: more follow, after the fourth line.
    expect(out.last).toBe(line('DDDD').sk);
    const query = ddb.commandCalls(QueryCommand)[0]!.args[0].input;
    expect(query.ExpressionAttributeValues).toEqual({ ':pk': `t1#MYEXPORTS#${job.requester.userId}` });
    expect(query.ScanIndexForward).toBe(false);
    expect(query.Limit).toBe(5);
    const keys = ddb.commandCalls(BatchGetCommand)[0]!.args[0].input.RequestItems?.state?.Keys;
    expect(keys).toEqual([
      { pk: 't1#EXPORT#A', sk: 'EXPORT' },
      { pk: 't1#EXPORT#CCC', sk: 'EXPORT' },
      { pk: 't1#EXPORT#DDDD', sk: 'EXPORT' },
    ]);
  });

  it('moves the status only from the expected one, and reports a lost race as false', async () => {
    ddb
      .on(UpdateCommand)
      .resolvesOnce({})
      .rejectsOnce(
        new ConditionalCheckFailedException({ message: 'The conditional request failed', $metadata: {} }),
      );
    expect(await store().transition('t1', 'EXP1', ['queued'], 'running', { startedAt: 'now' })).toBe(true);
    expect(await store().transition('t1', 'EXP1', ['queued'], 'running', { startedAt: 'now' })).toBe(false);
    const input = ddb.commandCalls(UpdateCommand)[0]!.args[0].input;
    expect(input.Key).toEqual({ pk: 't1#EXPORT#EXP1', sk: 'EXPORT' });
    expect(Object.values(input.ExpressionAttributeValues ?? {})).toEqual(
      expect.arrayContaining(['running', 'now', 'queued']),
    );
    expect(input.ConditionExpression).toContain('attribute_exists(pk)');
  });

  it('maps other failures to UnavailableError without their text', async () => {
    ddb.on(UpdateCommand).rejects(new Error('socket hang up'));
    const err = await store()
      .transition('t1', 'EXP1', ['running'], 'failed', {})
      .catch((e) => e);
    expect(err).toBeInstanceOf(UnavailableError);
    expect((err as Error).message).not.toContain('socket');
  });

  it('reads a job back consistently, and forgets it past its TTL', async () => {
    ddb.on(GetCommand).resolves({ Item: { pk: 'x', sk: 'EXPORT', ttl: 1_900_000_000, ...job } });
    expect(await store().get('t1', 'EXP1')).toEqual(job);
    expect(inputs(ddb, GetCommand)).toContainEqual(matching({ ConsistentRead: true }));
    ddb.on(GetCommand).resolves({ Item: { ...job, ttl: 1_700_000_000 } });
    expect(await store().get('t1', 'EXP1')).toBeNull();
  });
});

describe('export dispatch', () => {
  it('invokes the worker Lambda asynchronously with the job reference', async () => {
    lambda.on(InvokeCommand).resolves({ StatusCode: 202 });
    await new LambdaExportDispatcher(new LambdaClient({ region: 'eu-west-1' }), 'worker-fn').dispatch({
      tenantId: 't1',
      exportId: 'EXP1',
    });
    const input = lambda.commandCalls(InvokeCommand)[0]!.args[0].input;
    expect(input).toMatchObject({ FunctionName: 'worker-fn', InvocationType: 'Event' });
    expect(JSON.parse(new TextDecoder().decode(input.Payload as Uint8Array))).toEqual({
      tenantId: 't1',
      exportId: 'EXP1',
    });
  });

  it('reports a failed invoke as UnavailableError', async () => {
    lambda.on(InvokeCommand).rejects(new Error('TooManyRequestsException'));
    await expect(
      new LambdaExportDispatcher(new LambdaClient({ region: 'eu-west-1' }), 'fn').dispatch({
        tenantId: 't',
        exportId: 'e',
      }),
    ).rejects.toBeInstanceOf(UnavailableError);
  });

  it('runs in-process without waiting, and swallows the worker’s errors', async () => {
    const ran: string[] = [];
    let release!: () => void;
    const gate = new Promise<void>((r) => {
      release = r;
    });
    const d = new InProcessExportDispatcher(async (ref) => {
      await gate;
      ran.push(ref.exportId);
      if (ref.exportId === 'bad') throw new Error('boom');
    });
    await d.dispatch({ tenantId: 't', exportId: 'ok' });
    await d.dispatch({ tenantId: 't', exportId: 'bad' });
    expect(ran).toEqual([]);
    release();
    await d.idle();
    expect(ran).toEqual(['ok', 'bad']);
  });
});

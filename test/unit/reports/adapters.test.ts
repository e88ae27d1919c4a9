import { ConditionalCheckFailedException, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SESv2Client, SendEmailCommand } from '@aws-sdk/client-sesv2';
import { DynamoDBDocumentClient, PutCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { DynamoReportStore, reportKeys } from '../../../shared/adapters/dynamodb/report-store.ts';
import { DynamoRunLedger } from '../../../shared/adapters/dynamodb/run-ledger.ts';
import { SesMailer } from '../../../shared/adapters/ses/mailer.ts';
import { UnavailableError } from '../../../shared/domain/errors.ts';
import { REPORT_QUOTA, type StoredReport } from '../../../shared/domain/reports/report.ts';

const doc = DynamoDBDocumentClient.from(new DynamoDBClient({ region: 'eu-west-1' }));
const ddb = mockClient(doc);
const ses = mockClient(SESv2Client);

beforeEach(() => {
  ddb.reset();
  ses.reset();
});

const report = (paused: boolean): StoredReport => ({
  tenantId: 'acme',
  id: 'r1',
  name: 'Deletions',
  log: 'audit',
  filters: {},
  visibility: 'private',
  ownerId: 'u1',
  createdAt: '2026-01-01T00:00:00.000Z',
  updatedAt: '2026-01-01T00:00:00.000Z',
  schedule: {
    version: 'v1',
    frequency: 'daily',
    recipients: ['u2'],
    timeZone: 'UTC',
    hour: 6,
    nextRunAt: '2026-01-02T06:00:00.000Z',
    paused,
    createdAt: '2026-01-01T00:00:00.000Z',
    updatedAt: '2026-01-01T00:00:00.000Z',
  },
});

describe('the DynamoDB report store', () => {
  it('puts an active schedule into the sparse due index, and a paused one not', async () => {
    ddb.on(PutCommand).resolves({});
    const store = new DynamoReportStore(doc, { tableName: 'state' });
    await store.save(report(false), report(false), REPORT_QUOTA);
    await store.save(report(true), report(false), REPORT_QUOTA);
    const [active, paused] = ddb.commandCalls(PutCommand).map((c) => c.args[0].input.Item ?? {});
    expect(active).toMatchObject({
      pk: 'REPORTS#acme',
      sk: 'REPORT#r1',
      dp: reportKeys.due('acme', 'r1'),
      nextRunAt: '2026-01-02T06:00:00.000Z',
      tenantId: 'acme',
      reportId: 'r1',
    });
    expect(paused).not.toHaveProperty('dp');
    expect(paused).not.toHaveProperty('nextRunAt');
  });

  it('finds due schedules with one indexed query per shard, never a scan', async () => {
    ddb.on(QueryCommand).resolves({ Items: [] });
    await new DynamoReportStore(doc, { tableName: 'state' }).due(new Date('2026-01-02T06:00:00.000Z'), 100);
    const calls = ddb.commandCalls(QueryCommand).map((c) => c.args[0].input);
    expect(calls).toHaveLength(4);
    for (const input of calls) {
      expect(input).toMatchObject({
        IndexName: 'byDue',
        KeyConditionExpression: 'dp = :dp AND nextRunAt <= :now',
        ExpressionAttributeValues: { ':now': '2026-01-02T06:00:00.000Z' },
      });
    }
    expect(calls.map((c) => c.ExpressionAttributeValues?.[':dp']).sort()).toEqual([
      'DUE#0',
      'DUE#1',
      'DUE#2',
      'DUE#3',
    ]);
  });

  it('advances only the schedule version it read, and pausing removes it from the index', async () => {
    ddb
      .on(UpdateCommand)
      .resolvesOnce({})
      .rejectsOnce(new ConditionalCheckFailedException({ message: 'no', $metadata: {} }));
    const store = new DynamoReportStore(doc, { tableName: 'state' });
    const paused = await store.advance('acme', 'r1', 'v1', {
      nextRunAt: '2026-01-02T06:00:00.000Z',
      paused: { reason: 'owner deactivated', at: '2026-01-02T06:00:00.000Z' },
    });
    expect(paused).toBe(true);
    const input = ddb.commandCalls(UpdateCommand)[0]?.args[0].input;
    expect(input?.ConditionExpression).toBe('#r.#s.#v = :v');
    expect(input?.UpdateExpression).toContain('REMOVE dp, nextRunAt');
    expect(await store.advance('acme', 'r1', 'v0', { nextRunAt: '2026-01-03T06:00:00.000Z' })).toBe(false);
  });
});

describe('the DynamoDB run ledger', () => {
  const key = { tenantId: 'acme', reportId: 'r1', periodStart: '2026-01-01T00:00:00.000Z' };

  it('claims a run with attribute_not_exists and answers false when it exists', async () => {
    ddb
      .on(PutCommand)
      .resolvesOnce({})
      .rejectsOnce(new ConditionalCheckFailedException({ message: 'x', $metadata: {} }));
    const ledger = new DynamoRunLedger(doc, { tableName: 'state' });
    const run = {
      ...key,
      scheduledFor: '2026-01-02T06:00:00.000Z',
      periodEnd: '2026-01-02T00:00:00.000Z',
      status: 'running' as const,
      attempts: 1,
      leaseUntil: '2026-01-02T06:10:00.000Z',
      skipped: [],
      updatedAt: '2026-01-02T06:00:00.000Z',
    };
    expect(await ledger.claim(run)).toBe(true);
    expect(await ledger.claim(run)).toBe(false);
    const input = ddb.commandCalls(PutCommand)[0]?.args[0].input;
    expect(input?.ConditionExpression).toBe('attribute_not_exists(pk)');
    expect(input?.Item).toMatchObject({ pk: 'RUNS#acme#r1', sk: 'RUN#2026-01-01T00:00:00.000Z' });
    expect(typeof input?.Item?.ttl).toBe('number');
  });

  it('records a send before it goes out, allowing a retry only after a failure', async () => {
    ddb.on(PutCommand).rejects(new ConditionalCheckFailedException({ message: 'x', $metadata: {} }));
    const ledger = new DynamoRunLedger(doc, { tableName: 'state' });
    expect(await ledger.claimSend(key, 'u2', 'u2@example.com', '2026-01-02T06:00:00.000Z')).toBe(false);
    const input = ddb.commandCalls(PutCommand)[0]?.args[0].input;
    expect(input?.Item).toMatchObject({ sk: 'RUN#2026-01-01T00:00:00.000Z#SEND#u2', status: 'sending' });
    expect(input?.ConditionExpression).toBe('attribute_not_exists(pk) OR #st = :failed');
  });

  it('maps other DynamoDB failures to a 503 that hides the SDK message', async () => {
    ddb
      .on(PutCommand)
      .rejects(Object.assign(new Error('socket hang up at 10.0.0.1'), { name: 'InternalServerError' }));
    await expect(
      new DynamoRunLedger(doc, { tableName: 'state' }).claimSend(key, 'u2', 'x@y.z', 'now'),
    ).rejects.toBeInstanceOf(UnavailableError);
  });
});

describe('the SES mailer', () => {
  it('sends one message to one address with HTML and text bodies', async () => {
    ses.on(SendEmailCommand).resolves({ MessageId: 'm1' });
    const out = await new SesMailer(new SESv2Client({ region: 'eu-west-1' }), 'reports@logbook.local').send({
      to: 'a@example.com',
      subject: 'Scheduled report: X',
      text: 'text',
      html: '<p>html</p>',
    });
    expect(out.messageId).toBe('m1');
    const input = ses.commandCalls(SendEmailCommand)[0]?.args[0].input;
    expect(input).toMatchObject({
      FromEmailAddress: 'reports@logbook.local',
      Destination: { ToAddresses: ['a@example.com'] },
      Content: {
        Simple: {
          Subject: { Data: 'Scheduled report: X' },
          Body: { Text: { Data: 'text' }, Html: { Data: '<p>html</p>' } },
        },
      },
    });
  });

  it('turns an SES failure into a retryable 503 without its message', async () => {
    ses.on(SendEmailCommand).rejects(new Error('MessageRejected: secret detail'));
    await expect(
      new SesMailer(new SESv2Client({ region: 'eu-west-1' }), 'r@l.local').send({
        to: 'a@b.c',
        subject: 's',
        text: 't',
        html: 'h',
      }),
    ).rejects.toBeInstanceOf(UnavailableError);
  });
});

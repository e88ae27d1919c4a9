import { SendMessageBatchCommand, SQSClient } from '@aws-sdk/client-sqs';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { runTaskSchema, SqsRunQueue } from '../../../shared/adapters/sqs/run-queue.ts';
import { UnavailableError } from '../../../shared/domain/errors.ts';

const sqs = mockClient(SQSClient);
beforeEach(() => sqs.reset());

const task = (n: number) => ({
  tenantId: `t${n % 3}`,
  reportId: `r${n}`,
  periodStart: '2026-05-10T00:00:00.000Z',
  scheduledFor: '2026-05-11T06:00:00.000Z',
  attempt: 1,
});

describe('the SQS run queue', () => {
  it('sends one message per run, ten to a batch, in the order given', async () => {
    sqs.on(SendMessageBatchCommand).resolves({ Successful: [], Failed: [] });
    const queue = new SqsRunQueue(new SQSClient({ region: 'eu-west-1' }), 'https://sqs.local/q');
    const tasks = Array.from({ length: 23 }, (_, i) => task(i));
    expect(await queue.enqueue(tasks)).toEqual(tasks.map(() => 'queued'));
    const calls = sqs.commandCalls(SendMessageBatchCommand).map((c) => c.args[0].input);
    expect(calls.map((c) => c.Entries?.length)).toEqual([10, 10, 3]);
    const bodies = calls
      .flatMap((c) => c.Entries ?? [])
      .map((e) => runTaskSchema.parse(JSON.parse(e.MessageBody ?? '')));
    expect(bodies).toEqual(tasks);
    expect(calls.every((c) => c.QueueUrl === 'https://sqs.local/q')).toBe(true);
  });

  it('resends the entries SQS refused, and gives up as unavailable when they fail again', async () => {
    sqs
      .on(SendMessageBatchCommand)
      .resolvesOnce({ Failed: [{ Id: '1', SenderFault: false, Code: 'InternalError' }] })
      .resolves({ Failed: [] });
    const queue = new SqsRunQueue(new SQSClient({ region: 'eu-west-1' }), 'q');
    await queue.enqueue([task(0), task(1)]);
    const calls = sqs
      .commandCalls(SendMessageBatchCommand)
      .map((c) => c.args[0].input.Entries?.map((e) => e.Id));
    expect(calls).toEqual([['0', '1'], ['1']]);

    sqs.reset();
    sqs
      .on(SendMessageBatchCommand)
      .resolves({ Failed: [{ Id: '0', SenderFault: false, Code: 'InternalError' }] });
    await expect(queue.enqueue([task(0)])).rejects.toBeInstanceOf(UnavailableError);
  });
});

import { SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { SqsErasureQueue } from '../../../shared/adapters/sqs/erasure-queue.ts';
import { SqsExpiryQueue } from '../../../shared/adapters/sqs/expiry-queue.ts';
import { UnavailableError } from '../../../shared/domain/errors.ts';

const sqs = mockClient(SQSClient);
beforeEach(() => sqs.reset());
const client = () => new SQSClient({ region: 'eu-west-1' });

describe('the trust jobs’ SQS queues', () => {
  it('send the task as the body, with a delay only when asked and at most the 900 s SQS allows', async () => {
    sqs.on(SendMessageCommand).resolves({});
    const erasures = new SqsErasureQueue(client(), 'https://sqs.local/erasures');
    await erasures.enqueue({ tenantId: 't1', erasureId: 'e1' });
    await erasures.enqueue({ tenantId: 't1', erasureId: 'e1' }, 300);
    await erasures.enqueue({ tenantId: 't1', erasureId: 'e1' }, 3_600);
    const inputs = sqs.commandCalls(SendMessageCommand).map((c) => c.args[0].input);
    expect(inputs.map((i) => i.DelaySeconds)).toEqual([undefined, 300, 900]);
    expect(inputs.every((i) => i.QueueUrl === 'https://sqs.local/erasures')).toBe(true);
    expect(JSON.parse(inputs[0]?.MessageBody ?? '')).toEqual({ tenantId: 't1', erasureId: 'e1' });
  });

  it('name their own queue when SQS fails', async () => {
    sqs
      .on(SendMessageCommand)
      .rejects(Object.assign(new Error('down'), { name: 'InternalError', $fault: 'server' }));
    const expiry = new SqsExpiryQueue(client(), 'https://sqs.local/expiry');
    const erasures = new SqsErasureQueue(client(), 'https://sqs.local/erasures');
    await expect(expiry.enqueue({ tenantId: 't1', jobId: 'j1' })).rejects.toThrow(
      /^The expiry job queue is unavailable/,
    );
    await expect(erasures.enqueue({ tenantId: 't1', erasureId: 'e1' })).rejects.toBeInstanceOf(
      UnavailableError,
    );
  });
});

// The run queue in AWS: one SQS message per claimed run, sent ten to a SendMessageBatch call in
// the order given (the tick's round-robin by tenant), so workers pick them up fairly. A message
// that failed to send is retried once in the next batch call; one that still fails rejects the
// whole hand-off (the tick then releases the claims for the next tick to take over).

import { SendMessageBatchCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { z } from 'zod';
import { UnavailableError } from '../../domain/errors.ts';
import type { RunQueue, RunTask } from '../../use-cases/reports/ports.ts';
import { toDomainError } from '../aws-errors.ts';

export const SQS_BATCH = 10;

export const runTaskSchema = z.object({
  tenantId: z.string().min(1),
  reportId: z.string().min(1),
  periodStart: z.string().min(1),
  scheduledFor: z.string().min(1),
  attempt: z.number().int().min(1),
});

export class SqsRunQueue implements RunQueue {
  constructor(
    private readonly client: SQSClient,
    private readonly queueUrl: string,
  ) {}

  async enqueue(tasks: readonly RunTask[]): Promise<'queued'[]> {
    for (let i = 0; i < tasks.length; i += SQS_BATCH) {
      let pending = tasks.slice(i, i + SQS_BATCH).map((task, n) => ({ Id: String(n), task }));
      for (let tries = 0; pending.length > 0; tries++) {
        if (tries === 2) throw new UnavailableError('The run queue did not take every run.');
        const out = await this.client
          .send(
            new SendMessageBatchCommand({
              QueueUrl: this.queueUrl,
              Entries: pending.map((p) => ({ Id: p.Id, MessageBody: JSON.stringify(p.task) })),
            }),
          )
          .catch((err: unknown) => {
            throw toDomainError(err, 'The run queue');
          });
        const failed = new Set((out.Failed ?? []).map((f) => f.Id));
        pending = pending.filter((p) => failed.has(p.Id));
      }
    }
    return tasks.map(() => 'queued');
  }
}

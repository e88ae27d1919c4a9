import type { SQSClient } from '@aws-sdk/client-sqs';
import type { ExpiryTask } from '../../domain/trust/jobs.ts';
import type { ExpiryQueue } from '../../use-cases/trust/ports.ts';
import { SqsTaskQueue } from './task-queue.ts';

/** Expiry jobs in AWS: one SQS message per step of a job (`{tenantId, jobId}`). */
export class SqsExpiryQueue extends SqsTaskQueue<ExpiryTask> implements ExpiryQueue {
  constructor(client: SQSClient, queueUrl: string) {
    super(client, queueUrl, 'The expiry job queue');
  }
}

/**
 * Locally there is no SQS: tasks wait in this process (every handler runs in the gateway's
 * process) until `POST /_local/expiry-jobs` or `npm start`'s ticker runs them; delays are ignored.
 * Kept on globalThis so every copy of this module in a process shares one queue.
 */
const KEY = Symbol.for('logbook.expiry-jobs');
const registry = globalThis as Record<symbol, ExpiryTask[] | undefined>;

export const localExpiryQueue: ExpiryQueue & { take(): ExpiryTask | undefined; size(): number } = {
  async enqueue(task) {
    registry[KEY] ??= [];
    registry[KEY].push(task);
  },
  take() {
    return registry[KEY]?.shift();
  },
  size() {
    return registry[KEY]?.length ?? 0;
  },
};

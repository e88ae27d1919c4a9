import type { SQSClient } from '@aws-sdk/client-sqs';
import type { ErasureTask } from '../../domain/trust/erasure.ts';
import type { ErasureQueue } from '../../use-cases/trust/ports.ts';
import { SqsTaskQueue } from './task-queue.ts';

/** Erasure steps in AWS: one SQS message per step (`{tenantId, erasureId}`). */
export class SqsErasureQueue extends SqsTaskQueue<ErasureTask> implements ErasureQueue {
  constructor(client: SQSClient, queueUrl: string) {
    super(client, queueUrl, 'The erasure queue');
  }
}

/**
 * Locally there is no SQS: steps wait in this process until `POST /_local/erasure-jobs` (or
 * `npm start`'s ticker) runs them. A delayed step keeps its delay (`notBefore`), which the drain
 * sleeps out.
 */
const KEY = Symbol.for('logbook.erasure-jobs');
const registry = globalThis as Record<symbol, { task: ErasureTask; notBefore: number }[] | undefined>;

export const localErasureQueue: ErasureQueue & {
  take(): { task: ErasureTask; notBefore: number } | undefined;
  size(): number;
} = {
  async enqueue(task, delaySeconds) {
    registry[KEY] ??= [];
    registry[KEY].push({ task, notBefore: Date.now() + (delaySeconds ?? 0) * 1000 });
  },
  take() {
    return registry[KEY]?.shift();
  },
  size() {
    return registry[KEY]?.length ?? 0;
  },
};

import { SendMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { ErasureTask } from '../../domain/trust/erasure.ts';
import type { ErasureQueue } from '../../use-cases/trust/ports.ts';
import { toDomainError } from '../aws-errors.ts';

/** Erasure steps in AWS: one SQS message per step (`{tenantId, erasureId}`). */
export class SqsErasureQueue implements ErasureQueue {
  constructor(
    private readonly client: SQSClient,
    private readonly queueUrl: string,
  ) {}

  async enqueue(task: ErasureTask, delaySeconds?: number): Promise<void> {
    await this.client
      .send(
        new SendMessageCommand({
          QueueUrl: this.queueUrl,
          MessageBody: JSON.stringify(task),
          ...(delaySeconds ? { DelaySeconds: Math.min(900, delaySeconds) } : {}),
        }),
      )
      .catch((err: unknown) => {
        throw toDomainError(err, 'The erasure queue');
      });
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

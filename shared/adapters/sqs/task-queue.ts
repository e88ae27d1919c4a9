// One SQS message per task step, as the trust jobs (expiry, erasure) queue their steps.

import { SendMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { toDomainError } from '../aws-errors.ts';

/** A task queue in AWS: the task as the JSON body, an optional delay (SQS allows at most 900 s). */
export class SqsTaskQueue<T> {
  constructor(
    private readonly client: SQSClient,
    private readonly queueUrl: string,
    /** How errors name the queue, e.g. "The erasure queue". */
    private readonly label: string,
  ) {}

  async enqueue(task: T, delaySeconds?: number): Promise<void> {
    await this.client
      .send(
        new SendMessageCommand({
          QueueUrl: this.queueUrl,
          MessageBody: JSON.stringify(task),
          ...(delaySeconds ? { DelaySeconds: Math.min(900, delaySeconds) } : {}),
        }),
      )
      .catch((err: unknown) => {
        throw toDomainError(err, this.label);
      });
  }
}

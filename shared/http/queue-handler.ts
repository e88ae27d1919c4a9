// The SQS counterpart of apiHandler (./handler.ts): one task per message, parsed with its zod
// schema, each handled on its own, with the partial-batch answer Lambda's SQS trigger reads.

import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import type { z } from 'zod';
import { logger, withMetrics } from '../observability.ts';

/**
 * A worker's handler. A message that is not JSON or not a task is logged (`<name>: malformed
 * message`) and dropped: redelivery could not mend it. A task that throws is logged
 * (`<name> failed`) and its message returned (redelivered, then the dead-letter queue); the
 * others in the batch are done. Metrics are flushed after each invocation.
 */
export function queueHandler<S extends z.ZodType<object>>(
  name: string,
  schema: S,
  handle: (task: z.infer<S>) => Promise<void>,
): (event: SQSEvent) => Promise<SQSBatchResponse> {
  return withMetrics(async (event: SQSEvent): Promise<SQSBatchResponse> => {
    const batchItemFailures: SQSBatchResponse['batchItemFailures'] = [];
    for (const record of event.Records) {
      let body: unknown;
      try {
        body = JSON.parse(record.body);
      } catch {
        body = undefined;
      }
      const task = schema.safeParse(body);
      if (!task.success) {
        logger.error(`${name}: malformed message`, { messageId: record.messageId });
        continue;
      }
      try {
        await handle(task.data);
      } catch (error) {
        logger.error(`${name} failed`, { error, ...task.data });
        batchItemFailures.push({ itemIdentifier: record.messageId });
      }
    }
    return { batchItemFailures };
  });
}

import { MetricUnit } from '@aws-lambda-powertools/metrics';
import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { buildErasureWorkerDeps } from '../../shared/composition/trust.ts';
import { loadConfig } from '../../shared/config.ts';
import { erasureTaskSchema } from '../../shared/domain/trust/erasure.ts';
import { logger, metrics, withMetrics } from '../../shared/observability.ts';
import { runErasureTask } from '../../shared/use-cases/trust/erasure.ts';

/**
 * SQS trigger: one step of an erasure per message (pages of the person's entries, checkpointed
 * in the state table after each), then the erasure queues its next step. A failed step returns
 * its message (redelivered, then the dead-letter queue); every step is safe to repeat.
 */
const deps = buildErasureWorkerDeps(loadConfig());

export const handler = withMetrics(async (event: SQSEvent): Promise<SQSBatchResponse> => {
  const batchItemFailures: SQSBatchResponse['batchItemFailures'] = [];
  for (const record of event.Records) {
    let body: unknown;
    try {
      body = JSON.parse(record.body);
    } catch {
      body = undefined;
    }
    const task = erasureTaskSchema.safeParse(body);
    if (!task.success) {
      logger.error('erasure worker: malformed message', { messageId: record.messageId });
      continue;
    }
    try {
      const outcome = await runErasureTask(deps, task.data);
      metrics.addMetric(`ErasureSteps_${outcome}`, MetricUnit.Count, 1);
      logger.info('erasure step', { ...task.data, outcome });
    } catch (error) {
      logger.error('erasure worker failed', { error, ...task.data });
      batchItemFailures.push({ itemIdentifier: record.messageId });
    }
  }
  return { batchItemFailures };
});

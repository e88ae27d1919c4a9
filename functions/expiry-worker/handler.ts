import { MetricUnit } from '@aws-lambda-powertools/metrics';
import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { buildExpiryDeps } from '../../shared/composition/trust.ts';
import { loadConfig } from '../../shared/config.ts';
import { expiryTaskSchema } from '../../shared/domain/trust/jobs.ts';
import { logger, metrics, withMetrics } from '../../shared/observability.ts';
import { runExpiryTask } from '../../shared/use-cases/trust/expiry.ts';

/**
 * SQS trigger: one step of an expiry job per message (legal holds, retention changes): at most
 * EXPIRY_PAGES_PER_RUN pages of the tenant's entries, checkpointed in the state table after each,
 * then the job queues its next step. A failed step returns its message (redelivered, then the
 * dead-letter queue); the resumer re-queues a job whose checkpoint went stale.
 */
const deps = buildExpiryDeps(loadConfig());

export const handler = withMetrics(async (event: SQSEvent): Promise<SQSBatchResponse> => {
  const batchItemFailures: SQSBatchResponse['batchItemFailures'] = [];
  for (const record of event.Records) {
    let body: unknown;
    try {
      body = JSON.parse(record.body);
    } catch {
      body = undefined;
    }
    const task = expiryTaskSchema.safeParse(body);
    if (!task.success) {
      logger.error('expiry worker: malformed message', { messageId: record.messageId });
      continue;
    }
    try {
      const outcome = await runExpiryTask(deps, task.data);
      metrics.addMetric(`ExpiryJobSteps_${outcome}`, MetricUnit.Count, 1);
      logger.info('expiry job step', { ...task.data, outcome });
    } catch (error) {
      logger.error('expiry worker failed', { error, ...task.data });
      batchItemFailures.push({ itemIdentifier: record.messageId });
    }
  }
  return { batchItemFailures };
});

// SQS trigger: one step of an expiry job per message (legal holds, retention changes): at most
// EXPIRY_PAGES_PER_RUN pages of the tenant's entries, checkpointed in the state table after each,
// then the job queues its next step. A failed step returns its message (redelivered, then the
// dead-letter queue); the resumer re-queues a job whose checkpoint went stale.

import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { expiryTaskSchema, expiryWorkerService } from '../../shared/composition/trust.ts';
import { loadConfig } from '../../shared/config.ts';
import { queueHandler } from '../../shared/http/queue-handler.ts';
import { logger, metrics } from '../../shared/observability.ts';

const expiry = expiryWorkerService(loadConfig());

export const handler = queueHandler('expiry worker', expiryTaskSchema, async (task) => {
  const outcome = await expiry.runTask(task);
  metrics.addMetric(`ExpiryJobSteps_${outcome}`, MetricUnit.Count, 1);
  logger.info('expiry job step', { ...task, outcome });
});

// SQS trigger: one step of an erasure per message (pages of the person's entries, checkpointed
// in the state table after each), then the erasure queues its next step. A failed step returns
// its message (redelivered, then the dead-letter queue); the scheduled resumer (expiry-resumer)
// queues an erasure that has not moved for 15 minutes again; every step is safe to repeat.

import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { erasureTaskSchema, erasureWorkerService } from '../../shared/composition/trust.ts';
import { loadConfig } from '../../shared/config.ts';
import { queueHandler } from '../../shared/http/queue-handler.ts';
import { logger, metrics } from '../../shared/observability.ts';

const erasure = erasureWorkerService(loadConfig());

export const handler = queueHandler('erasure worker', erasureTaskSchema, async (task) => {
  const outcome = await erasure.runTask(task);
  metrics.addMetric(`ErasureSteps_${outcome}`, MetricUnit.Count, 1);
  logger.info('erasure step', { ...task, outcome });
});

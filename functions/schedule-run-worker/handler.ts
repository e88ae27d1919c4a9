// SQS trigger: one claimed schedule run per message (exports, e-mails, audit entry). A run that
// failed is recorded on the run and released for the next dispatcher tick, so the message is
// done either way; only an unexpected error (the state table unreachable) returns the message
// to the queue, and a redelivered message never starts an attempt twice.

import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { exportDeps } from '../../shared/composition/exports.ts';
import { runTaskSchema, scheduleRunService } from '../../shared/composition/schedule.ts';
import { loadConfig } from '../../shared/config.ts';
import { queueHandler } from '../../shared/http/queue-handler.ts';
import { logger, metrics } from '../../shared/observability.ts';

const config = loadConfig();
const runs = scheduleRunService(config, exportDeps(config));

export const handler = queueHandler('schedule run worker', runTaskSchema, async (task) => {
  const status = await runs.execute(task);
  metrics.addMetric(`ScheduledRuns_${status}`, MetricUnit.Count, 1);
  logger.info('schedule run done', { ...task, status });
});

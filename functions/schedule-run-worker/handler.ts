import { MetricUnit } from '@aws-lambda-powertools/metrics';
import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { exportDeps } from '../../shared/composition/exports.ts';
import { buildRunDeps, runTaskSchema } from '../../shared/composition/schedule.ts';
import { loadConfig } from '../../shared/config.ts';
import { logger, metrics, withMetrics } from '../../shared/observability.ts';
import { executeRun } from '../../shared/use-cases/reports/dispatch.ts';

/**
 * SQS trigger: one claimed schedule run per message (exports, e-mails, audit entry). A run that
 * failed is recorded on the run and released for the next dispatcher tick, so the message is
 * done either way; only an unexpected error (the state table unreachable) returns the message
 * to the queue, and a redelivered message never starts an attempt twice.
 */
const config = loadConfig();
const deps = buildRunDeps(config, exportDeps(config));

export const handler = withMetrics(async (event: SQSEvent): Promise<SQSBatchResponse> => {
  const batchItemFailures: SQSBatchResponse['batchItemFailures'] = [];
  for (const record of event.Records) {
    let body: unknown;
    try {
      body = JSON.parse(record.body);
    } catch {
      body = undefined;
    }
    const task = runTaskSchema.safeParse(body);
    if (!task.success) {
      logger.error('schedule run worker: malformed message', { messageId: record.messageId });
      continue;
    }
    try {
      const status = await executeRun(deps, task.data);
      metrics.addMetric(`ScheduledRuns_${status}`, MetricUnit.Count, 1);
      logger.info('schedule run done', { ...task.data, status });
    } catch (error) {
      logger.error('schedule run worker failed', { error, ...task.data });
      batchItemFailures.push({ itemIdentifier: record.messageId });
    }
  }
  return { batchItemFailures };
});

// EventBridge rule (the schedule dispatcher's cadence): marks exports stuck in `queued` or
// `running` past their bound as failed, so a caller polling `GET /v1/exports/{id}` always sees
// an end. Only the state table: one Query per state, a consistent read and a conditional update
// per candidate.

import { MetricUnit } from '@aws-lambda-powertools/metrics';
import type { ScheduledEvent } from 'aws-lambda';
import { exportSweepService } from '../../shared/composition/export-sweeper.ts';
import { loadConfig } from '../../shared/config.ts';
import { logger, metrics, withMetrics } from '../../shared/observability.ts';

const sweeper = exportSweepService(loadConfig());

export const handler = withMetrics(async (event: Partial<ScheduledEvent> = {}) => {
  const result = await sweeper.sweep();
  // Each one is an export that failed: counted with the worker's own failures, and on its own.
  metrics.addMetric('ExportsTimedOut', MetricUnit.Count, result.failed.length);
  if (result.failed.length > 0) metrics.addMetric('ExportsFailed', MetricUnit.Count, result.failed.length);
  logger.info('export sweeper: done', {
    trigger: event.time,
    failed: result.failed,
    skipped: result.skipped,
  });
  return { failed: result.failed.length, skipped: result.skipped };
});

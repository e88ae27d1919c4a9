import { MetricUnit } from '@aws-lambda-powertools/metrics';
import type { ScheduledEvent } from 'aws-lambda';
import { buildDispatchDeps } from '../../shared/adapters/dispatch-deps.ts';
import { loadConfig } from '../../shared/config.ts';
import { logger, metrics, withMetrics } from '../../shared/observability.ts';
import { dispatchDueSchedules } from '../../shared/use-cases/reports/dispatch.ts';

/**
 * EventBridge rule (every 15 minutes): runs every due schedule. Safe to run twice at once or
 * again after a failure: runs and sends are claimed with conditional writes.
 */
const deps = buildDispatchDeps(loadConfig());

export const handler = withMetrics(async (event: ScheduledEvent) => {
  const runs = await dispatchDueSchedules(deps);
  metrics.addMetric('ScheduledRuns', MetricUnit.Count, runs.length);
  logger.info('schedules dispatched', { trigger: event.time, runs: runs.length, runsDetail: runs });
  return { runs: runs.map(({ reportId, periodStart, status }) => ({ reportId, periodStart, status })) };
});

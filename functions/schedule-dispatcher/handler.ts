// EventBridge rule (every 15 minutes): finds the due schedules, claims their runs and sends one
// SQS message per run, round-robin by tenant; the schedule-run-worker does the rest. Safe to run
// twice at once or again after a failure: runs are claimed with conditional writes.

import { MetricUnit } from '@aws-lambda-powertools/metrics';
import type { ScheduledEvent } from 'aws-lambda';
import { scheduleTickService } from '../../shared/composition/schedule.ts';
import { loadConfig } from '../../shared/config.ts';
import { logger, metrics, withMetrics } from '../../shared/observability.ts';

const schedules = scheduleTickService(loadConfig());

export const handler = withMetrics(async (event: ScheduledEvent) => {
  const runs = await schedules.dispatch();
  metrics.addMetric(
    'ScheduledRunsQueued',
    MetricUnit.Count,
    runs.filter((r) => r.status === 'queued').length,
  );
  logger.info('schedules dispatched', { trigger: event.time, runs: runs.length, runsDetail: runs });
  return { runs: runs.map(({ reportId, periodStart, status }) => ({ reportId, periodStart, status })) };
});

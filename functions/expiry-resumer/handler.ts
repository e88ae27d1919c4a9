// EventBridge rule: expiry jobs still running and erasures still pending whose last checkpoint
// (or, for an erasure waiting out key caches, the end of its wait) is older than 15 minutes (a lost
// message, a step that failed into the dead-letter queue) are queued again. One Query per kind on
// the state table's sparse `byDue` index (`dp` = `EXPIRY#running`, `ERASURE#pending`), never a Scan.

import type { ScheduledEvent } from 'aws-lambda';
import { buildResumerDeps } from '../../shared/composition/trust.ts';
import { loadConfig } from '../../shared/config.ts';
import { logger, withMetrics } from '../../shared/observability.ts';
import { resumeStalledJobs } from '../../shared/use-cases/trust/resumer.ts';

const deps = buildResumerDeps(loadConfig());

export const handler = withMetrics(async (event: Partial<ScheduledEvent> = {}) => {
  const requeued = await resumeStalledJobs(deps);
  logger.info('resumer: done', { trigger: event.time, requeued });
  return { requeued };
});

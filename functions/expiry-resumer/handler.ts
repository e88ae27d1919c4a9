// EventBridge rule: expiry jobs still running and erasures still pending whose last checkpoint
// (or, for an erasure waiting out key caches, the end of its wait) is older than 15 minutes (a lost
// message, a step that failed into the dead-letter queue) are queued again. One Query per kind on
// the state table's sparse `byDue` index (`dp` = `EXPIRY#running`, `ERASURE#pending`), never a Scan.

import type { ScheduledEvent } from 'aws-lambda';
import { expiryResumerService } from '../../shared/composition/trust.ts';
import { loadConfig } from '../../shared/config.ts';
import { logger, withMetrics } from '../../shared/observability.ts';

const resumer = expiryResumerService(loadConfig());

export const handler = withMetrics(async (event: Partial<ScheduledEvent> = {}) => {
  const requeued = await resumer.resumeStalled();
  logger.info('resumer: done', { trigger: event.time, requeued });
  return { requeued };
});

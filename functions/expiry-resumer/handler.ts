// EventBridge rule: expiry jobs still running whose last checkpoint is older than 15 minutes
// (a lost message, a step that failed into the dead-letter queue) are queued again. One Query
// on the state table's sparse `byDue` index (`dp` = `EXPIRY#running`), never a Scan.

import type { ScheduledEvent } from 'aws-lambda';
import { expiryResumerService } from '../../shared/composition/trust.ts';
import { loadConfig } from '../../shared/config.ts';
import { logger, withMetrics } from '../../shared/observability.ts';

const expiry = expiryResumerService(loadConfig());

export const handler = withMetrics(async (event: Partial<ScheduledEvent> = {}) => {
  const requeued = await expiry.resumeStalled();
  logger.info('expiry resumer: done', { trigger: event.time, requeued });
  return { requeued };
});

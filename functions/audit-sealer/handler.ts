import { MetricUnit } from '@aws-lambda-powertools/metrics';
import type { ScheduledEvent } from 'aws-lambda';
import { sealDeps } from '../../shared/composition/integrity.ts';
import { loadConfig } from '../../shared/config.ts';
import { logger, metrics, withMetrics } from '../../shared/observability.ts';
import { sealClosedHours } from '../../shared/use-cases/integrity/seal.ts';

/**
 * EventBridge rule (every 5 minutes): seals every tenant's closed hours into signed, chained
 * digests. Safe to run twice at once or again after a crash: each digest and the chain head
 * move in one conditional transaction.
 */
const deps = sealDeps(loadConfig());

export const handler = withMetrics(async (event: ScheduledEvent) => {
  const result = await sealClosedHours(deps);
  metrics.addMetric('AuditDigestsCreated', MetricUnit.Count, result.digests);
  metrics.addMetric('AuditEntriesSealed', MetricUnit.Count, result.entries);
  // For the ops alarm: how far sealing is behind (0 when every closed hour has its digest).
  metrics.addMetric('AuditOldestUnsealedHourAgeSeconds', MetricUnit.Seconds, result.oldestUnsealedAgeSeconds);
  for (const f of result.failures) {
    logger.error('sealing an hour failed', {
      tenantId: f.tenantId,
      periodStart: f.periodStart,
      error: f.error,
    });
  }
  logger.info('audit hours sealed', {
    trigger: event.time,
    digests: result.digests,
    entries: result.entries,
  });
  return { digests: result.digests };
});

// EventBridge rule, every 5 minutes: seals every tenant's closed audit hours (an hour closes 5
// minutes after its end, SEAL_GRACE_MS) into signed, chained digests. Reads the bySeal index,
// writes digests, chain heads and each digest's leaf list to the State table, signs with the KMS
// key SEAL_KMS_KEY_ID.
// A tenant without a chain is first given its legacy backfill (entries stored before entry
// hashes), then sealed from its oldest entry's hour (seal.ts startChain, docs/data-model.md).
// A run that nears its timeout stops between pages and saves the cursor; the next run resumes.

import { MetricUnit } from '@aws-lambda-powertools/metrics';
import type { Context, ScheduledEvent } from 'aws-lambda';
import { sealService } from '../../shared/composition/sealer.ts';
import { loadConfig } from '../../shared/config.ts';
import { logger, metrics, withMetrics } from '../../shared/observability.ts';

const sealer = sealService(loadConfig());
/** Stop with this much time left: the pending digests and the cursor still get written. */
const RESERVE_MS = 90_000;

export const handler = withMetrics(async (event: Partial<ScheduledEvent> = {}, context?: Context) => {
  const result = await sealer.sealClosedHours({
    now: new Date(),
    shouldStop: () => (context ? context.getRemainingTimeInMillis() < RESERVE_MS : false),
  });
  metrics.addMetric('DigestsWritten', MetricUnit.Count, result.digests);
  metrics.addMetric('EntriesSealed', MetricUnit.Count, result.entries);
  metrics.addMetric('LegacyEntriesBackfilled', MetricUnit.Count, result.enriched);
  // Minutes since the oldest hour not sealed yet ended (OldestUnsealedHour alarm, docs/operations.md).
  const age = Math.max(0, (Date.now() - Date.parse(result.nextHour)) / 60_000 - 60);
  metrics.addMetric('OldestUnsealedHourMinutes', MetricUnit.Count, Math.round(age));
  logger.info('audit sealer: done', { trigger: event.time, ...result });
  return result;
});

import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { z } from 'zod';
import { exportWorkerService } from '../../shared/composition/exports.ts';
import { loadConfig } from '../../shared/config.ts';
import { logger, metrics, withMetrics } from '../../shared/observability.ts';

const worker = exportWorkerService(loadConfig());

const eventSchema = z.object({ tenantId: z.string().min(1), exportId: z.string().min(1) });

/**
 * The export worker Lambda, invoked asynchronously (InvocationType Event) with
 * `{tenantId, exportId}`. It never throws for a failed export: the failure is recorded on the
 * job, and Lambda's retries would find it no longer queued anyway.
 */
export const handler = withMetrics(async (event: unknown) => {
  const ref = eventSchema.safeParse(event);
  if (!ref.success) {
    logger.error('export worker: malformed event', { issues: ref.error.issues });
    return { status: 'skipped' as const };
  }
  const outcome = await worker.execute(ref.data);
  logger.info('export worker: done', { ...ref.data, status: outcome.status });
  metrics.addMetric(
    outcome.status === 'succeeded' ? 'ExportsSucceeded' : 'ExportsFailed',
    MetricUnit.Count,
    1,
  );
  if (outcome.status === 'succeeded') metrics.addMetric('ExportRows', MetricUnit.Count, outcome.rowCount);
  return outcome.status === 'succeeded'
    ? { status: outcome.status, rowCount: outcome.rowCount }
    : { status: outcome.status };
});

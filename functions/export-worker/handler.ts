import { z } from 'zod';
import { exportDeps } from '../../shared/composition/exports.ts';
import { loadConfig } from '../../shared/config.ts';
import { logger } from '../../shared/observability.ts';
import { executeExport } from '../../shared/use-cases/exports/execute.ts';

const deps = exportDeps(loadConfig());

const eventSchema = z.object({ tenantId: z.string().min(1), exportId: z.string().min(1) });

/**
 * The export worker Lambda, invoked asynchronously (InvocationType Event) with
 * `{tenantId, exportId}`. It never throws for a failed export: the failure is recorded on the
 * job, and Lambda's retries would find it no longer queued anyway.
 */
export const handler = async (event: unknown) => {
  const ref = eventSchema.safeParse(event);
  if (!ref.success) {
    logger.error('export worker: malformed event', { issues: ref.error.issues });
    return { status: 'skipped' as const };
  }
  const outcome = await executeExport(deps, ref.data);
  logger.info('export worker: done', { ...ref.data, status: outcome.status });
  return outcome.status === 'succeeded'
    ? { status: outcome.status, rowCount: outcome.rowCount }
    : { status: outcome.status };
};

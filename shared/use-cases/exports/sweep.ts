// The export sweeper (on the schedule dispatcher's cadence): every export still `queued` or
// `running` past its bound (domain/exports/deadlines.ts) can no longer be finished by any run —
// its worker was killed, timed out, or its event was dropped — so it is marked `failed` with a
// reason. Each candidate is read back (a consistent read: the index it came from lags) and moved
// with a conditional write on the status it was seen in, so a run that finishes meanwhile wins
// and nothing is ever marked twice. Safe to run concurrently and again after a failure.

import { isOverdue, OVERDUE_ERROR, openLimitMs } from '../../domain/exports/deadlines.ts';
import { logger } from '../../observability.ts';
import type { Clock, ExportStore, OpenExportRef, OpenExports } from './ports.ts';

export interface SweepExportsDeps {
  store: Pick<ExportStore, 'get' | 'transition'>;
  open: OpenExports;
  clock: Clock;
}

export interface SweepResult {
  /** Jobs marked failed, with the state they were stuck in. */
  failed: Array<OpenExportRef & { was: 'queued' | 'running' }>;
  /** Candidates that had moved on (finished, claimed) by the time they were read. */
  skipped: number;
}

/** Per status and run; the rest waits for the next run (15 minutes). */
export const SWEEP_BATCH = 200;

export async function sweepStuckExports(deps: SweepExportsDeps): Promise<SweepResult> {
  const now = deps.clock.now();
  const result: SweepResult = { failed: [], skipped: 0 };
  for (const status of ['running', 'queued'] as const) {
    const before = new Date(now.getTime() - openLimitMs(status));
    for (const ref of await deps.open.listOpen(status, before, SWEEP_BATCH)) {
      const job = await deps.store.get(ref.tenantId, ref.id);
      if (!job || job.status !== status || !isOverdue(job, now)) {
        result.skipped++;
        continue;
      }
      const marked = await deps.store.transition(job.tenantId, job.id, [status], 'failed', {
        error: OVERDUE_ERROR,
        finishedAt: now.toISOString(),
      });
      if (!marked) {
        result.skipped++;
        continue;
      }
      logger.warn('export sweeper: marked a stuck export failed', {
        tenantId: job.tenantId,
        exportId: job.id,
        was: status,
        since: status === 'running' ? job.startedAt : job.createdAt,
      });
      result.failed.push({ tenantId: job.tenantId, id: job.id, was: status });
    }
  }
  return result;
}

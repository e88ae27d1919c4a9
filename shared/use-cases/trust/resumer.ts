import type { Clock } from '../../domain/time.ts';
import type { ErasureTask } from '../../domain/trust/erasure.ts';
import type { ExpiryTask } from '../../domain/trust/jobs.ts';

/** One kind of background job the resumer looks after: its stalled tasks, and its queue. */
export interface Resumable<T> {
  /** The tasks whose resume time (last checkpoint, or end of a wait) is before `before` (ISO). */
  stalled(before: string): Promise<T[]>;
  queue: { enqueue(task: T): Promise<void> };
}

export interface ResumerDeps {
  expiry: Resumable<ExpiryTask>;
  erasure: Resumable<ErasureTask>;
  clock: Clock;
}

export const STALE_SECONDS = 15 * 60;

/**
 * The resumer (scheduled): expiry jobs still running and erasures still pending that have not
 * moved for `staleSeconds` (a lost message, a step that failed into the dead-letter queue, an
 * erasure waiting out key caches whose delayed message was lost) are queued again. Every step of
 * both is safe to repeat, so a job queued twice only does its next step twice.
 */
export async function resumeStalledJobs(
  deps: ResumerDeps,
  staleSeconds = STALE_SECONDS,
): Promise<{ expiry: number; erasure: number }> {
  const before = new Date(deps.clock.now().getTime() - staleSeconds * 1000).toISOString();
  const jobs = await deps.expiry.stalled(before);
  for (const task of jobs) await deps.expiry.queue.enqueue(task);
  const erasures = await deps.erasure.stalled(before);
  for (const task of erasures) await deps.erasure.queue.enqueue(task);
  return { expiry: jobs.length, erasure: erasures.length };
}

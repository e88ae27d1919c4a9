import pLimit from 'p-limit';
import type { Clock } from '../../domain/time.ts';
import { coverageOf, isHeld } from '../../domain/trust/holds.ts';
import type { ExpiryJob, ExpiryTask } from '../../domain/trust/jobs.ts';
import { expiryEpoch, monthsOf } from '../../domain/trust/retention.ts';
import type { TrustReader } from '../../domain/trust/visibility.ts';
import type { ExpiryQueue, TrustStorePort } from './manage.ts';
import type { ExpiryEntry, LogExpiryPort } from './ports.ts';

export interface ExpiryDeps {
  store: Pick<TrustStorePort, 'getJob' | 'putJob'>;
  /** Uncached: every page applies the tenant's holds and retention as they are now. */
  trust: TrustReader;
  logs: LogExpiryPort;
  queue: ExpiryQueue;
  clock: Clock;
  /** Entries read per page (one Query). */
  pageSize?: number;
  /** Pages per invocation; then the job is queued again (the rate bound with the worker's concurrency). */
  pagesPerRun?: number;
  /** Updates in flight at once. */
  concurrency?: number;
  /** Before the catch-up pass: longer than any process caches the trust state at ingest. */
  catchUpDelaySeconds?: number;
}

export const EXPIRY_PAGE = 100;
export const EXPIRY_PAGES_PER_RUN = 10;
export const EXPIRY_CONCURRENCY = 4;
export const CATCH_UP_DELAY_SECONDS = 60;

/**
 * What an entry's stored expiry must be: none while an active hold covers it (the expiry kept
 * apart), else occurredAt + the tenant's current months.
 */
export function desiredExpiry(
  entry: Pick<ExpiryEntry, 'occurredAt' | 'persons'>,
  months: number,
  coverage: ReturnType<typeof coverageOf>,
): { held: boolean; expiry: number } {
  return { held: isHeld(coverage, entry.persons), expiry: expiryEpoch(entry.occurredAt, months) };
}

/**
 * Continues one job for at most `pagesPerRun` pages, checkpointing after each (a crash repeats at
 * most one page, and every update is idempotent). Returns what became of it: `continued` (queued
 * again), `done`, or `skipped` (unknown or already done: a duplicate message).
 */
export async function runExpiryTask(
  deps: ExpiryDeps,
  task: ExpiryTask,
): Promise<'continued' | 'done' | 'skipped'> {
  const found = await deps.store.getJob(task.tenantId, task.jobId);
  if (!found || found.status === 'done') return 'skipped';
  const job: ExpiryJob = { ...found };
  const limit = pLimit(deps.concurrency ?? EXPIRY_CONCURRENCY);
  const shards = deps.logs.shards(job.tenantId);
  for (let n = 0; n < (deps.pagesPerRun ?? EXPIRY_PAGES_PER_RUN); n++) {
    const state = await deps.trust.state(job.tenantId);
    const months = monthsOf(state.retention, job.log);
    const coverage = coverageOf(state.holds);
    const page = await deps.logs.page(
      job.log,
      job.tenantId,
      job.shard,
      job.after,
      deps.pageSize ?? EXPIRY_PAGE,
    );
    const changes = page.entries.flatMap((entry) => {
      const want = desiredExpiry(entry, months, coverage);
      if (want.held) return entry.ttl === undefined ? [] : [{ entry, ...want }];
      return entry.ttl === want.expiry ? [] : [{ entry, ...want }];
    });
    await Promise.all(
      changes.map((c) => limit(() => deps.logs.setExpiry(job.log, c.entry.pk, c.expiry, c.held))),
    );
    job.entriesChecked += page.entries.length;
    job.entriesChanged += changes.length;
    job.updatedAt = deps.clock.now().toISOString();
    if (page.after) job.after = page.after;
    else {
      delete job.after;
      job.shard += 1;
    }
    if (job.shard >= shards) {
      if (job.pass === 1) {
        // The catch-up pass: entries ingested meanwhile by a process with a stale view of holds.
        Object.assign(job, { pass: 2, shard: 0 });
        await deps.store.putJob(job);
        await deps.queue.enqueue(task, deps.catchUpDelaySeconds ?? CATCH_UP_DELAY_SECONDS);
        return 'continued';
      }
      job.status = 'done';
      job.finishedAt = job.updatedAt;
      await deps.store.putJob(job);
      return 'done';
    }
    await deps.store.putJob(job);
  }
  await deps.queue.enqueue(task);
  return 'continued';
}

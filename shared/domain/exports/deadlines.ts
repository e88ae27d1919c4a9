import type { ExportJob } from './export-job.ts';

/**
 * How long an export may stay open (queued or running) before it counts as stuck. Two bounds
 * make it finite, and the infra tests hold the stack to both:
 * - a run cannot outlast its Lambda: the export worker and the schedule dispatcher (which runs
 *   scheduled exports in-process) both time out at RUN_LIMIT_SECONDS, Lambda's maximum;
 * - an asynchronous invocation of the worker is dropped (to its on-failure queue) once it is
 *   older than QUEUE_LIMIT_SECONDS, so a job still `queued` after that will never be claimed.
 * MARGIN_SECONDS covers clock skew and the claim's own retries. A job open past its bound is
 * shown as failed by `GET /v1/exports/{id}` at once and marked failed in storage by the export
 * sweeper on its next run.
 */
export const RUN_LIMIT_SECONDS = 15 * 60;
export const QUEUE_LIMIT_SECONDS = 15 * 60;
export const MARGIN_SECONDS = 5 * 60;

/** Since when the job has been in its open state: its claim when running, else its creation. */
export function openSince(job: Pick<ExportJob, 'status' | 'createdAt' | 'startedAt'>): string {
  return job.status === 'running' ? (job.startedAt ?? job.createdAt) : job.createdAt;
}

/** How long a job may stay in an open state. */
export function openLimitMs(status: 'queued' | 'running'): number {
  return ((status === 'running' ? RUN_LIMIT_SECONDS : QUEUE_LIMIT_SECONDS) + MARGIN_SECONDS) * 1000;
}

/** True when the job is queued or running and past its bound: no run can still finish it. */
export function isOverdue(
  job: Pick<ExportJob, 'status' | 'createdAt' | 'startedAt'>,
  now: Date,
): job is Pick<ExportJob, 'createdAt' | 'startedAt'> & { status: 'queued' | 'running' } {
  if (job.status !== 'queued' && job.status !== 'running') return false;
  return now.getTime() - Date.parse(openSince(job)) > openLimitMs(job.status);
}

/** What the requester reads about a job that was found stuck. */
export const OVERDUE_ERROR = 'The export did not finish in time. Please try again with a narrower filter.';

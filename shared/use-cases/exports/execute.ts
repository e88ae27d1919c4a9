// The export worker: claims a queued job (queued → running, conditionally, so a retried or
// duplicated invocation runs it once), streams the query AS the requester into storage, and
// only then publishes the file key with `succeeded`. Any failure aborts the upload and records
// a message safe to show; a partial file is never reported as succeeded.

import type { Readable } from 'node:stream';
import type { UserCaller } from '../../domain/caller.ts';
import { DomainError, ValidationError } from '../../domain/errors.ts';
import {
  contentTypeOf,
  downloadFilename,
  type ExportJob,
  fileKeyOf,
  hasBom,
} from '../../domain/exports/export-job.ts';
import { logger } from '../../observability.ts';
import type { Clock, DirectoryLookup, EntrySources, ExportFiles, ExportStore } from './ports.ts';
import { activityRows, auditRows, counted, csvStream, ndjsonStream } from './serialize.ts';
import { ExportUsers } from './user-columns.ts';

export interface ExecuteExportDeps {
  store: ExportStore;
  files: Pick<ExportFiles, 'upload'>;
  sources: Pick<EntrySources, 'activity' | 'audit' | 'auditActionLabel'>;
  directory: DirectoryLookup;
  clock: Clock;
}

export type ExportOutcome =
  | { status: 'succeeded'; job: ExportJob; rowCount: number }
  | { status: 'failed'; job: ExportJob; error: string; cause: unknown }
  /** Unknown, forgotten, or already claimed by another run: nothing was done. */
  | { status: 'skipped'; job: ExportJob | null };

export async function executeExport(
  deps: ExecuteExportDeps,
  ref: { tenantId: string; exportId: string },
): Promise<ExportOutcome> {
  const job = await deps.store.get(ref.tenantId, ref.exportId);
  if (job?.status !== 'queued') return { status: 'skipped', job };
  const claimed = await deps.store.transition(job.tenantId, job.id, ['queued'], 'running', {
    startedAt: deps.clock.now().toISOString(),
  });
  if (!claimed) return { status: 'skipped', job };

  const counter = { rows: 0 };
  try {
    const body = await fileBody(deps, job, counter);
    const fileKey = fileKeyOf(job);
    await deps.files.upload(fileKey, body, contentTypeOf(job.format), downloadFilename(job));
    const published = await deps.store.transition(job.tenantId, job.id, ['running'], 'succeeded', {
      rowCount: counter.rows,
      fileKey,
      finishedAt: deps.clock.now().toISOString(),
    });
    if (!published) throw new Error('the job left the running state while its file was written');
    return { status: 'succeeded', job, rowCount: counter.rows };
  } catch (cause) {
    const error = safeMessage(cause);
    logger.error('export failed', { exportId: job.id, tenantId: job.tenantId, error: cause as Error });
    try {
      await deps.store.transition(job.tenantId, job.id, ['running'], 'failed', {
        error,
        finishedAt: deps.clock.now().toISOString(),
      });
    } catch (err) {
      logger.error('could not mark the export failed', { exportId: job.id, error: err as Error });
    }
    return { status: 'failed', job, error, cause };
  }
}

async function fileBody(
  deps: ExecuteExportDeps,
  job: ExportJob,
  counter: { rows: number },
): Promise<Readable> {
  const caller: UserCaller = { kind: 'user', tenantId: job.tenantId, ...job.requester };
  const viewers: UserCaller[] = (job.viewers ?? []).map((v) => ({
    kind: 'user',
    tenantId: job.tenantId,
    ...v,
  }));
  if (job.log === 'audit') {
    const entries = counted(deps.sources.audit(caller, job.filters, viewers), counter);
    if (job.format === 'json') return ndjsonStream(entries);
    const label = deps.sources.auditActionLabel?.bind(deps.sources);
    return csvStream(auditRows(entries, label), { bom: hasBom(job) });
  }
  const entries = counted(deps.sources.activity(caller, job.filters, viewers), counter);
  if (job.format === 'json') return ndjsonStream(entries);
  const customFields = [...new Set(await deps.directory.customFieldNames(job.tenantId))].sort();
  const users = new ExportUsers(deps.directory, job.tenantId);
  return csvStream(activityRows(entries, users, job.variant, customFields), { bom: hasBom(job) });
}

/** What the requester may read about a failure: never an SDK's or a stack's words. */
export function safeMessage(err: unknown): string {
  if (err instanceof ValidationError) {
    const paths = err.errors.map((e) => `${e.path}: ${e.message}`).join('; ');
    return `The filters are not valid${paths ? ` (${paths})` : ''}.`;
  }
  if (err instanceof DomainError && err.expose && err.statusCode < 500 && err.statusCode !== 429)
    return err.message;
  return 'The export could not be completed because a service was unavailable. Please try again.';
}

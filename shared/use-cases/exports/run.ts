// An export run to completion in the calling process, for features that need the file now
// (scheduled reports): the same job, checks, audit entry and worker as `POST /v1/exports`, with
// the caller's visibility at run time. Resolves with the download link; rejects when the export
// failed — with the domain error itself when it was the caller's (403 lost access, 400 filters),
// else an UnavailableError — and the job then reads `failed`.

import { UnavailableError } from '../../domain/errors.ts';
import {
  downloadFilename,
  type ExportFormat,
  type ExportLog,
  type ExportRequester,
  type ExportSourceKind,
  type ExportVariant,
} from '../../domain/exports/export-job.ts';
import { type ExecuteExportDeps, executeExport } from './execute.ts';
import { downloadLink } from './get.ts';
import type { LinkSettings } from './ports.ts';
import { type CreateExportDeps, createExportJob, isExposed } from './request.ts';

export type RunExportDeps = CreateExportDeps & ExecuteExportDeps & { links: LinkSettings };

export interface RunExportInput {
  tenantId: string;
  /** Whose visibility the file has: a UserCaller fits. */
  caller: ExportRequester;
  log: ExportLog;
  /** Default `csv`. */
  format?: ExportFormat;
  variant?: ExportVariant;
  filters: Record<string, unknown>;
  /** Every row must also be visible to each of these people (a scheduled report's recipients). */
  viewers?: readonly ExportRequester[];
  /** `scheduled_job` for schedule runs (optionally named, e.g. the report); the audit entry's source. */
  source: ExportSourceKind | { kind: ExportSourceKind; name?: string };
  /** CSV only: start the file with a UTF-8 byte-order mark (default true). */
  csvBom?: boolean;
  /** The name the file is saved under (a scheduled report's name and period). */
  fileName?: string;
}

export interface RunExportResult {
  exportId: string;
  rowCount: number;
  downloadUrl: string;
  /** When the link stops working (UTC). */
  expiresAt: string;
  /** The name the file is saved under, and its format. */
  fileName: string;
  format: ExportFormat;
}

export async function runExport(deps: RunExportDeps, input: RunExportInput): Promise<RunExportResult> {
  const job = await createExportJob(
    deps,
    input.tenantId,
    input.caller,
    {
      log: input.log,
      format: input.format ?? 'csv',
      variant: input.variant,
      filters: input.filters,
      ...(input.viewers ? { viewers: input.viewers } : {}),
      ...(input.csvBom !== undefined ? { csvBom: input.csvBom } : {}),
      ...(input.fileName ? { fileName: input.fileName } : {}),
    },
    typeof input.source === 'string'
      ? { source: input.source }
      : { source: input.source.kind, sourceName: input.source.name },
  );
  const outcome = await executeExport(deps, { tenantId: job.tenantId, exportId: job.id });
  if (outcome.status === 'failed') {
    if (isExposed(outcome.cause)) throw outcome.cause;
    throw new UnavailableError(outcome.error);
  }
  if (outcome.status !== 'succeeded') throw new UnavailableError('The export was claimed by another run.');
  const stored = await deps.store.get(job.tenantId, job.id);
  const link = await downloadLink(deps, stored ?? job);
  return {
    exportId: job.id,
    rowCount: outcome.rowCount,
    downloadUrl: link.url,
    expiresAt: link.expiresAt,
    fileName: downloadFilename(job),
    format: job.format,
  };
}

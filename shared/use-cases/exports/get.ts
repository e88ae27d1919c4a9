// `GET /v1/exports/{id}`: the requester, and the tenant's owners and admins, may read an export;
// anyone else gets the same 404 as for an unknown id. A succeeded export carries a download link
// valid `linkDays` from when the file was ready.

import type { UserCaller } from '../../domain/caller.ts';
import { NotFoundError } from '../../domain/errors.ts';
import { isOverdue, OVERDUE_ERROR } from '../../domain/exports/deadlines.ts';
import { signDownloadToken } from '../../domain/exports/download-token.ts';
import type { ExportJob, ExportView } from '../../domain/exports/export-job.ts';
import type { Clock, ExportStore, LinkSettings } from './ports.ts';

export interface GetExportDeps {
  store: Pick<ExportStore, 'get'>;
  clock: Clock;
  links: LinkSettings;
}

export async function getExport(deps: GetExportDeps, caller: UserCaller, id: string): Promise<ExportView> {
  const job = await deps.store.get(caller.tenantId, id);
  const mayRead =
    job && (job.requester.userId === caller.userId || caller.role === 'owner' || caller.role === 'admin');
  if (!job || !mayRead) throw new NotFoundError('No export with this id.');
  return viewOf(deps, job);
}

export async function viewOf(deps: Omit<GetExportDeps, 'store'>, job: ExportJob): Promise<ExportView> {
  const now = deps.clock.now();
  const view: ExportView = {
    id: job.id,
    log: job.log,
    format: job.format,
    variant: job.variant,
    status: job.status,
    createdAt: job.createdAt,
  };
  if (job.finishedAt) view.finishedAt = job.finishedAt;
  if (job.status === 'succeeded' && job.fileKey) {
    view.rowCount = job.rowCount ?? 0;
    const link = await downloadLink(deps, job);
    view.downloadUrl = link.url;
    view.expiresAt = link.expiresAt;
  }
  if (job.status === 'failed') view.error = job.error ?? 'The export failed.';
  // Stuck (its run died, or it was never started): failed now, before the sweeper stores it.
  if (isOverdue(job, now)) {
    view.status = 'failed';
    view.error = OVERDUE_ERROR;
  }
  return view;
}

export async function downloadLink(
  deps: { links: LinkSettings },
  job: Pick<ExportJob, 'tenantId' | 'id' | 'finishedAt' | 'createdAt'>,
): Promise<{ url: string; expiresAt: string }> {
  const readyAt = Date.parse(job.finishedAt ?? job.createdAt);
  const expiresAt = Math.floor(readyAt / 1000) + deps.links.linkDays * 86_400;
  const token = signDownloadToken(await deps.links.signingKey(), {
    tenantId: job.tenantId,
    exportId: job.id,
    expiresAt,
  });
  const base = deps.links.publicBaseUrl.replace(/\/+$/, '');
  return { url: `${base}/v1/downloads/${token}`, expiresAt: new Date(expiresAt * 1000).toISOString() };
}

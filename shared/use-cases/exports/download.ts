// `GET /v1/downloads/{token}`: no Authorization header; the signed token is the permission. Each
// call presigns afresh (the storage URL lives minutes, the link days), so an e-mailed link outlives
// the credentials of whoever made it. Expired, altered, unknown: one 404 for all.

import { NotFoundError } from '../../domain/errors.ts';
import { verifyDownloadToken } from '../../domain/exports/download-token.ts';
import { contentTypeOf, downloadFilename } from '../../domain/exports/export-job.ts';
import type { Clock, ExportFiles, ExportStore, LinkSettings } from './ports.ts';

export interface DownloadDeps {
  store: Pick<ExportStore, 'get'>;
  files: Pick<ExportFiles, 'presignDownload'>;
  clock: Clock;
  links: Pick<LinkSettings, 'signingKey'>;
}

export const PRESIGNED_URL_SECONDS = 300;

export async function resolveDownload(deps: DownloadDeps, token: string): Promise<string> {
  const gone = () => new NotFoundError('This download link is invalid or has expired.');
  const claims = verifyDownloadToken(
    await deps.links.signingKey(),
    token,
    Math.floor(deps.clock.now().getTime() / 1000),
  );
  if (!claims) throw gone();
  const job = await deps.store.get(claims.tenantId, claims.exportId);
  if (job?.status !== 'succeeded' || !job.fileKey) throw gone();
  return deps.files.presignDownload(job.fileKey, {
    filename: downloadFilename(job),
    contentType: contentTypeOf(job.format),
    expiresInSeconds: PRESIGNED_URL_SECONDS,
  });
}

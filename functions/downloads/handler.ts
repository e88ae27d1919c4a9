import { downloadDeps } from '../../shared/composition/downloads.ts';
import { loadConfig } from '../../shared/config.ts';
import { NotFoundError } from '../../shared/domain/errors.ts';
import { apiHandler } from '../../shared/http/handler.ts';
import { redirect } from '../../shared/http/responses.ts';
import { downloadParamsSchema } from '../../shared/http/routes/downloads.ts';
import { resolveDownload } from '../../shared/use-cases/exports/download.ts';

const deps = downloadDeps(loadConfig());

/** GET /v1/downloads/{token} (no Authorization): 302 to a freshly presigned storage URL. */
export const handler = apiHandler({ auth: 'none' }, async ({ params }) => {
  const parsed = downloadParamsSchema.safeParse(params);
  if (!parsed.success) throw new NotFoundError('This download link is invalid or has expired.');
  return redirect(await resolveDownload(deps, parsed.data.token));
});

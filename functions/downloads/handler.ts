import { downloadService } from '../../shared/composition/downloads.ts';
import { loadConfig } from '../../shared/config.ts';
import { apiHandler } from '../../shared/http/handler.ts';
import { notFound, redirect } from '../../shared/http/responses.ts';
import { downloadParamsSchema } from '../../shared/http/routes/downloads.ts';

const downloads = downloadService(loadConfig());

/** GET /v1/downloads/{token} (no Authorization): 302 to a freshly presigned storage URL. */
export const handler = apiHandler({ auth: 'none' }, async ({ params }) => {
  const parsed = downloadParamsSchema.safeParse(params);
  if (!parsed.success) notFound('This download link is invalid or has expired.');
  return redirect(await downloads.resolve(parsed.data.token));
});

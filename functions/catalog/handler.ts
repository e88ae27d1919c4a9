import { apiHandler } from '../../shared/http/handler.ts';
import { json } from '../../shared/http/responses.ts';
import { CATALOG } from '../../shared/http/routes/catalog.ts';

/** GET /v1/catalog (any signed-in role): the filter values with their labels. */
export const handler = apiHandler({ auth: 'user' }, async () =>
  json(200, CATALOG, { 'cache-control': 'private, max-age=3600' }),
);

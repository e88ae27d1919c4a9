import { apiHandler } from '../../shared/http/handler.ts';
import { notFound } from '../../shared/http/responses.ts';

/** API Gateway's `$default` route: unknown paths get a problem+json 404 like every other error. */
export const handler = apiHandler({ auth: 'none' }, async ({ event }) =>
  notFound(`No route for ${event.requestContext.http.method} ${event.rawPath}.`),
);

import { NotFoundError } from '../../shared/domain/errors.ts';
import { apiHandler } from '../../shared/http/handler.ts';

/** API Gateway's `$default` route: unknown paths get a problem+json 404 like every other error. */
export const handler = apiHandler({ auth: 'none' }, async ({ event }) => {
  throw new NotFoundError(`No route for ${event.requestContext.http.method} ${event.rawPath}.`);
});

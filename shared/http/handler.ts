import middy from '@middy/core';
import type { Context } from 'aws-lambda';
import { loadConfig } from '../config.ts';
import type { Caller, ServiceCaller, UserCaller } from '../domain/caller.ts';
import { NotFoundError, UnauthorizedError } from '../domain/errors.ts';
import {
  type ApiEvent,
  type AuthMode,
  authenticate,
  flushMetrics,
  jsonBody,
  problemErrors,
  withLogger,
} from './middleware.ts';
import type { HttpResult } from './responses.ts';

export const MB = 1024 * 1024;

export interface RequestOf<C extends Caller | undefined> {
  event: ApiEvent;
  caller: C;
  body: unknown;
  query: Record<string, string>;
  params: Record<string, string>;
}

type CallerFor<M extends AuthMode> = M extends 'user'
  ? UserCaller
  : M extends 'service'
    ? ServiceCaller
    : undefined;

/**
 * A service route's handler passes the IAM principals it accepts (SERVICE_CALLERS), read while
 * the function builds its dependencies: only those functions are given the setting.
 */
type HandlerOptions<M extends AuthMode> = { auth: M; maxBodyBytes?: number } & (M extends 'service'
  ? { serviceCallers: readonly string[] }
  : { serviceCallers?: never });

type RouteFn<M extends AuthMode> = (req: RequestOf<CallerFor<M>>) => Promise<HttpResult>;

/**
 * A function serving several routes names each in a route map, by API Gateway route key
 * (`METHOD /path` as in functions/routes.ts): the one way a handler dispatches its routes.
 */
export type RouteMap<M extends AuthMode> = Readonly<Record<string, RouteFn<M>>>;

/**
 * Every API handler is built here: logging, problem+json errors, authentication and body
 * parsing, in that order, then the route's function, or the route map's entry for the request's
 * route key (404 for a key it does not hold). Handlers stay wiring. The claim names
 * (JWT_CLAIM_*) are read now, at the cold start, by every function behind a route.
 */
export function apiHandler<M extends AuthMode>(options: HandlerOptions<M>, routes: RouteFn<M> | RouteMap<M>) {
  const fn: RouteFn<M> =
    typeof routes === 'function'
      ? routes
      : (req) => {
          const route = Object.hasOwn(routes, req.event.routeKey) ? routes[req.event.routeKey] : undefined;
          if (!route) throw new NotFoundError('No such route.');
          return route(req);
        };
  const config = loadConfig();
  const claims = {
    tenantId: config.JWT_CLAIM_TENANT_ID,
    role: config.JWT_CLAIM_ROLE,
    reporting: config.JWT_CLAIM_REPORTING,
    sub: config.JWT_CLAIM_SUB,
  };
  return middy<ApiEvent, HttpResult, Error, Context>()
    .use(withLogger())
    .use(flushMetrics())
    .use(problemErrors())
    .use(
      authenticate(options.auth, {
        claims,
        ...(options.serviceCallers ? { serviceCallers: options.serviceCallers } : {}),
      }),
    )
    .use(jsonBody(options.maxBodyBytes ?? MB))
    .handler(async (event) => {
      const caller = event.caller;
      if (options.auth !== 'none' && !caller) throw new UnauthorizedError('Authentication is required.');
      return fn({
        event,
        caller: caller as CallerFor<M>,
        body: event.parsedBody,
        query: cleanRecord(event.queryStringParameters),
        params: cleanRecord(event.pathParameters),
      });
    });
}

/**
 * A copy without the undefined values. Built with Object.fromEntries, which defines its keys:
 * assigning `out['__proto__'] = v` would drop that parameter silently, and it must reach
 * validation (which rejects it as an unknown field) like any other name.
 */
function cleanRecord(input: Record<string, string | undefined> | undefined | null): Record<string, string> {
  return Object.fromEntries(
    Object.entries(input ?? {}).filter((entry): entry is [string, string] => entry[1] !== undefined),
  );
}

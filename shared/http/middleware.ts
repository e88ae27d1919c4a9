import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import type { MiddlewareObj } from '@middy/core';
import type { APIGatewayProxyEventV2, Context } from 'aws-lambda';
import { type Caller, claimsSchema } from '../domain/caller.ts';
import {
  BadRequestError,
  DomainError,
  ForbiddenError,
  PayloadTooLargeError,
  QuotaExceededError,
  UnauthorizedError,
  ValidationError,
} from '../domain/errors.ts';
import { formatPath } from '../domain/issues.ts';
import { MAX_JSON_DEPTH, tooDeep } from '../domain/json-limits.ts';
import { flushStoredMetrics, logger, metrics } from '../observability.ts';
import { type HttpResult, problem } from './responses.ts';
import { isAllowedServiceCaller } from './service-callers.ts';

/** The event as the handler sees it after the middleware chain. */
export interface ApiEvent extends APIGatewayProxyEventV2 {
  caller?: Caller;
  parsedBody?: unknown;
}

type Mw = MiddlewareObj<ApiEvent, HttpResult, Error, Context>;

/**
 * The one place errors become responses: exposed domain errors as problem+json, validation
 * errors with every path, anything else logged in full and answered with a generic 500.
 */
export function problemErrors(): Mw {
  return {
    onError: (request) => {
      const err = request.error;
      if (err instanceof ValidationError) {
        request.response = problem(400, err.title, err.message, err.errors);
        return;
      }
      if (err instanceof DomainError && err.expose) {
        const retryAfter = err instanceof QuotaExceededError ? err.retryAfterSeconds : 1;
        const headers: Record<string, string> =
          err.statusCode === 429 ? { 'retry-after': String(retryAfter) } : {};
        const fields = err instanceof BadRequestError ? err.errors : undefined;
        request.response = problem(err.statusCode, err.title, err.message, fields, headers);
        return;
      }
      if (err instanceof DomainError && err.statusCode !== 503) {
        // A dependency refused the call for good (AccessDenied, ValidationException, ...): a fault
        // no retry clears, so no "retry" answer (shared/adapters/aws-errors.ts counts it).
        logger.error('non-retryable dependency failure', { error: err });
        request.response = problem(500, 'Internal Server Error', 'An unexpected error occurred.');
        return;
      }
      if (err instanceof DomainError) {
        logger.warn('dependency failure', { error: err });
        request.response = problem(
          err.statusCode,
          err.title,
          'A dependency was unavailable; the request was not completed and is safe to retry.',
          undefined,
          { 'retry-after': '1' },
        );
        return;
      }
      if (isMiddyTimeout(err)) {
        // The function ran out of time (a slow dependency): work may be in flight, none is
        // acknowledged, and the ids make a retry safe. A 503, like a failed dependency.
        logger.warn('handler timed out', { error: err });
        request.response = problem(
          503,
          'Service Unavailable',
          'The request took too long and was not completed; it is safe to retry.',
          undefined,
          { 'retry-after': '1' },
        );
        return;
      }
      logger.error('unhandled error', { error: err });
      request.response = problem(500, 'Internal Server Error', 'An unexpected error occurred.');
    },
  };
}

/** Middy's early timeout (shortly before the Lambda's deadline) rejects with this error. */
function isMiddyTimeout(err: unknown): boolean {
  const e = err as { name?: string; cause?: { package?: string } } | null;
  return e?.name === 'TimeoutError' && e.cause?.package === '@middy/core';
}

export type AuthMode = 'user' | 'service' | 'none';

/** Which claims carry the identity (deployment settings JWT_CLAIM_*; Cognito: `custom:tenant_id`). */
export interface ClaimNames {
  tenantId: string;
  role: string;
  reporting: string;
  sub: string;
}
export const STANDARD_CLAIMS: ClaimNames = {
  tenantId: 'tenant_id',
  role: 'role',
  reporting: 'reporting',
  sub: 'sub',
};

/** The configured claims under the names claimsSchema reads; other claims are dropped. */
function renameClaims(
  claims: Record<string, unknown> | undefined,
  names: ClaimNames,
): Record<string, unknown> | undefined {
  if (!claims) return undefined;
  const pick = (name: string) => (Object.hasOwn(claims, name) ? claims[name] : undefined);
  return {
    sub: pick(names.sub),
    tenant_id: pick(names.tenantId),
    role: pick(names.role),
    reporting: pick(names.reporting),
  };
}

/**
 * Reads the identity API Gateway established: JWT claims (user routes) or the IAM principal
 * (service routes). Tokens were verified by the gateway; here they are only shaped and checked.
 * An IAM principal must be on the allow-list (`serviceCallers`, from SERVICE_CALLERS, which the
 * service routes' handlers pass; see service-callers.ts); without one, no principal is.
 */
export function authenticate(
  mode: AuthMode,
  options: { claims?: ClaimNames; serviceCallers?: readonly string[] } = {},
): Mw {
  const names = options.claims ?? STANDARD_CLAIMS;
  const serviceCallers = options.serviceCallers ?? [];
  return {
    before: (request) => {
      if (mode === 'none') return;
      const authorizer = (request.event.requestContext as { authorizer?: unknown }).authorizer as
        | { jwt?: { claims?: Record<string, unknown> }; iam?: { userArn?: string } }
        | undefined;
      const iam = authorizer?.iam;
      const rawClaims = renameClaims(authorizer?.jwt?.claims, names);
      if (mode === 'service') {
        if (iam?.userArn) {
          if (!isAllowedServiceCaller(iam.userArn, serviceCallers)) {
            logger.warn('service caller not on the allow-list', { principal: iam.userArn });
            throw new ForbiddenError('This IAM principal may not call the service routes.');
          }
          request.event.caller = { kind: 'service', principal: iam.userArn };
          return;
        }
        if (!rawClaims) throw new UnauthorizedError('A service identity is required.');
        const claims = claimsSchema.safeParse(rawClaims);
        if (!claims.success) throw new UnauthorizedError('The token does not carry valid claims.');
        if (claims.data.role !== 'service')
          throw new ForbiddenError('Only platform services may write here.');
        request.event.caller = { kind: 'service', principal: claims.data.sub };
        return;
      }
      if (!rawClaims) throw new UnauthorizedError('A bearer token is required.');
      const claims = claimsSchema.safeParse(rawClaims);
      if (!claims.success) throw new UnauthorizedError('The token does not carry valid claims.');
      const { sub, tenant_id, role, reporting } = claims.data;
      if (role === 'service') throw new ForbiddenError('Service callers may not use this route.');
      if (!tenant_id) throw new UnauthorizedError('The token names no tenant.');
      request.event.caller = { kind: 'user', tenantId: tenant_id, userId: sub, role, reporting };
    },
  };
}

/** Size limit (413), JSON parsing (400) and the nesting limit (400 naming each too-deep path) of the body. */
export function jsonBody(maxBytes: number): Mw {
  return {
    before: (request) => {
      const { body, isBase64Encoded } = request.event;
      if (body === undefined || body === null || body === '') return;
      const raw = isBase64Encoded ? Buffer.from(body, 'base64') : Buffer.from(body, 'utf8');
      if (raw.byteLength > maxBytes) {
        throw new PayloadTooLargeError(`The body is larger than ${maxBytes} bytes.`);
      }
      let parsed: unknown;
      try {
        parsed = JSON.parse(raw.toString('utf8'));
      } catch {
        throw new BadRequestError('The body is not valid JSON.');
      }
      // Before any field is read: nothing downstream walks a value deeper than this.
      const deep = tooDeep(parsed);
      if (deep.length > 0) {
        throw new ValidationError(
          deep.map((path) => ({
            path: formatPath(path),
            message: `is nested deeper than ${MAX_JSON_DEPTH} levels`,
          })),
          `The body is nested deeper than ${MAX_JSON_DEPTH} levels.`,
        );
      }
      request.event.parsedBody = parsed;
    },
  };
}

/** Powertools' context injection plus the request id and route on every log line. */
export function withLogger(): Mw[] {
  return [
    injectLambdaContext(logger, { resetKeys: true }) as unknown as Mw,
    {
      before: (request) => {
        logger.appendKeys({
          requestId: request.event.requestContext?.requestId,
          route: request.event.routeKey,
        });
      },
    },
  ];
}

/**
 * Publishes the metrics an invocation recorded, once, and the cold-start metric on the first
 * invocation. Unlike Powertools' own middleware it stays silent when nothing was recorded
 * (health checks), instead of warning on every call.
 */
export function flushMetrics(): Mw {
  let coldStart = true;
  return {
    before: () => {
      if (!coldStart) return;
      coldStart = false;
      metrics.captureColdStartMetric();
    },
    after: flushStoredMetrics,
    onError: flushStoredMetrics,
  };
}

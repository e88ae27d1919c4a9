import type { APIGatewayProxyResultV2 } from 'aws-lambda';
import { type FieldError, NotFoundError } from '../domain/errors.ts';

export type HttpResult = Exclude<APIGatewayProxyResultV2, string>;

const JSON_HEADERS = { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' };

export function json(statusCode: number, body: unknown, headers: Record<string, string> = {}): HttpResult {
  return { statusCode, headers: { ...JSON_HEADERS, ...headers }, body: JSON.stringify(body) };
}

export function redirect(location: string): HttpResult {
  return { statusCode: 302, headers: { location, 'cache-control': 'no-store' }, body: '' };
}

/** Answers 404 (problem+json, through the handler's error middleware) with this detail. */
export function notFound(detail: string): never {
  throw new NotFoundError(detail);
}

export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  errors?: FieldError[];
}

/** RFC 9457 problem details. `type` is a stable URN per status so clients can switch on it. */
export function problem(
  status: number,
  title: string,
  detail: string,
  errors?: FieldError[],
  headers: Record<string, string> = {},
): HttpResult {
  const body: Problem = { type: `urn:logbook:problem:${status}`, title, status, detail };
  if (errors) body.errors = errors;
  return {
    statusCode: status,
    headers: { 'content-type': 'application/problem+json', 'cache-control': 'no-store', ...headers },
    body: JSON.stringify(body),
  };
}

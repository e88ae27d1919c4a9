import { randomUUID } from 'node:crypto';
import { inject } from 'vitest';
import { mintToken, type TokenSpec } from '../../local/tokens.ts';
import { contractViolations } from './support/contract.ts';

/**
 * HTTP helpers for integration tests: every call goes through the dev gateway, and every
 * response is checked against the OpenAPI contract (support/contract.ts): a status the
 * operation does not document, or a body its schema rejects, fails the test that got it.
 */
export const baseUrl = () => inject('baseUrl');

export interface ApiResponse<T = unknown> {
  status: number;
  headers: Headers;
  body: T;
  text: string;
}

export async function api<T = any>(
  path: string,
  options: {
    method?: string;
    token?: string;
    body?: unknown;
    rawBody?: string;
    headers?: Record<string, string>;
    /** Another gateway (a private stack); defaults to the shared one. */
    base?: string;
    /** Skip the contract check (only for requests that deliberately bypass the API's routes). */
    unchecked?: boolean;
  } = {},
): Promise<ApiResponse<T>> {
  const headers: Record<string, string> = { ...(options.headers ?? {}) };
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  let body: string | undefined = options.rawBody;
  if (options.body !== undefined) {
    body = JSON.stringify(options.body);
    headers['content-type'] = 'application/json';
  }
  const method = options.method ?? (body !== undefined ? 'POST' : 'GET');
  const url = `${options.base ?? baseUrl()}${path}`;
  const res = await fetch(url, {
    method,
    headers,
    body,
    redirect: 'manual',
  });
  const text = await res.text();
  let parsed: unknown = text;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {
    /* not JSON */
  }
  if (!options.unchecked) {
    const violations = contractViolations(
      method,
      url,
      res.status,
      res.headers.get('content-type'),
      parsed,
      text,
    );
    if (violations.length) throw new Error(`OpenAPI contract violated:\n${violations.join('\n')}`);
  }
  return { status: res.status, headers: res.headers, body: parsed as T, text };
}

export function token(spec: TokenSpec): Promise<string> {
  return mintToken(spec);
}

/** A fresh tenant per test file keeps files independent while sharing one stack. */
export function uniqueTenant(prefix = 't'): string {
  return `${prefix}-${randomUUID().slice(0, 8)}`;
}

export async function tokensFor(tenant: string) {
  const [owner, admin, hr, reporter, designer, curator, curatorReporting, manager, learner, service] =
    await Promise.all([
      token({ tenant, role: 'owner', sub: 'u-owner' }),
      token({ tenant, role: 'admin', sub: 'u-admin' }),
      token({ tenant, role: 'hr', sub: 'u-hr' }),
      token({ tenant, role: 'reporter', sub: 'u-reporter' }),
      token({ tenant, role: 'learning_designer', sub: 'u-designer' }),
      token({ tenant, role: 'curator', sub: 'u-curator' }),
      token({ tenant, role: 'curator', sub: 'u-curator-r', reporting: true }),
      token({ tenant, role: 'manager', sub: 'u-manager' }),
      token({ tenant, role: 'learner', sub: 'u-learner' }),
      token({ role: 'service', sub: 'svc-test' }),
    ]);
  return { owner, admin, hr, reporter, designer, curator, curatorReporting, manager, learner, service };
}

import { describe, expect, it } from 'vitest';
import { ALL_PATHS, mergePaths } from '../../functions/openapi/document.ts';
import { ROUTES } from '../../functions/routes.ts';
import { api } from './helpers.ts';
import { contractViolations } from './support/contract.ts';

/**
 * The response-contract check that api() applies to every integration response: here it is
 * shown to catch what it must, so the rest of the suite passing means something.
 */
const base = 'http://localhost';
const problem = (status: number) => ({
  type: `urn:logbook:problem:${status}`,
  title: 'x',
  status,
  detail: 'x',
});

describe('the OpenAPI response contract check', () => {
  it('documents an operation for every route', () => {
    const paths = mergePaths(...ALL_PATHS) as Record<string, Record<string, unknown>>;
    const missing = ROUTES.filter((r) => !paths[r.path]?.[r.method.toLowerCase()]);
    expect(missing).toEqual([]);
  });

  it('accepts a documented status with a matching body', () => {
    expect(
      contractViolations('GET', `${base}/health`, 200, 'application/json', { status: 'ok' }, ''),
    ).toEqual([]);
  });

  it('rejects a status the operation does not document', () => {
    expect(
      contractViolations('GET', `${base}/health`, 404, 'application/problem+json', problem(404), ''),
    ).toEqual(['GET /health: status 404 is not documented']);
  });

  it('rejects a body the documented schema does not allow', () => {
    const v = contractViolations(
      'GET',
      `${base}/health`,
      200,
      'application/json',
      { status: 'degraded' },
      '',
    );
    expect(v.join()).toContain('does not match the documented schema');
  });

  it('rejects an error that is not problem+json, and a 5xx that shows internals', () => {
    const plain = contractViolations(
      'GET',
      `${base}/v1/audit-events`,
      400,
      'application/json',
      problem(400),
      '',
    );
    expect(plain.join()).toContain('not application/problem+json');
    const leaky = contractViolations(
      'GET',
      `${base}/v1/audit-events`,
      500,
      'application/problem+json',
      problem(500),
      'ConditionalCheckFailedException at send (node_modules/@aws-sdk/x.js:1)',
    );
    expect(leaky.join()).toContain('carries internals');
  });

  it('is applied to the real responses of the local API', async () => {
    const res = await api('/health');
    expect(res.status).toBe(200);
    await expect(api('/v1/no-such-route')).resolves.toMatchObject({ status: 404 });
  });
});

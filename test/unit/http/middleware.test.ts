import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  NotFoundError,
  QuotaExceededError,
  ThrottledError,
  UnavailableError,
} from '../../../shared/domain/errors.ts';
import { parseInput } from '../../../shared/domain/issues.ts';
import { apiHandler } from '../../../shared/http/handler.ts';
import { json } from '../../../shared/http/responses.ts';
import { isAllowedServiceCaller } from '../../../shared/http/service-callers.ts';
import { apiEvent, lambdaContext } from '../../fixtures/events.ts';

type Result = { statusCode: number; headers: Record<string, string>; body: string };
const call = async (h: (e: any, c: any) => Promise<unknown>, e: unknown, context: unknown = lambdaContext) =>
  (await h(e, context)) as Result;

const ALLOWED = 'arn:aws:iam::123456789012:role/platform';

const echoCaller = apiHandler({ auth: 'user' }, async ({ caller }) => json(200, caller));
const echoService = apiHandler({ auth: 'service', serviceCallers: [ALLOWED] }, async ({ caller }) =>
  json(200, caller),
);
const echoBody = apiHandler({ auth: 'none', maxBodyBytes: 100 }, async ({ body }) => json(200, { body }));

describe('query and path parameters', () => {
  const strictQuery = apiHandler({ auth: 'none' }, async ({ query }) =>
    json(200, parseInput(z.strictObject({ limit: z.string().optional() }), query)),
  );

  it('hand a parameter named __proto__ to validation, which names it, instead of dropping it', async () => {
    // What API Gateway's JSON gives the handler: an own key, not a prototype.
    const query = JSON.parse('{"__proto__":"x","limit":"5"}') as Record<string, string>;
    const res = await call(strictQuery, apiEvent({ query }));
    expect(res.statusCode).toBe(400);
    expect(JSON.parse(res.body).errors).toEqual([
      { path: '__proto__', message: 'is not a recognised field' },
    ]);
  });

  it('pass ordinary parameters through', async () => {
    const res = await call(strictQuery, apiEvent({ query: { limit: '5' } }));
    expect(JSON.parse(res.body)).toEqual({ limit: '5' });
  });
});

describe('authentication from API Gateway claims', () => {
  it('builds the caller from JWT claims, with reporting as API Gateway stringifies it', async () => {
    const res = await call(
      echoCaller,
      apiEvent({ claims: { sub: 'u1', tenant_id: 't1', role: 'curator', reporting: 'true' } }),
    );
    expect(res.statusCode).toBe(200);
    expect(JSON.parse(res.body)).toEqual({
      kind: 'user',
      tenantId: 't1',
      userId: 'u1',
      role: 'curator',
      reporting: true,
    });
  });

  it('answers 401 with no claims and 401 for an unknown role', async () => {
    expect((await call(echoCaller, apiEvent({}))).statusCode).toBe(401);
    const bad = await call(
      echoCaller,
      apiEvent({ claims: { sub: 'u1', tenant_id: 't1', role: 'superuser' } }),
    );
    expect(bad.statusCode).toBe(401);
  });

  it('answers 401 for a user token without a tenant', async () => {
    const res = await call(echoCaller, apiEvent({ claims: { sub: 'u1', role: 'admin' } }));
    expect(res.statusCode).toBe(401);
  });

  it('answers 403 when a service token calls a user route', async () => {
    const res = await call(echoCaller, apiEvent({ claims: { sub: 's1', role: 'service' } }));
    expect(res.statusCode).toBe(403);
  });

  it('accepts an allowed IAM principal on service routes and refuses user tokens there', async () => {
    const principal = 'arn:aws:sts::123456789012:assumed-role/platform/i-0abc';
    const ok = await call(echoService, apiEvent({ iamArn: principal }));
    expect(ok.statusCode).toBe(200);
    expect(JSON.parse(ok.body)).toEqual({ kind: 'service', principal });
    const user = await call(echoService, apiEvent({ claims: { sub: 'u1', tenant_id: 't1', role: 'owner' } }));
    expect(user.statusCode).toBe(403);
    expect((await call(echoService, apiEvent({}))).statusCode).toBe(401);
  });

  it('answers 403 problem+json to an IAM principal that is not on SERVICE_CALLERS', async () => {
    for (const principal of [
      'arn:aws:sts::123456789012:assumed-role/someone-else/session',
      'arn:aws:sts::999999999999:assumed-role/platform/session',
      'arn:aws:iam::123456789012:user/intruder',
      'not an arn',
    ]) {
      const res = await call(echoService, apiEvent({ iamArn: principal }));
      expect(res.statusCode, principal).toBe(403);
      expect(res.headers['content-type']).toBe('application/problem+json');
      expect(res.body).not.toContain(principal);
    }
  });

  it('refuses every IAM principal when the allow-list is empty', async () => {
    const strict = apiHandler({ auth: 'service', serviceCallers: [] }, async () => json(200, {}));
    const res = await call(strict, apiEvent({ iamArn: 'arn:aws:sts::123456789012:assumed-role/platform/s' }));
    expect(res.statusCode).toBe(403);
  });
});

describe('the service caller allow-list', () => {
  const allowed = [
    'arn:aws:iam::123456789012:role/ingest/platform-ingest',
    'arn:aws:iam::123456789012:user/directory-sync',
    'arn:aws:iam::210987654321:root',
  ];
  it.each([
    [
      'any session of an allowed role (the role path is not in the session ARN)',
      'arn:aws:sts::123456789012:assumed-role/platform-ingest/i-1',
      true,
    ],
    ['an allowed user', 'arn:aws:iam::123456789012:user/directory-sync', true],
    ['any principal of an allowed account', 'arn:aws:sts::210987654321:assumed-role/anything/x', true],
    [
      'a role of the same name in another account',
      'arn:aws:sts::999999999999:assumed-role/platform-ingest/i-1',
      false,
    ],
    ['another role of the account', 'arn:aws:sts::123456789012:assumed-role/platform-ingest-2/i-1', false],
    ['a user named like an allowed role', 'arn:aws:iam::123456789012:user/platform-ingest', false],
    ['another partition', 'arn:aws-cn:iam::123456789012:user/directory-sync', false],
  ])('%s: %s', (_label, arn, expected) => {
    expect(isAllowedServiceCaller(arn, allowed)).toBe(expected);
  });
});

describe('bodies', () => {
  it('parses JSON', async () => {
    const res = await call(echoBody, apiEvent({ body: '{"a":1}' }));
    expect(JSON.parse(res.body)).toEqual({ body: { a: 1 } });
  });

  it('answers 400 problem+json for malformed JSON', async () => {
    const res = await call(echoBody, apiEvent({ body: '{"a":' }));
    expect(res.statusCode).toBe(400);
    expect(res.headers['content-type']).toBe('application/problem+json');
  });

  it('answers 413 over the route limit, counting bytes not characters', async () => {
    const res = await call(echoBody, apiEvent({ body: JSON.stringify({ s: 'é'.repeat(50) }) }));
    expect(res.statusCode).toBe(413);
  });
});

describe('errors become problem+json', () => {
  it('answers a quota error with 429 and its own Retry-After', async () => {
    const h = apiHandler({ auth: 'none' }, async () => {
      throw new QuotaExceededError('You have 3 exports queued or running.', 30);
    });
    const res = await call(h, apiEvent({}));
    expect(res.statusCode).toBe(429);
    expect(res.headers['retry-after']).toBe('30');
    expect(res.headers['content-type']).toBe('application/problem+json');
  });

  const schema = z.object({
    events: z.array(z.object({ name: z.string(), n: z.number().int() })).min(1),
  });
  const validating = apiHandler({ auth: 'none' }, async ({ body }) => json(200, parseInput(schema, body)));

  it('names every bad path', async () => {
    const res = await call(
      validating,
      apiEvent({
        body: JSON.stringify({
          events: [
            { name: 1, n: 1 },
            { name: 'x', n: 1.5 },
          ],
        }),
      }),
    );
    expect(res.statusCode).toBe(400);
    const problem = JSON.parse(res.body);
    expect(problem).toMatchObject({ type: 'urn:logbook:problem:400', status: 400, title: 'Bad Request' });
    expect(problem.errors.map((e: { path: string }) => e.path).sort()).toEqual([
      'events[0].name',
      'events[1].n',
    ]);
  });

  it('maps exposed domain errors to their status', async () => {
    const h = apiHandler({ auth: 'none' }, async () => {
      throw new NotFoundError('No such entry.');
    });
    const res = await call(h, apiEvent({}));
    expect(res.statusCode).toBe(404);
    expect(JSON.parse(res.body).detail).toBe('No such entry.');
  });

  it('answers 429 with Retry-After when throttled', async () => {
    const h = apiHandler({ auth: 'none' }, async () => {
      throw new ThrottledError('Slow down.');
    });
    const res = await call(h, apiEvent({}));
    expect(res.statusCode).toBe(429);
    expect(res.headers['retry-after']).toBe('1');
  });

  it('never shows internals: a dependency failure is a generic 503, a bug a generic 500', async () => {
    const dep = apiHandler({ auth: 'none' }, async () => {
      throw new UnavailableError('ProvisionedThroughputExceededException at arn:aws:dynamodb:secret-table');
    });
    const bug = apiHandler({ auth: 'none' }, async () => {
      throw new TypeError("Cannot read properties of undefined (reading 'x') at /var/task/index.mjs:1:2");
    });
    const r1 = await call(dep, apiEvent({}));
    const r2 = await call(bug, apiEvent({}));
    expect(r1.statusCode).toBe(503);
    expect(r2.statusCode).toBe(500);
    for (const r of [r1, r2]) {
      expect(r.body).not.toMatch(/arn:|secret-table|TypeError|index\.mjs|undefined/);
    }
  });

  it('answers 503 with Retry-After, not a 500, when the function runs out of time', async () => {
    const slow = apiHandler({ auth: 'none' }, () => new Promise<never>(() => undefined));
    const res = await call(slow, apiEvent({}), { ...lambdaContext, getRemainingTimeInMillis: () => 20 });
    expect(res.statusCode).toBe(503);
    expect(res.headers['retry-after']).toBe('1');
    expect(JSON.parse(res.body).detail).toMatch(/safe to retry/);
  });
});

describe('field paths', () => {
  it('names each unknown field by its own path, at any depth', () => {
    const schema = z.strictObject({ a: z.string(), nested: z.strictObject({ b: z.number() }) });
    let paths: string[] = [];
    try {
      parseInput(schema, { a: 'x', junk: 1, nested: { b: 1, extra: true } });
    } catch (err) {
      paths = (err as { errors: { path: string }[] }).errors.map((e) => e.path).sort();
    }
    expect(paths).toEqual(['junk', 'nested.extra']);
  });
});

describe('claim names from the deployment (JWT_CLAIM_*)', () => {
  it('reads tenant, role and reporting from the claims an identity provider such as Cognito emits', async () => {
    const { authenticate } = await import('../../../shared/http/middleware.ts');
    const cognito = authenticate('user', {
      claims: {
        tenantId: 'custom:tenant_id',
        role: 'custom:role',
        reporting: 'custom:reporting',
        sub: 'sub',
      },
    });
    const event = apiEvent({
      claims: { sub: 'u1', 'custom:tenant_id': 't1', 'custom:role': 'admin', tenant_id: 'other' },
    }) as never as { caller?: unknown };
    await cognito.before?.({ event } as never);
    expect(event.caller).toEqual({
      kind: 'user',
      tenantId: 't1',
      userId: 'u1',
      role: 'admin',
      reporting: false,
    });
  });

  it('ignores the standard names when the deployment names others', async () => {
    const { authenticate } = await import('../../../shared/http/middleware.ts');
    const custom = authenticate('user', {
      claims: { tenantId: 'org', role: 'perm', reporting: 'rep', sub: 'sub' },
    });
    const event = apiEvent({ claims: { sub: 'u1', tenant_id: 't1', role: 'admin' } });
    expect(() => custom.before?.({ event } as never)).toThrowError(/valid claims/);
  });
});

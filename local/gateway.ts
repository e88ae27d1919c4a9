import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { APIGatewayProxyEventV2, APIGatewayProxyResultV2, Context } from 'aws-lambda';
import { NOT_FOUND_FUNCTION, ROUTES, type RouteDef } from '../functions/routes.ts';
import { runAs } from '../shared/adapters/invocation.ts';
import { installLocalInvoker } from '../shared/adapters/lambda/local-invoke.ts';
import { LAMBDA_MAX_RESPONSE_BYTES } from '../shared/query/page-budget.ts';
import { serveConsole } from './console.ts';
import { apiReferenceHtml } from './docs.ts';
import { verifyToken } from './tokens.ts';

/**
 * The dev gateway: each HTTP request becomes an API Gateway HTTP API (payload 2.0) event and is
 * handed to the very `handler` a Lambda exports. Like API Gateway it verifies the bearer token
 * for JWT routes (401 before the handler runs) and places the claims at
 * `requestContext.authorizer.jwt.claims`, stringified; for IAM routes a service token stands in
 * for SigV4 and becomes `requestContext.authorizer.iam`.
 */
type LambdaHandler = (event: APIGatewayProxyEventV2, context: Context) => Promise<APIGatewayProxyResultV2>;

export interface LocalRoute {
  method: string;
  path: string;
  handle: (body: unknown, req: IncomingMessage) => Promise<{ status: number; body: unknown }>;
}

export interface GatewayOptions {
  port: number;
  host?: string;
  /** Routes that exist only locally (`/_local/*`), without tokens. */
  localRoutes?: LocalRoute[];
  /** Default INTEGRATION_TIMEOUT_MS, as in AWS. */
  integrationTimeoutMs?: number;
  /**
   * Browser origins allowed by CORS; `*` stands for any port (`http://localhost:*`). Default:
   * `LOCAL_CORS_ORIGINS` (comma-separated), else `http://localhost:*`.
   */
  corsOrigins?: string[];
}

const CORS_HEADERS = {
  'access-control-allow-methods': 'GET, POST, PUT, DELETE, OPTIONS',
  'access-control-allow-headers': 'authorization, content-type',
  'access-control-expose-headers': 'location, retry-after, content-disposition',
  'access-control-max-age': '600',
};

/** `http://localhost:*` → a matcher for that origin on any port. */
export function originMatcher(patterns: readonly string[]): (origin: string) => boolean {
  const regexes = patterns.map(
    (p) =>
      new RegExp(
        `^${p
          .split('*')
          .map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
          .join('\\d+')}$`,
      ),
  );
  return (origin) => regexes.some((r) => r.test(origin));
}

export function defaultCorsOrigins(): string[] {
  const configured = (process.env.LOCAL_CORS_ORIGINS ?? '')
    .split(',')
    .map((o) => o.trim())
    .filter(Boolean);
  return configured.length > 0 ? configured : ['http://localhost:*'];
}

export interface Gateway {
  url: string;
  server: Server;
  close(): Promise<void>;
}

/** API Gateway HTTP API's payload limit. Routes enforce their own, smaller limits. */
const GATEWAY_MAX_BODY = 10 * 1024 * 1024;
/** HTTP API's integration timeout (not adjustable upwards); routed functions stop at 29 s. */
export const INTEGRATION_TIMEOUT_MS = 30_000;

/**
 * What API Gateway itself answers, before or instead of a function: JSON `{"message": …}`, not
 * problem+json, and the same here so callers meet one behaviour (the OpenAPI document lists them).
 */
export const GATEWAY_MESSAGES = {
  401: 'Unauthorized',
  413: 'Request Entity Too Large',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
} as const;

export function sendGatewayMessage(res: ServerResponse, status: keyof typeof GATEWAY_MESSAGES): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify({ message: GATEWAY_MESSAGES[status] }));
}

export type IntegrationOutcome =
  | { ok: true; result: Exclude<APIGatewayProxyResultV2, string> }
  | { ok: false; status: 500 | 503; reason: string };

/**
 * Calls the function as API Gateway's Lambda integration would: a response larger than
 * Lambda's 6 MB synchronous limit is a 500 (Lambda refuses to return it), no answer within the
 * integration timeout is a 503 (the function keeps running, its answer is dropped), and a
 * function that throws is a 500.
 */
export async function invokeIntegration(
  handler: LambdaHandler,
  event: APIGatewayProxyEventV2,
  context: Context,
  limits: { timeoutMs?: number; maxResponseBytes?: number } = {},
): Promise<IntegrationOutcome> {
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(() => resolve('timeout'), limits.timeoutMs ?? INTEGRATION_TIMEOUT_MS);
  });
  try {
    const result = await Promise.race([handler(event, context), timedOut]);
    if (result === 'timeout') return { ok: false, status: 503, reason: 'integration timeout' };
    const out = typeof result === 'string' ? { statusCode: 200, body: result } : result;
    const size = Buffer.byteLength(JSON.stringify(out));
    if (size > (limits.maxResponseBytes ?? LAMBDA_MAX_RESPONSE_BYTES)) {
      return { ok: false, status: 500, reason: `response payload of ${size} bytes exceeds Lambda's limit` };
    }
    return { ok: true, result: out };
  } catch (err) {
    return { ok: false, status: 500, reason: `function error: ${(err as Error).message}` };
  } finally {
    clearTimeout(timer);
  }
}

interface CompiledRoute {
  def: RouteDef;
  regex: RegExp;
  params: string[];
  literalSegments: number;
}

function compile(def: RouteDef): CompiledRoute {
  const params: string[] = [];
  const segments = def.path.split('/');
  const pattern = segments
    .map((seg) => {
      const m = /^\{(\w+)\}$/.exec(seg);
      if (m?.[1]) {
        params.push(m[1]);
        return '([^/]+)';
      }
      return seg.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    })
    .join('/');
  return {
    def,
    regex: new RegExp(`^${pattern}$`),
    params,
    literalSegments: segments.filter((s) => !s.startsWith('{')).length,
  };
}

const compiled = ROUTES.map(compile).sort((a, b) => b.literalSegments - a.literalSegments);

const handlerCache = new Map<string, Promise<LambdaHandler>>();
export function loadHandler(fn: string): Promise<LambdaHandler> {
  let h = handlerCache.get(fn);
  if (!h) {
    h = import(new URL(`../functions/${fn}/handler.ts`, import.meta.url).href).then(
      (m: { handler: LambdaHandler }) => m.handler,
    );
    handlerCache.set(fn, h);
  }
  return h;
}

export function matchRoute(
  method: string,
  path: string,
): { def: RouteDef; params: Record<string, string> } | null {
  for (const route of compiled) {
    if (route.def.method !== method) continue;
    const m = route.regex.exec(path);
    if (!m) continue;
    const params: Record<string, string> = {};
    route.params.forEach((name, i) => {
      params[name] = decodeURIComponent(m[i + 1] ?? '');
    });
    return { def: route.def, params };
  }
  return null;
}

function fakeContext(fn: string, requestId: string): Context {
  const started = Date.now();
  return {
    callbackWaitsForEmptyEventLoop: false,
    functionName: `logbook-local-${fn}`,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:local:000000000000:function:logbook-local-${fn}`,
    memoryLimitInMB: '1024',
    awsRequestId: requestId,
    logGroupName: `/aws/lambda/logbook-local-${fn}`,
    logStreamName: 'local',
    getRemainingTimeInMillis: () => Math.max(0, 30_000 - (Date.now() - started)),
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
}

function sendProblem(
  res: ServerResponse,
  status: number,
  title: string,
  detail: string,
  extra: { errors?: unknown; headers?: Record<string, string> } = {},
): void {
  res.writeHead(status, { ...extra.headers, 'content-type': 'application/problem+json' });
  const errors = extra.errors === undefined ? {} : { errors: extra.errors };
  res.end(JSON.stringify({ type: `urn:logbook:problem:${status}`, title, status, detail, ...errors }));
}

async function readBody(req: IncomingMessage): Promise<Buffer | 'too-large'> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > GATEWAY_MAX_BODY) return 'too-large';
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

function stringifyClaims(payload: Record<string, unknown>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(payload)) {
    out[k] = Array.isArray(v) ? `[${v.join(' ')}]` : typeof v === 'object' ? JSON.stringify(v) : String(v);
  }
  return out;
}

export async function buildEvent(
  req: IncomingMessage,
  body: Buffer,
  route: { def: RouteDef; params: Record<string, string> } | null,
  url: URL,
): Promise<APIGatewayProxyEventV2 | { status: number; detail: string }> {
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(req.headers)) {
    if (v !== undefined) headers[k.toLowerCase()] = Array.isArray(v) ? v.join(',') : v;
  }
  // Repeated names joined with commas, as API Gateway does; collected in a Map and made an object
  // by Object.fromEntries, so a parameter named `__proto__` is a key and reaches validation.
  const params = new Map<string, string>();
  for (const [k, v] of url.searchParams) params.set(k, params.has(k) ? `${params.get(k)},${v}` : v);
  const query: Record<string, string> = Object.fromEntries(params);
  const requestId = randomUUID();
  const routeKey = route ? `${route.def.method} ${route.def.path}` : '$default';

  let authorizer: Record<string, unknown> | undefined;
  if (route && route.def.auth !== 'none') {
    const header = headers.authorization ?? '';
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    const claims = match?.[1] ? await verifyToken(match[1]) : null;
    if (!claims) return { status: 401, detail: 'A valid bearer token is required.' };
    if (route.def.auth === 'service' && claims.role === 'service') {
      const sub = String(claims.sub ?? 'service');
      authorizer = {
        iam: {
          accessKey: 'LOCALACCESSKEY',
          accountId: '000000000000',
          callerId: sub,
          cognitoIdentity: null,
          principalOrgId: null,
          userArn: `arn:aws:iam::${LOCAL_ACCOUNT}:user/${sub}`,
          userId: sub,
        },
      };
    } else {
      authorizer = { jwt: { claims: stringifyClaims(claims), scopes: null } };
    }
  }

  const isText =
    body.length === 0 || /json|text|xml|urlencoded/.test(headers['content-type'] ?? 'application/json');
  const now = new Date();
  return {
    version: '2.0',
    routeKey,
    rawPath: url.pathname,
    rawQueryString: url.search.replace(/^\?/, ''),
    headers,
    queryStringParameters: Object.keys(query).length ? query : undefined,
    pathParameters: route && Object.keys(route.params).length ? route.params : undefined,
    body: body.length ? (isText ? body.toString('utf8') : body.toString('base64')) : undefined,
    isBase64Encoded: body.length > 0 && !isText,
    requestContext: {
      accountId: '000000000000',
      apiId: 'local',
      domainName: headers.host ?? 'localhost',
      domainPrefix: 'local',
      http: {
        method: req.method ?? 'GET',
        path: url.pathname,
        protocol: `HTTP/${req.httpVersion}`,
        sourceIp: (req.socket.remoteAddress ?? '127.0.0.1').replace(/^::ffff:/, ''),
        userAgent: headers['user-agent'] ?? '',
      },
      requestId,
      routeKey,
      stage: '$default',
      time: now.toISOString(),
      timeEpoch: now.getTime(),
      ...(authorizer ? { authorizer } : {}),
    } as APIGatewayProxyEventV2['requestContext'],
  };
}

/** The account of the IAM identity the gateway makes of a service token (see buildEvent). */
export const LOCAL_ACCOUNT = '000000000000';

/**
 * Runs a function's own handler in this process, as an asynchronous Lambda invoke would run it in
 * its own, marked as that function's invocation (shared/adapters/invocation.ts). The exports function
 * starts the export worker through this locally (no EXPORT_WORKER_FUNCTION).
 */
export function invokeLocally(fn: string, event: unknown): Promise<unknown> {
  return runAs(fn, async () => {
    const handler = (await loadHandler(fn)) as unknown as (e: unknown, c: Context) => Promise<unknown>;
    return handler(event, fakeContext(fn, randomUUID()));
  });
}

export async function startGateway(options: GatewayOptions): Promise<Gateway> {
  // Lambda's asynchronous invoke of the export worker, played in this process: the exports
  // handler starts the worker's own handler in the background.
  installLocalInvoker(invokeLocally);
  // The handlers accept IAM callers from their allow-list only: locally, the stand-in account.
  process.env.SERVICE_CALLERS ??= `arn:aws:iam::${LOCAL_ACCOUNT}:root`;
  const local = new Map((options.localRoutes ?? []).map((r) => [`${r.method} ${r.path}`, r]));
  const allowed = originMatcher(options.corsOrigins ?? defaultCorsOrigins());
  const server = createServer(async (req, res) => {
    try {
      const url = new URL(req.url ?? '/', 'http://localhost');
      const method = (req.method ?? 'GET').toUpperCase();
      const origin = req.headers.origin;
      if (origin && allowed(origin)) {
        res.setHeader('access-control-allow-origin', origin);
        res.setHeader('vary', 'Origin');
        for (const [k, v] of Object.entries(CORS_HEADERS)) res.setHeader(k, v);
      }
      // A preflight: answered here, as API Gateway answers it before any route when CORS is set.
      if (method === 'OPTIONS' && req.headers['access-control-request-method']) {
        res.writeHead(origin && allowed(origin) ? 204 : 403);
        return res.end();
      }
      const body = await readBody(req);
      if (body === 'too-large') return sendGatewayMessage(res, 413);

      if (method === 'GET' && (await serveConsole(url.pathname, res))) return;
      if (method === 'GET' && (url.pathname === '/docs' || url.pathname === '/docs/')) {
        const html = await apiReferenceHtml();
        res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-cache' });
        return res.end(html);
      }
      const localRoute = local.get(`${method} ${url.pathname}`);
      if (localRoute) {
        let parsed: unknown;
        try {
          parsed = body.length ? JSON.parse(body.toString('utf8')) : {};
        } catch {
          return sendProblem(res, 400, 'Bad Request', 'The body is not valid JSON.');
        }
        const out = await localRoute.handle(parsed, req);
        if (out.status >= 400) {
          // Local routes' errors are problem+json like the API's: `type`, `title`, `detail`, `errors`.
          const p = (out.body ?? {}) as { title?: string; detail?: string; errors?: unknown };
          return sendProblem(res, out.status, p.title ?? 'Error', p.detail ?? '', { errors: p.errors });
        }
        res.writeHead(out.status, { 'content-type': 'application/json; charset=utf-8' });
        return res.end(JSON.stringify(out.body));
      }

      const route = matchRoute(method, url.pathname);
      const event = await buildEvent(req, body, route, url);
      if ('status' in event) return sendGatewayMessage(res, 401);
      const fn = route?.def.fn ?? NOT_FOUND_FUNCTION;
      const handler = await loadHandler(fn);
      // Marked as this function's invocation: its SDK calls are attributed to it (shared/adapters/invocation.ts).
      const outcome = await invokeIntegration(
        (e, c) => runAs(fn, () => handler(e, c)),
        event,
        fakeContext(fn, event.requestContext.requestId),
        {
          ...(options.integrationTimeoutMs ? { timeoutMs: options.integrationTimeoutMs } : {}),
        },
      );
      if (!outcome.ok) {
        console.error(`[gateway] ${fn}: ${outcome.reason}; answered ${outcome.status} as API Gateway would`);
        return sendGatewayMessage(res, outcome.status);
      }
      const out = outcome.result;
      const headers: Record<string, string | string[]> = {};
      for (const [k, v] of Object.entries(out.headers ?? {})) headers[k] = String(v);
      if (out.cookies?.length) headers['set-cookie'] = out.cookies;
      res.writeHead(out.statusCode ?? 200, headers);
      res.end(out.body ? Buffer.from(out.body, out.isBase64Encoded ? 'base64' : 'utf8') : undefined);
    } catch (err) {
      // A handler's middleware answers every error it sees; this is the gateway's own failure.
      console.error('[gateway] unhandled error', err);
      if (!res.headersSent) sendProblem(res, 500, 'Internal Server Error', 'An unexpected error occurred.');
      else res.end();
    }
  });
  server.keepAliveTimeout = 5_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host ?? '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${options.host && options.host !== '0.0.0.0' ? options.host : 'localhost'}:${port}`,
    server,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

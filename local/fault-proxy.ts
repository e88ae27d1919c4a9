import { createServer, request as httpRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { seededRandom } from './random.ts';

/**
 * An HTTP proxy in front of DynamoDB Local that fails a share of calls the way DynamoDB does,
 * so the real SDK's retries and our error mapping are exercised over the wire:
 *  - `throttle`: 400 ProvisionedThroughputExceededException, before the call reaches the table;
 *  - `error`: 500 InternalServerError, before the call reaches the table;
 *  - `lost`: the call IS applied, then the response is replaced by a 500 — the nasty case where a
 *    write succeeded but the caller cannot know, which idempotent ids must absorb;
 *  - `reject`: 400 ValidationException, a client fault no retry cures (what DynamoDB answers an
 *    item it refuses), before the call reaches the table.
 * Decisions come from a seeded PRNG, so a run is repeatable. Only operations in `operations`
 * (default: the writes and queries) are eligible.
 */
export type FaultKind = 'throttle' | 'error' | 'lost' | 'reject';

export interface FaultPlan {
  /** Share of eligible calls that fail, 0–1. */
  rate: number;
  kinds: FaultKind[];
  seed?: number;
  operations?: string[];
  /** Only calls whose request body contains this text are eligible (one poisoned record). */
  match?: string;
}

export interface FaultProxy {
  endpoint: string;
  stats: { calls: number; injected: Record<FaultKind, number> };
  setPlan(plan: FaultPlan | null): void;
  close(): Promise<void>;
}

const THROTTLE_BODY = JSON.stringify({
  __type: 'com.amazonaws.dynamodb.v20120810#ProvisionedThroughputExceededException',
  message: 'The level of configured provisioned throughput for the table was exceeded (injected).',
});
const REJECT_BODY = JSON.stringify({
  __type: 'com.amazon.coral.validate#ValidationException',
  message: 'One or more parameter values were invalid (injected).',
});
const ERROR_BODY = JSON.stringify({
  __type: 'com.amazonaws.dynamodb.v20120810#InternalServerError',
  message: 'Internal server error (injected).',
});

export async function startFaultProxy(target: string): Promise<FaultProxy> {
  const upstream = new URL(target);
  let plan: FaultPlan | null = null;
  let random = seededRandom(1);
  const stats = {
    calls: 0,
    injected: { throttle: 0, error: 0, lost: 0, reject: 0 } as Record<FaultKind, number>,
  };

  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const op = String(req.headers['x-amz-target'] ?? '').split('.')[1] ?? '';
      stats.calls++;
      const eligible =
        plan &&
        (plan.operations ?? ['PutItem', 'UpdateItem', 'Query', 'GetItem', 'TransactWriteItems']).includes(
          op,
        ) &&
        (plan.match === undefined || body.includes(plan.match));
      const fault: FaultKind | null =
        eligible && plan && random() < plan.rate
          ? (plan.kinds[Math.floor(random() * plan.kinds.length)] ?? null)
          : null;
      if (fault === 'throttle' || fault === 'error' || fault === 'reject') {
        stats.injected[fault]++;
        res.writeHead(fault === 'error' ? 500 : 400, { 'content-type': 'application/x-amz-json-1.0' });
        res.end(fault === 'throttle' ? THROTTLE_BODY : fault === 'reject' ? REJECT_BODY : ERROR_BODY);
        return;
      }
      const headers = { ...req.headers, host: upstream.host };
      const up = httpRequest(
        { hostname: upstream.hostname, port: upstream.port, path: req.url, method: req.method, headers },
        (upRes) => {
          const upChunks: Buffer[] = [];
          upRes.on('data', (c: Buffer) => upChunks.push(c));
          upRes.on('end', () => {
            if (fault === 'lost') {
              stats.injected.lost++;
              res.writeHead(500, { 'content-type': 'application/x-amz-json-1.0' });
              res.end(ERROR_BODY);
              return;
            }
            res.writeHead(upRes.statusCode ?? 500, upRes.headers);
            res.end(Buffer.concat(upChunks));
          });
        },
      );
      up.on('error', () => {
        res.writeHead(500, { 'content-type': 'application/x-amz-json-1.0' });
        res.end(ERROR_BODY);
      });
      up.end(body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    stats,
    setPlan(next) {
      plan = next;
      random = seededRandom(next?.seed ?? 1);
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

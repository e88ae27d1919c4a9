import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { api, tokensFor, uniqueTenant } from './helpers.ts';
import { type PrivateStack, privateStackWithFaults } from './support/private-gateway.ts';
import { rawDynamo, scanAll } from './support/raw-dynamo.ts';

/**
 * No half-written batch left behind (issue 13.4), over the wire: a private gateway whose
 * DynamoDB calls pass through the fault proxy, which fails every PutItem of one poisoned event
 * of a batch (the others are written). Throttled for good, the batch answers 429 and the retry
 * — the same batch, half of it without ids — completes it: every event stored exactly once.
 * Refused for good (a ValidationException), the batch answers a 500 that does not invite a
 * retry (no Retry-After, no "safe to retry"). Before the fix the first retry stored the id-less
 * events a second time, and the refusal answered 503 "safe to retry".
 */
const tenant = uniqueTenant('part');
let stack: PrivateStack;
let service: string;
const raw = rawDynamo();

beforeAll(async () => {
  stack = await privateStackWithFaults();
  service = (await tokensFor(tenant)).service;
});
afterAll(async () => {
  await stack?.close();
  raw.destroy();
});

const minutesAgo = (n: number) => new Date(Date.now() - n * 60_000).toISOString();
function batchOf(label: string, poisoned: number) {
  return Array.from({ length: 12 }, (_, n) => ({
    ...(n % 2 ? { id: `${label}-given-${n}` } : {}),
    tenantId: tenant,
    occurredAt: minutesAgo(5),
    actor: { type: 'user', id: 'u-1', name: 'Ada' },
    action: 'Updated',
    object: { type: 'Item', id: n === poisoned ? `poison-${label}-${tenant}` : `${label}-item-${n}` },
    source: { kind: 'api', name: 'partial-suite' },
  }));
}
const ingest = (events: unknown[]) =>
  api('/v1/audit-events', { base: stack.url, token: service, body: { events } });
const storedObjects = async (label: string) =>
  (await scanAll(raw, inject('tables').audit, `${tenant}#`))
    .map((item) => (item.e as { object: { id: string } }).object.id)
    .filter((id) => id.includes(label));

describe('a batch that fails part-way', () => {
  it('is completed exactly once by the retry after a 429, ids or not', async () => {
    const events = batchOf('thr', 4);
    stack.proxy.setPlan({
      rate: 1,
      kinds: ['throttle'],
      operations: ['PutItem'],
      match: `poison-thr-${tenant}`,
    });
    const first = await ingest(events);
    expect(first.status, first.text).toBe(429);
    expect(first.headers.get('retry-after')).toBeTruthy();
    expect(await storedObjects('thr')).toHaveLength(11);

    stack.proxy.setPlan(null);
    const retry = await ingest(events);
    expect(retry.status, retry.text).toBe(200);
    const statuses = (retry.body.results as { status: string }[]).map((r) => r.status);
    expect(statuses.filter((s) => s === 'created')).toEqual(['created']);
    expect(statuses[4]).toBe('created');
    const stored = await storedObjects('thr');
    expect(stored).toHaveLength(12);
    expect(new Set(stored).size).toBe(12);
  });

  it('answers a write DynamoDB refuses for good with a 500 that does not invite a retry', async () => {
    const events = batchOf('rej', 7);
    stack.proxy.setPlan({
      rate: 1,
      kinds: ['reject'],
      operations: ['PutItem'],
      match: `poison-rej-${tenant}`,
    });
    const res = await ingest(events);
    stack.proxy.setPlan(null);
    expect(res.status, res.text).toBe(500);
    expect(res.headers.get('retry-after')).toBeNull();
    expect(res.body.detail).not.toMatch(/retry/i);
    expect(res.text).not.toMatch(/ValidationException|parameter values/);
    expect(stack.proxy.stats.injected.reject).toBe(1);
  });
});

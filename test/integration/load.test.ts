import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { api, tokensFor, uniqueTenant } from './helpers.ts';
import { percentile, rawDynamo, scanAll } from './support/raw-dynamo.ts';

/**
 * Load: 50 concurrent clients post 20,000 audit events through the shared local API in batches of 25 (small enough that a
 * request fits the function timeout on this machine), retrying a 429/5xx batch unchanged. Stored count must equal acknowledged count, with
 * no id stored twice. Latency per request is printed (p50/p99), never asserted: it measures
 * this machine's DynamoDB Local, not the service.
 */
const CLIENTS = 50;
const EVENTS = 20_000;
const BATCH = 25;

const tenant = uniqueTenant('load');
let service: string;
const raw = rawDynamo();
beforeAll(async () => {
  service = (await tokensFor(tenant)).service;
});
afterAll(() => raw.destroy());

describe('ingest under load', () => {
  it('stores exactly what it acknowledged for 50 concurrent clients', async () => {
    const perClient = EVENTS / CLIENTS / BATCH;
    const acknowledged = new Set<string>();
    const latencies: number[] = [];
    const statuses: Record<string, number> = {};
    let retries = 0;
    const started = performance.now();
    await Promise.all(
      Array.from({ length: CLIENTS }, async (_, c) => {
        for (let b = 0; b < perClient; b++) {
          const events = Array.from({ length: BATCH }, (_, i) => ({
            id: `l-${c}-${b}-${i}`,
            tenantId: tenant,
            occurredAt: new Date(Date.now() - 120_000).toISOString(),
            actor: { type: 'api', id: `client-${c}`, name: `Client ${c}` },
            action: 'Created',
            object: { type: 'User', id: `user-${c}-${b}-${i}`, name: `Person ${i}` },
            source: { kind: 'api', name: 'load' },
          }));
          for (let attempt = 1; ; attempt++) {
            const t0 = performance.now();
            const res = await api('/v1/audit-events', { token: service, body: { events } });
            latencies.push(performance.now() - t0);
            statuses[res.status] = (statuses[res.status] ?? 0) + 1;
            if (res.status === 200) {
              for (const r of res.body.results as { id: string }[]) acknowledged.add(r.id);
              break;
            }
            expect([429, 500, 503], res.text).toContain(res.status);
            expect(attempt).toBeLessThan(20);
            retries++;
          }
        }
      }),
    );
    const seconds = (performance.now() - started) / 1000;
    const items = await scanAll(raw, inject('tables').audit, `${tenant}#`);
    const ids = items.map((i) => (i.e as { id: string }).id);
    const unique = new Set(ids);
    latencies.sort((a, b) => a - b);
    console.log(
      JSON.stringify({
        suite: 'load',
        clients: CLIENTS,
        events: EVENTS,
        requests: latencies.length,
        statuses,
        retries,
        acknowledged: acknowledged.size,
        stored: items.length,
        duplicates: ids.length - unique.size,
        p50ms: Math.round(percentile(latencies, 50)),
        p99ms: Math.round(percentile(latencies, 99)),
        eventsPerSecond: Math.round(EVENTS / seconds),
      }),
    );
    expect(acknowledged.size).toBe(EVENTS);
    expect(items.length).toBe(acknowledged.size);
    expect(unique.size).toBe(ids.length);
    expect([...acknowledged].filter((id) => !unique.has(id))).toEqual([]);
  }, 600_000);
});

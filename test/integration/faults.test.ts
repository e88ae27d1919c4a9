import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { FaultKind } from '../../local/fault-proxy.ts';
import { sealedKeys } from '../../shared/domain/audit/personal.ts';
import { api, tokensFor, uniqueTenant } from './helpers.ts';
import { type PrivateStack, privateStackWithFaults } from './support/private-gateway.ts';
import { rawDynamo, scanAll } from './support/raw-dynamo.ts';

/**
 * Faults: 10,000 audit events ingested through the HTTP API of a private gateway whose DynamoDB
 * calls pass through the fault proxy, which throttles, fails, or applies-then-loses a share of
 * them. Clients behave as API.md allows: a batch answered 429 or 5xx is sent again, unchanged,
 * with the same ids. Afterwards DynamoDB Local is read directly.
 *
 * Semantics shown: an event is acknowledged when its batch answers 200 (`created` or
 * `duplicate`). A `lost` write (applied, response lost) makes the SDK or the client retry; the
 * retry finds the id stored and answers `duplicate`: the entry is stored once, which is the
 * guarantee; `created` vs `duplicate` is not a count of who wrote first.
 */
const EVENTS = 10_000;
const BATCH = 100;
const CLIENTS = 4;
const MAX_ATTEMPTS = 30;
const RATE = 0.08;
const OUTAGE_BATCHES = 10;
const KINDS: FaultKind[] = ['throttle', 'error', 'lost'];

const tenant = uniqueTenant('fault');
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

function eventFor(n: number) {
  return {
    id: `f-${String(n).padStart(5, '0')}`,
    tenantId: tenant,
    occurredAt: new Date(Date.now() - 60_000 - n).toISOString(),
    actor: { type: 'user', id: `u-${n % 37}`, name: `User ${n % 37}` },
    action: n % 2 ? 'Updated' : 'Created',
    object: { type: 'Item', id: `item-${n}`, name: `Item number ${n}` },
    source: { kind: 'api', name: 'fault-suite' },
    details: { n },
  };
}

describe('ingest under DynamoDB throttling, errors and lost responses', () => {
  it('stores every acknowledged event exactly once and reports every failure so the retry is safe', async () => {
    const batches = Array.from({ length: EVENTS / BATCH }, (_, b) =>
      Array.from({ length: BATCH }, (_, i) => eventFor(b * BATCH + i)),
    );
    const failures: Record<string, number> = {};
    const acknowledged = new Map<string, string>();
    let requests = 0;
    let retries = 0;
    let next = 0;

    const client = async () => {
      while (next < batches.length) {
        const batch = batches[next++]!;
        for (let attempt = 1; ; attempt++) {
          requests++;
          // api() checks every answer against the contract: 429/5xx are problem+json without internals.
          const res = await api('/v1/audit-events', {
            base: stack.url,
            token: service,
            body: { events: batch },
          });
          if (res.status === 200) {
            for (const r of res.body.results as { id: string; status: string }[])
              acknowledged.set(r.id, r.status);
            break;
          }
          expect([429, 500, 503], res.text).toContain(res.status);
          expect(res.headers.get('retry-after')).toBeTruthy();
          failures[res.status] = (failures[res.status] ?? 0) + 1;
          expect(
            attempt,
            `a batch kept failing: ${JSON.stringify({ failures, requests, injected: stack.proxy.stats, ack: acknowledged.size })}`,
          ).toBeLessThan(MAX_ATTEMPTS);
          retries++;
        }
      }
    };
    // Phase 1: an outage. Every DynamoDB write fails (throttled, failed, or applied and lost),
    // so each of the last OUTAGE_BATCHES batches is answered 429/503 and nothing is acknowledged.
    const outage = batches.splice(batches.length - OUTAGE_BATCHES);
    stack.proxy.setPlan({ rate: 1, kinds: KINDS, seed: 1, operations: ['PutItem'] });
    await Promise.all(
      outage.map(async (batch) => {
        requests++;
        const res = await api('/v1/audit-events', {
          base: stack.url,
          token: service,
          body: { events: batch },
        });
        expect([429, 503], res.text).toContain(res.status);
        expect(res.headers.get('retry-after')).toBeTruthy();
        failures[res.status] = (failures[res.status] ?? 0) + 1;
        retries++;
      }),
    );
    // Phase 2: a share of calls fails while every batch is sent (the outage's batches again,
    // unchanged, among them) until each is acknowledged.
    batches.push(...outage);
    stack.proxy.setPlan({ rate: RATE, kinds: KINDS, seed: 20261122, operations: ['PutItem'] });
    await Promise.all(Array.from({ length: CLIENTS }, client));
    stack.proxy.setPlan(null);
    const injected = { ...stack.proxy.stats.injected };

    const items = await scanAll(raw, inject('tables').audit, `${tenant}#`);
    const perId = new Map<string, number>();
    for (const item of items) {
      const id = (item.e as { id: string }).id;
      perId.set(id, (perId.get(id) ?? 0) + 1);
    }
    const duplicates = [...perId.values()].filter((c) => c > 1).length;
    const summary = {
      suite: 'faults',
      events: EVENTS,
      batches: batches.length,
      requests,
      clientRetries: retries,
      callerVisibleFailures: failures,
      injected,
      proxiedCalls: stack.proxy.stats.calls,
      acknowledged: acknowledged.size,
      answeredDuplicate: [...acknowledged.values()].filter((s) => s === 'duplicate').length,
      stored: items.length,
      duplicates,
    };
    console.log(JSON.stringify(summary));

    expect(acknowledged.size).toBe(EVENTS);
    expect(items.length).toBe(EVENTS);
    expect(duplicates).toBe(0);
    for (const [id, count] of perId) expect(count, id).toBe(1);
    // Contents: each stored entry is the one that was sent under its id.
    const byId = new Map(items.map((i) => [(i.e as { id: string }).id, i]));
    for (let n = 0; n < EVENTS; n++) {
      const sent = eventFor(n);
      const stored = byId.get(sent.id);
      expect(stored?.e, sent.id).toMatchObject({
        id: sent.id,
        tenantId: tenant,
        action: sent.action,
        object: sent.object,
        // The actor's name is stored sealed under their own key (domain/audit/personal.ts).
        actor: { type: sent.actor.type, id: sent.actor.id },
      });
      const sealed = sealedKeys((stored?.e ?? {}) as Record<string, unknown>);
      expect(
        sealed.map((s) => s.person),
        sent.id,
      ).toEqual([sent.actor.id]);
      expect((stored?.x as { details?: unknown } | undefined)?.details).toEqual({ n });
    }
    // The plan really bit: every kind was injected, and failures reached the callers.
    for (const kind of KINDS) expect(injected[kind], kind).toBeGreaterThan(0);
    expect(retries).toBeGreaterThanOrEqual(OUTAGE_BATCHES);
  }, 600_000);
});

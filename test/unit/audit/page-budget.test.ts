import { describe, expect, it } from 'vitest';
import { auditFiltersSchema } from '../../../shared/domain/audit/filters.ts';
import { auditEventInputSchema, MAX_CHANGES } from '../../../shared/domain/audit/schema.ts';
import type { UserCaller } from '../../../shared/domain/caller.ts';
import { json } from '../../../shared/http/responses.ts';
import {
  itemsWithinBudget,
  LAMBDA_MAX_RESPONSE_BYTES,
  PAGE_BUDGET_BYTES,
} from '../../../shared/query/page-budget.ts';
import { ingestAuditEvents } from '../../../shared/use-cases/audit/ingest.ts';
import { getAuditEvent, listAuditEvents } from '../../../shared/use-cases/audit/query.ts';
import { largestAuditEvent } from '../../fixtures/largest-audit.ts';
import { InMemoryAuditStore } from './fakes.ts';

/**
 * The largest list page the API allows (limit 200, every entry at its maximum size) must fit in
 * Lambda's 6 MB synchronous response, measured as the handler returns it (the body is a JSON
 * string inside the JSON the runtime sends). List items leave changes and details out; what is
 * left can still reach 15 MB with badly escaping text, so the page ends early with a cursor.
 */
const now = new Date('2026-11-22T10:00:00.000Z');
const key = new TextEncoder().encode('k'.repeat(32));
const admin: UserCaller = { kind: 'user', tenantId: 't1', userId: 'u-a', role: 'admin', reporting: false };
const lambdaPayloadBytes = (body: unknown) => Buffer.byteLength(JSON.stringify(json(200, body)));

async function seed(store: InMemoryAuditStore, count: number, changeBytes: 'max' | 'count') {
  const events = Array.from({ length: count }, (_, i) =>
    largestAuditEvent('t1', i, new Date(now.getTime() - (i + 1) * 60_000).toISOString(), changeBytes),
  );
  for (const e of events.slice(0, 3)) expect(auditEventInputSchema.safeParse(e).success).toBe(true);
  const deps = { store, clock: { now: () => now }, retentionMonths: 18 };
  for (let i = 0; i < events.length; i += 100) await ingestAuditEvents(deps, events.slice(i, i + 100));
  return events;
}

describe('the largest audit list page', () => {
  it('fits in a Lambda response, and paging still reaches every entry exactly once', async () => {
    const store = new InMemoryAuditStore();
    const events = await seed(store, 200, 'count');
    const deps = { store, clock: { now: () => now }, retentionMonths: 18, signingKey: async () => key };
    const filters = auditFiltersSchema.parse({});
    const seen: string[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const page = await listAuditEvents(deps, admin, filters, { limit: 200, ...(cursor ? { cursor } : {}) });
      const bytes = lambdaPayloadBytes({ items: page.items, nextCursor: page.nextCursor });
      expect(bytes).toBeLessThan(LAMBDA_MAX_RESPONSE_BYTES);
      for (const item of page.items) {
        expect(item).not.toHaveProperty('changes');
        expect(item).not.toHaveProperty('details');
      }
      seen.push(...page.items.map((i) => i.id));
      cursor = page.nextCursor ?? undefined;
      pages++;
    } while (cursor && pages < 20);
    // Unbounded, 200 of these would be far over the limit: the budget really cut the page.
    expect(pages).toBeGreaterThan(1);
    expect(seen).toEqual([...events].map((e) => e.id));
    console.log(JSON.stringify({ suite: 'page-budget', pages, items: seen.length }));
  }, 60_000);

  it('a single entry with 200 changes at 256 KB and 32 KB of details fits as well', async () => {
    const store = new InMemoryAuditStore();
    const [event] = await seed(store, 1, 'max');
    const entry = await getAuditEvent({ store, clock: { now: () => now } }, admin, event!.id);
    expect(entry.changes).toHaveLength(MAX_CHANGES);
    expect(lambdaPayloadBytes(entry)).toBeLessThan(LAMBDA_MAX_RESPONSE_BYTES);
  });

  it('counts an item as it travels: escaped twice', () => {
    const item = { name: '\u0001'.repeat(1000) };
    // {"name":"\u0001…"} is 6 bytes a character; in the body string, 7.
    expect(itemsWithinBudget([item, item], 7_000 + 30)).toBe(1);
    expect(itemsWithinBudget([item, item], 2 * (7_000 + 30))).toBe(2);
    expect(itemsWithinBudget([], PAGE_BUDGET_BYTES)).toBe(0);
  });
});

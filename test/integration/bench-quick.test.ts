import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { type BenchContext, startBenchContext } from '../../bench/lib/context.ts';
import { type QueryRow, queryEfficiency, TARGET } from '../../bench/query-efficiency.ts';
import { uniqueTenant } from './helpers.ts';

/**
 * The smoke check of `npm run bench -- --quick`: the query-efficiency section on the small
 * dataset, against the test stack's DynamoDB Local. It asserts ratios of items read per item
 * returned (DynamoDB's own ScannedCount), never times.
 */
let ctx: BenchContext | undefined;
let rows: QueryRow[] = [];

beforeAll(async () => {
  const tables = inject('tables');
  ctx = await startBenchContext({
    quick: true,
    endpoint: inject('dynamoEndpoint'),
    tables: { audit: tables.audit, activity: tables.activity },
    prefix: uniqueTenant('bq'),
  });
  const [section] = await queryEfficiency(ctx);
  rows = (section!.data as { rows: QueryRow[] }).rows;
}, 300_000);
afterAll(async () => {
  await ctx?.stop();
});

describe('bench --quick: query efficiency', () => {
  it('runs a suite of at least 12 indexed queries over both logs, with scopes and a deep page', () => {
    const indexed = rows.filter((r) => r.indexed);
    expect(indexed.length).toBeGreaterThanOrEqual(12);
    expect(new Set(indexed.map((r) => r.log))).toEqual(new Set(['audit', 'activity']));
    expect(rows.some((r) => r.page === 5)).toBe(true);
    expect(rows.some((r) => r.label.startsWith('team of'))).toBe(true);
    expect(rows.some((r) => r.label.startsWith('manager'))).toBe(true);
  });

  it(`reads at most ${TARGET} items per item returned for every indexed query without a structural bound`, () => {
    const misses = rows
      .filter((r) => r.indexed && !r.bound && r.ratio > TARGET)
      .map((r) => `${r.id} ${r.label}: ${r.read} read for ${r.returned} (${r.index})`);
    expect(misses).toEqual([]);
  });

  it('reads less than the naive time-window plan for any indexed query, bounded or not', () => {
    const worse = rows
      .filter((r) => r.indexed && r.index !== 'byTime' && r.read > r.naiveRead)
      .map((r) => `${r.id} ${r.label}: ${r.read} read, naive ${r.naiveRead}`);
    expect(worse).toEqual([]);
  });

  it('falls back to the time window (large scopes) within 1.5× of the least such a walk can read', () => {
    // The naive figure is exact and has no look-ahead or page overshoot; the real walk sizes its
    // pages by the yield it has seen so far, so it may read somewhat past the last match.
    const fallbacks = rows.filter((r) => r.indexed && r.index === 'byTime');
    for (const r of fallbacks) expect(r.read, r.id).toBeLessThanOrEqual(r.naiveRead * 1.5);
  });

  it('serves each single indexed filter from its own index, not the time index', () => {
    const onTime = rows.filter((r) => r.indexed && !r.bound && r.index === 'byTime').map((r) => r.id);
    expect(onTime).toEqual([]);
  });
});

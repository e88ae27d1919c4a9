import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readAhead } from '../../../shared/query/read-ahead.ts';

interface Page {
  n: number;
  next: string | null;
}

const tick = (ms = 1) => new Promise((r) => setTimeout(r, ms));

/** A paged source of `count` pages that logs when reads start and end, and counts reads in flight. */
function source(count: number, options: { readMs?: (n: number) => number; failAt?: number } = {}) {
  const log: string[] = [];
  const afters: Array<string | undefined> = [];
  let inFlight = 0;
  let maxInFlight = 0;
  const read = async (after: string | undefined): Promise<Page> => {
    afters.push(after);
    const n = after === undefined ? 0 : Number(after) + 1;
    log.push(`read ${n}`);
    inFlight++;
    maxInFlight = Math.max(maxInFlight, inFlight);
    try {
      await tick(options.readMs?.(n) ?? 1);
      if (n === options.failAt) throw new Error(`page ${n} failed`);
      log.push(`got ${n}`);
      return { n, next: n + 1 < count ? String(n) : null };
    } finally {
      inFlight--;
    }
  };
  return { read, log, afters, maxInFlight: () => maxInFlight };
}
const nextOf = (p: Page) => p.next;

let unhandled: unknown[] = [];
const onUnhandled = (reason: unknown) => unhandled.push(reason);
beforeEach(() => {
  unhandled = [];
  process.on('unhandledRejection', onUnhandled);
});
afterEach(() => {
  process.off('unhandledRejection', onUnhandled);
});

describe('readAhead', () => {
  it('yields every page once, in order, and reads nothing past the last', async () => {
    const s = source(5);
    const seen: number[] = [];
    for await (const page of readAhead(s.read, nextOf)) seen.push(page.n);
    expect(seen).toEqual([0, 1, 2, 3, 4]);
    expect(s.afters).toEqual([undefined, '0', '1', '2', '3']);
  });

  it('starts reading the next page before the consumer is done with the current one', async () => {
    const s = source(3);
    for await (const page of readAhead(s.read, nextOf)) {
      s.log.push(`use ${page.n}`);
      await tick(5);
      s.log.push(`used ${page.n}`);
    }
    // Page n+1 is asked for when page n arrives, and arrives while page n is in use.
    expect(s.log).toEqual([
      'read 0',
      'got 0',
      'read 1',
      'use 0',
      'got 1',
      'used 0',
      'read 2',
      'use 1',
      'got 2',
      'used 1',
      'use 2',
      'used 2',
    ]);
  });

  it('keeps one read in flight at most, whether the consumer or the reads are the slow side', async () => {
    const slowReads = source(6, { readMs: (n) => (n % 2 ? 8 : 1) });
    for await (const _ of readAhead(slowReads.read, nextOf)) await tick(1);
    expect(slowReads.maxInFlight()).toBe(1);

    const slowConsumer = source(6);
    let held = 0;
    for await (const page of readAhead(slowConsumer.read, nextOf)) {
      // Pages read but not yet consumed: this one and at most the one ahead.
      held = Math.max(held, slowConsumer.afters.length - page.n);
      await tick(8);
    }
    expect(slowConsumer.maxInFlight()).toBe(1);
    expect(held).toBe(2);
  });

  it('fails the iteration when the consumer reaches a page whose read failed ahead, without an unhandled rejection', async () => {
    const s = source(5, { failAt: 2 });
    const seen: number[] = [];
    const run = async () => {
      for await (const page of readAhead(s.read, nextOf)) {
        seen.push(page.n);
        // The read of page 2 fails while page 1 is still in use.
        await tick(10);
      }
    };
    await expect(run()).rejects.toThrow('page 2 failed');
    expect(seen).toEqual([0, 1]);
    await tick(5);
    expect(unhandled).toEqual([]);
  });

  it('leaves no unhandled rejection when the consumer stops early and the read ahead fails', async () => {
    const s = source(5, { failAt: 1 });
    for await (const page of readAhead(s.read, nextOf)) {
      expect(page.n).toBe(0);
      break;
    }
    await tick(10);
    expect(s.afters).toEqual([undefined, '0']);
    expect(unhandled).toEqual([]);
  });
});

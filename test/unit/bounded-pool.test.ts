import { describe, expect, it } from 'vitest';
import { ThrottledError, UnavailableError } from '../../shared/domain/errors.ts';
import { mapBounded } from '../../shared/use-cases/bounded-pool.ts';

const tick = () => new Promise((r) => setTimeout(r, 1));

describe('the bounded pool', () => {
  it('answers every result in item order, never more than the bound in flight', async () => {
    let inFlight = 0;
    let most = 0;
    const out = await mapBounded([5, 1, 4, 2, 3, 0, 6], 3, async (n, i) => {
      inFlight++;
      most = Math.max(most, inFlight);
      for (let k = 0; k < n; k++) await tick();
      inFlight--;
      return `${i}:${n}`;
    });
    expect(out).toEqual(['0:5', '1:1', '2:4', '3:2', '4:3', '5:0', '6:6']);
    expect(most).toBe(3);
  });

  it('starts nothing new after a failure, lets the items in flight finish, then throws', async () => {
    const started: number[] = [];
    const finished: number[] = [];
    const run = mapBounded([0, 1, 2, 3, 4, 5], 3, async (n) => {
      started.push(n);
      await tick();
      if (n === 1) throw new UnavailableError('down');
      for (let k = 0; k < 5; k++) await tick();
      finished.push(n);
      return n;
    });
    await expect(run).rejects.toBeInstanceOf(UnavailableError);
    expect(started).toEqual([0, 1, 2]);
    // Nothing is left half-done: all that started and did not fail finished before the throw.
    expect(finished.sort()).toEqual([0, 2]);
  });

  it('throws a throttling failure before any other, so the batch answers 429', async () => {
    const run = mapBounded([0, 1], 2, async (n) => {
      if (n === 0) throw new UnavailableError('down');
      await tick();
      throw new ThrottledError('busy');
    });
    await expect(run).rejects.toBeInstanceOf(ThrottledError);
  });

  it('treats a bound below one as one', async () => {
    let inFlight = 0;
    let most = 0;
    await mapBounded([1, 2, 3], 0, async () => {
      most = Math.max(most, ++inFlight);
      await tick();
      inFlight--;
    });
    expect(most).toBe(1);
  });
});

import pLimit from 'p-limit';
import { ThrottledError } from '../domain/errors.ts';

/**
 * The one bounded pool (p-limit) for work fanned out over many items: audit ingest, activity
 * ingest and the report dispatcher. Runs `fn` over `items`, at most `concurrency` at once, and
 * answers the results in item order.
 *
 * Failure: once an item fails, no item that has not started yet starts; the items in flight
 * settle; then the pool throws one failure, a throttling one (429, retry shortly) before any
 * other, else the first. The items that finished stay done, and none is left half-written (each
 * is one whole write: a conditional put). A retry of the whole batch completes it exactly once,
 * since every item has a stable id. A caller whose items must not stop each other (the
 * dispatcher: one schedule's failure leaves the others to run) catches inside `fn`.
 */
export async function mapBounded<T, R>(
  items: readonly T[],
  concurrency: number,
  fn: (item: T, index: number) => Promise<R>,
): Promise<R[]> {
  const limit = pLimit(Math.max(1, concurrency));
  const failures: unknown[] = [];
  const results = await Promise.all(
    items.map((item, i) =>
      limit(async () => {
        if (failures.length > 0) return undefined;
        try {
          return await fn(item, i);
        } catch (err) {
          failures.push(err);
          return undefined;
        }
      }),
    ),
  );
  if (failures.length > 0) throw failures.find((f) => f instanceof ThrottledError) ?? failures[0];
  return results as R[];
}

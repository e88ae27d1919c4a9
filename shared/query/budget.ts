/**
 * The read budget of one list call (API.md: a list call reads a bounded amount of storage).
 * Kept apart from the merge (shared/query/merge-planner.ts) so the OpenAPI document can state it.
 */
export interface ReadBudget {
  /** Items DynamoDB may read (ScannedCount), summed over the call's Queries. */
  items: number;
  /** Query calls (each costs at least half a read unit, even when it finds nothing). */
  queries: number;
}

/**
 * 2,000 items (~200 read units at our ~0.8 KB items) is 1.3× what the bench's costliest page of
 * 50 reads (a title substring over the time index: 1,489), and 256 calls hold five Query rounds
 * over the planner's largest merge (50 streams; the bench's costliest merge makes 129): normal
 * pages never meet it, a rare match over a wide window does. A round of parallel reads that the
 * budget splits takes at least one item per stream, so a call reads at most `items` plus one
 * per stream; the first round always runs, so every call makes progress.
 */
export const READ_BUDGET: ReadBudget = { items: 2000, queries: 256 };

/** The budget as the OpenAPI document states it. */
export const READ_BUDGET_TEXT =
  `Each call reads at most ${READ_BUDGET.items.toLocaleString('en-US')} stored entries ` +
  `(plus one per merged index partition) in at most ${READ_BUDGET.queries} DynamoDB queries. When that ` +
  'budget runs out before the page is full, the answer holds what was found so far and a `nextCursor`: a ' +
  'page may hold fewer than `limit` items, even none, while more follow. Follow `nextCursor` until it is ' +
  'null; it resumes exactly where the read stopped.';

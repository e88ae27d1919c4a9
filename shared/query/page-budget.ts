/**
 * A list page must fit Lambda's synchronous response limit (6 MB for the whole response the
 * function returns, API Gateway answers 500 above it), whatever its items hold. Items are at
 * most a few KB of text each, but text may escape badly: a control character takes 6 bytes in
 * the body's JSON and 7 once that body is itself a JSON string in the Lambda response, so 200
 * items with every field at its maximum length could reach 15 MB. A page therefore ends early
 * when its items would pass PAGE_BUDGET_BYTES, with a cursor after the last item it holds
 * (API.md: a page may hold fewer than `limit` items while more follow).
 */
export const LAMBDA_MAX_RESPONSE_BYTES = 6 * 1024 * 1024;
/** Items' share of a response; the rest is room for the envelope, the cursor and headers. */
export const PAGE_BUDGET_BYTES = 5 * 1024 * 1024;

/** How many leading `items` fit in `budget` bytes as they travel in a Lambda response. */
export function itemsWithinBudget(items: readonly unknown[], budget = PAGE_BUDGET_BYTES): number {
  let used = 0;
  for (let i = 0; i < items.length; i++) {
    // The item's JSON, escaped once more as part of the body string, plus its comma.
    used += Buffer.byteLength(JSON.stringify(JSON.stringify(items[i]))) - 1;
    if (used > budget) return i;
  }
  return items.length;
}

/** The position a cursor resumes strictly after: `occurredAt#id`, as the indexes sort. */
export function positionOf(item: { occurredAt: string; id: string }): string {
  return `${item.occurredAt}#${item.id}`;
}

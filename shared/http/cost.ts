import type { Config } from '../config.ts';

/**
 * Cost headers of a list answer: items DynamoDB read before filtering (ScannedCount) and the
 * index the planner chose. The scanned count covers entries the filters then dropped, so it is
 * a figure about the whole partition read: only org-wide readers (who may read every entry of
 * the tenant anyway) receive it, and only where the deployment turns it on (COST_HEADERS).
 */
export function costHeaders(
  config: Pick<Config, 'COST_HEADERS'>,
  orgWideReader: boolean,
  cost: { scanned: number; index: string },
): Record<string, string> {
  if (config.COST_HEADERS !== 'on' || !orgWideReader) return {};
  return { 'x-logbook-scanned': String(cost.scanned), 'x-logbook-index': cost.index };
}

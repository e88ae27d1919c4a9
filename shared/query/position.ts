// Merge positions: where a merged list stopped, and the spacing of the page that ended there.
//
// A position is an index sort key, `occurredAt#id`, or, where a call stopped at its read budget
// between items, a bare ISO timestamp (the frontier). A page of several merged streams hands on
// its spacing (ms per item) after a `~` (ids never contain `~`), so the next page can place its
// first time slice instead of probing every stream (shared/query/merge-planner.ts). Positions
// travel inside MAC-protected cursors, and a spacing only steers how much is read, never what is
// returned: a missing, garbled or absurd spacing reads as none.

/** Separates a position from the spacing of the page that ended there. */
const SPACING_MARK = '~';

export interface Position {
  /** `occurredAt#id` of the last item already returned; undefined on a first page. */
  position: string | undefined;
  /** ms per item of the page that ended there, when that page said so (a positive number). */
  spacing: number | undefined;
}

export function parsePosition(raw: string | undefined): Position {
  if (raw === undefined) return { position: undefined, spacing: undefined };
  const at = raw.indexOf(SPACING_MARK);
  if (at < 0) return { position: raw, spacing: undefined };
  const spacing = Number(raw.slice(at + 1));
  return {
    position: raw.slice(0, at),
    spacing: Number.isFinite(spacing) && spacing > 0 ? spacing : undefined,
  };
}

/** The position after `ts`, carrying `spacing` when there is one (a positive number of ms). */
export function formatPosition(ts: string, spacing?: number): string {
  return spacing !== undefined && spacing > 0 ? `${ts}${SPACING_MARK}${spacing}` : ts;
}

/** The position of an item: its index sort key `occurredAt#id` (ISO timestamps carry no `#`). */
export function itemPosition(occurredAt: string, id: string): string {
  return `${occurredAt}#${id}`;
}

/** The id of the item at a position `occurredAt#id`. */
export function idOfPosition(position: string): string {
  return position.slice(position.indexOf('#') + 1);
}

/** Epoch ms of a position (`occurredAt#id`) or of a bare ISO timestamp (a slice bound). */
export function msOf(position: string): number {
  const hash = position.indexOf('#');
  return Date.parse(hash < 0 ? position : position.slice(0, hash));
}

/** A bare ISO timestamp: a slice bound, which no position equals (positions carry `#id`). */
export function isoOf(ms: number): string {
  return new Date(ms).toISOString();
}

/**
 * A position at an item (`occurredAt#id`), after which a stream resumes by key; else a bare
 * timestamp (where a budget-stopped page ended between items), which bounds the next read instead.
 */
export function isItemPosition(position: string): boolean {
  return position.includes('#');
}

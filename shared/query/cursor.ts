// Opaque, tamper-evident list cursors. The payload is only the position of the last item
// returned (`occurredAt#id`, with the page's spacing when several streams were merged: see
// shared/query/position.ts); the MAC binds it to the tenant, the list it came from and a hash
// of the filters, so an altered cursor, another tenant's, or one replayed with other filters
// is rejected with 400.

import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { BadRequestError } from '../domain/errors.ts';

export interface CursorBinding {
  tenantId: string;
  /** Which list: `audit`, `activity`, `me-activity`, … */
  list: string;
  /** The normalised filters (without cursor and limit). */
  filters: Record<string, unknown>;
}

export function filtersHash(filters: Record<string, unknown>): string {
  return createHash('sha256').update(canonicalJson(filters)).digest('base64url').slice(0, 22);
}

export function encodeCursor(key: Uint8Array, binding: CursorBinding, position: string): string {
  const payload = Buffer.from(JSON.stringify({ p: position })).toString('base64url');
  return `${payload}.${mac(key, binding, payload)}`;
}

export function decodeCursor(key: Uint8Array, binding: CursorBinding, cursor: string): string {
  const invalid = () =>
    new BadRequestError('The cursor is invalid, or belongs to other filters.', [
      { path: 'cursor', message: 'is invalid, altered, or belongs to another tenant or other filters' },
    ]);
  const [payload, tag, extra] = cursor.split('.');
  if (!payload || !tag || extra !== undefined) throw invalid();
  const expected = Buffer.from(mac(key, binding, payload));
  const given = Buffer.from(tag);
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) throw invalid();
  try {
    const parsed = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as { p?: unknown };
    if (typeof parsed.p !== 'string' || parsed.p.length === 0) throw invalid();
    return parsed.p;
  } catch {
    throw invalid();
  }
}

function mac(key: Uint8Array, binding: CursorBinding, payload: string): string {
  return createHmac('sha256', key)
    .update(`cursor|${binding.tenantId}|${binding.list}|${filtersHash(binding.filters)}|${payload}`)
    .digest('base64url');
}

/** JSON with sorted keys and undefined dropped, so equal filters hash equally. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

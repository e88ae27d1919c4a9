import { describe, expect, it } from 'vitest';
import { decodeCursor, encodeCursor } from '../../../shared/query/cursor.ts';

const key = new TextEncoder().encode('k'.repeat(32));
const binding = { tenantId: 't1', list: 'audit', filters: { action: ['Created'], from: 'a', to: 'b' } };

describe('cursors', () => {
  it('round-trips a position', () => {
    const c = encodeCursor(key, binding, '2026-01-01T00:00:00.000Z#01ABC');
    expect(decodeCursor(key, binding, c)).toBe('2026-01-01T00:00:00.000Z#01ABC');
  });

  it('does not depend on the order of filter keys', () => {
    const c = encodeCursor(key, binding, 'p');
    const reordered = { ...binding, filters: { to: 'b', from: 'a', action: ['Created'] } };
    expect(decodeCursor(key, reordered, c)).toBe('p');
  });

  it.each([
    ['another tenant', { ...binding, tenantId: 't2' }],
    ['other filters', { ...binding, filters: { ...binding.filters, action: ['Deleted'] } }],
    ['another list', { ...binding, list: 'activity' }],
  ])('rejects a cursor replayed for %s', (_label, other) => {
    const c = encodeCursor(key, binding, 'p');
    expect(() => decodeCursor(key, other, c)).toThrowError(/cursor is invalid/);
  });

  it('rejects an altered payload and garbage', () => {
    const c = encodeCursor(key, binding, 'p');
    const [, tag] = c.split('.');
    const altered = `${Buffer.from(JSON.stringify({ p: 'q' })).toString('base64url')}.${tag}`;
    expect(() => decodeCursor(key, binding, altered)).toThrowError(/cursor is invalid/);
    expect(() => decodeCursor(key, binding, 'garbage')).toThrowError(/cursor is invalid/);
    expect(() => decodeCursor(key, binding, `${c}.x`)).toThrowError(/cursor is invalid/);
  });
});

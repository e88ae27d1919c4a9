import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import canonicalize from 'canonicalize';
import { describe, expect, it } from 'vitest';
import { entryHash, sealEntry } from '../../../shared/domain/audit/integrity.ts';
import { auditEventInputSchema } from '../../../shared/domain/audit/schema.ts';
import { toEntry } from '../../../shared/use-cases/audit/ingest.ts';

const DIR = join(import.meta.dirname, '../../fixtures/rfc8785');

describe('RFC 8785 canonical JSON (the published test data)', () => {
  const names = readdirSync(join(DIR, 'input')).filter((f) => f.endsWith('.json'));
  it('has the six published cases', () => expect(names).toHaveLength(6));
  for (const name of names) {
    it(name, () => {
      const input = JSON.parse(readFileSync(join(DIR, 'input', name), 'utf8'));
      const expected = readFileSync(join(DIR, 'output', name), 'utf8').replace(/\n$/, '');
      expect(canonicalize(input)).toBe(expected);
    });
  }
});

// The recipe as the OpenAPI document states it, read independently of the code under test.
const sha = (b: Buffer | string) => createHash('sha256').update(b).digest();
function recompute(got: Record<string, any>): string {
  const { integrity, summary: _s, attribution: _a, ...e } = structuredClone(got);
  const commit = (path: string, value: string) =>
    integrity.commitments?.[path] ??
    sha(
      Buffer.concat([
        integrity.salts?.[path]
          ? Buffer.from(integrity.salts[path], 'base64url')
          : sha(Buffer.concat([Buffer.from(integrity.salt, 'base64url'), Buffer.from(path, 'utf8')])),
        Buffer.from(canonicalize(value)!, 'utf8'),
      ]),
    ).toString('hex');
  for (const [obj, key] of [
    ['actor', 'name'],
    ['actor', 'email'],
    ['impersonator', 'name'],
    ['subject', 'name'],
  ] as const) {
    if (e[obj]?.[key] !== undefined) e[obj][key] = commit(`${obj}.${key}`, e[obj][key]);
  }
  for (const key of ['ip', 'userAgent']) if (e[key] !== undefined) e[key] = commit(key, e[key]);
  if (e.object.type === 'User' && e.object.name !== undefined)
    e.object.name = commit('object.name', e.object.name);
  return sha(Buffer.from(canonicalize(e)!, 'utf8')).toString('hex');
}

const input = auditEventInputSchema.parse({
  tenantId: 't1',
  occurredAt: '2026-11-22T09:00:00.000Z',
  actor: { type: 'user', id: 'u1', name: 'Adam Admin', email: 'adam@example.com' },
  impersonator: { id: 'u9', name: 'Ivy Impersonator' },
  action: 'Updated',
  object: { type: 'User', id: 'u2', name: 'Lee Learner' },
  subject: { id: 'u2', name: 'Lee Learner' },
  source: { kind: 'web' },
  ip: '203.0.113.7',
  userAgent: 'Mozilla/5.0',
  changes: [{ field: 'title', before: 'a', after: 'b' }],
  details: { n: 1e21, s: 'é€', nested: { z: 1, a: [true, null] } },
});

describe('entry hash', () => {
  it('is the recipe of the OpenAPI document, recomputed independently', () => {
    const entry = toEntry(input, 'e1', '2026-11-22T09:00:01.000Z');
    entry.integrity = sealEntry(entry);
    const asReturned = JSON.parse(JSON.stringify(entry));
    expect(recompute(asReturned)).toBe(entry.integrity.hash);
  });

  it('keeps no personal value in the hashed text, and changes with any field', () => {
    const entry = toEntry(input, 'e1', '2026-11-22T09:00:01.000Z');
    const salt = Buffer.alloc(16, 7).toString('base64url');
    const base = entryHash(entry, { salt });
    expect(entryHash({ ...entry, action: 'Deleted' }, { salt })).not.toBe(base);
    expect(entryHash({ ...entry, details: { ...entry.details, n: 2 } }, { salt })).not.toBe(base);
    expect(entryHash({ ...entry, actor: { ...entry.actor, name: 'Eve' } }, { salt })).not.toBe(base);
    expect(entryHash({ ...entry, summary: 'anything' }, { salt })).toBe(base);
  });

  it('survives an erasure that keeps field salts and commitments instead of the entry salt', () => {
    const entry = toEntry(input, 'e1', '2026-11-22T09:00:01.000Z');
    entry.integrity = sealEntry(entry);
    const key = Buffer.from(entry.integrity.salt!, 'base64url');
    const saltOf = (p: string) => sha(Buffer.concat([key, Buffer.from(p)]));
    const erased = structuredClone(entry) as Record<string, any>;
    const commitments: Record<string, string> = {};
    for (const [path, value] of [
      ['actor.name', 'Adam Admin'],
      ['actor.email', 'adam@example.com'],
      ['ip', '203.0.113.7'],
      ['userAgent', 'Mozilla/5.0'],
    ] as const) {
      commitments[path] = sha(Buffer.concat([saltOf(path), Buffer.from(JSON.stringify(value))])).toString(
        'hex',
      );
    }
    erased.actor.name = '[erased]';
    erased.actor.email = '[erased]';
    erased.ip = '[erased]';
    erased.userAgent = '[erased]';
    erased.integrity = {
      hash: entry.integrity.hash,
      salts: Object.fromEntries(
        ['impersonator.name', 'subject.name', 'object.name'].map((p) => [p, saltOf(p).toString('base64url')]),
      ),
      commitments,
    };
    expect(recompute(erased)).toBe(entry.integrity.hash);
    expect(entryHash(erased as never, erased.integrity)).toBe(entry.integrity.hash);
  });
});

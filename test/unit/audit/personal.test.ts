import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { entryHash, sealEntry, sealEntryFields } from '../../../shared/domain/audit/integrity.ts';
import {
  decrypt,
  ERASED,
  encrypt,
  erasureChange,
  openListItem,
  type PersonKey,
  sealListItem,
} from '../../../shared/domain/audit/personal.ts';
import { type AuditListItem, auditEventInputSchema } from '../../../shared/domain/audit/schema.ts';
import { toEntry } from '../../../shared/use-cases/audit/ingest.ts';

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
});

function listItem(): AuditListItem {
  const entry = toEntry(input, 'e1', '2026-11-22T09:00:01.000Z');
  entry.integrity = sealEntry(entry);
  return entry;
}

const keys = new Map<string, PersonKey>(
  ['u1', 'u2', 'u9'].map((p) => [p, { version: `v-${p}`, key: randomBytes(32) }]),
);
const keyOf = (p: string) => keys.get(p)!;
const find = (gone: readonly string[]) => (p: string, v: string) =>
  gone.includes(p) || keys.get(p)?.version !== v ? null : keys.get(p)!.key;

/** Writes what the erasure job writes (the stored item as UpdateItem leaves it). */
function applyErasure(stored: Record<string, any>, person: string) {
  const change = erasureChange(stored, openListItem(stored, find([])), person);
  if (!change) return stored;
  const next = structuredClone(stored);
  next.integrity.commitments = change.commitments;
  if (change.salts) {
    next.integrity.salts = change.salts;
    delete next.integrity.salt;
  }
  for (const path of change.markers) {
    const [a, b] = path.split('.');
    if (b) next[a!][b] = ERASED;
    else next[a!] = ERASED;
  }
  return next;
}

describe('AES-256-GCM sealing', () => {
  it('round-trips, and fails with a wrong key, a wrong place or a tampered byte', () => {
    const key = randomBytes(32);
    const sealed = encrypt(key, 'Lee Learner é€', 't1#e1#s#u2');
    expect(decrypt(key, sealed, 't1#e1#s#u2')).toBe('Lee Learner é€');
    expect(() => decrypt(randomBytes(32), sealed, 't1#e1#s#u2')).toThrow();
    expect(() => decrypt(key, sealed, 't1#e2#s#u2')).toThrow();
    const raw = Buffer.from(sealed, 'base64url');
    raw[raw.length - 1]! ^= 1;
    expect(() => decrypt(key, raw.toString('base64url'), 't1#e1#s#u2')).toThrow();
  });

  it('stores no personal value, no entry salt and no derived text in the clear', () => {
    const stored = sealListItem(listItem(), keyOf);
    const text = JSON.stringify(stored);
    for (const secret of ['Adam', 'adam@', 'Ivy', 'Lee', '203.0.113.7', 'Mozilla']) {
      expect(text).not.toContain(secret);
    }
    expect(stored.integrity).not.toHaveProperty('salt');
    expect(stored).not.toHaveProperty('summary');
  });

  it('reads back what was written, with field salts under which the hash recomputes', () => {
    const e = listItem();
    const opened = openListItem(sealListItem(e, keyOf) as Record<string, unknown>, find([]));
    expect(opened).toMatchObject({
      actor: e.actor,
      subject: e.subject,
      impersonator: e.impersonator,
      object: e.object,
      ip: e.ip,
      userAgent: e.userAgent,
      summary: e.summary,
      attribution: e.attribution,
    });
    expect(opened.integrity?.salt).toBeUndefined();
    expect(entryHash(opened, opened.integrity!)).toBe(e.integrity!.hash);
  });
});

describe('per-field salts, as ingest makes them', () => {
  it('seals each field with its own salt, reads back, and survives an erasure', () => {
    const entry = toEntry(input, 'e2', '2026-11-22T09:00:01.000Z');
    entry.integrity = sealEntryFields(entry);
    const stored = sealListItem(entry, keyOf);
    expect(stored.integrity).toEqual({ hash: entry.integrity.hash });
    const opened = openListItem(stored as Record<string, unknown>, find([]));
    expect(opened.integrity?.salts).toEqual(entry.integrity.salts);
    expect(entryHash(opened, opened.integrity!)).toBe(entry.integrity.hash);
    const erased = applyErasure(stored, 'u9');
    const after = openListItem(erased, find(['u9']));
    expect(after.impersonator?.name).toBe(ERASED);
    expect(after.integrity?.salts).not.toHaveProperty('impersonator.name');
    expect(entryHash(after, after.integrity!)).toBe(entry.integrity.hash);
  });
});

describe('erasure of one person', () => {
  it('leaves "[erased]" for their fields only, and the hash equal to the stored one', () => {
    const e = listItem();
    const stored = applyErasure(sealListItem(e, keyOf), 'u2');
    const opened = openListItem(stored, find(['u2']));
    expect(opened.subject?.name).toBe(ERASED);
    expect(opened.object.name).toBe(ERASED);
    expect(opened.actor.name).toBe('Adam Admin');
    expect(opened.impersonator?.name).toBe('Ivy Impersonator');
    expect(opened.summary).toContain(ERASED);
    expect(opened.summary).not.toContain('Lee');
    expect(entryHash(opened, opened.integrity!)).toBe(e.integrity!.hash);
    // A second erasure (the admin) keeps the first and still verifies.
    const both = applyErasure(stored, 'u1');
    const again = openListItem(both, find(['u2', 'u1']));
    expect(again.actor.name).toBe(ERASED);
    expect(again.ip).toBe(ERASED);
    expect(entryHash(again, again.integrity!)).toBe(e.integrity!.hash);
  });

  it('is a no-op when repeated', () => {
    const stored = applyErasure(sealListItem(listItem(), keyOf), 'u2');
    expect(erasureChange(stored, openListItem(stored, find(['u2'])), 'u2')).toBeNull();
  });

  it('erases a plaintext entry stored before sealing: markers, commitments, no entry salt', () => {
    const e = listItem();
    const legacy = JSON.parse(JSON.stringify(e));
    const stored = applyErasure(legacy, 'u1');
    expect(stored.actor.name).toBe(ERASED);
    expect(stored.actor.email).toBe(ERASED);
    expect(stored.ip).toBe(ERASED);
    expect(stored.integrity.salt).toBeUndefined();
    const opened = openListItem(stored, find([]));
    expect(opened.subject?.name).toBe('Lee Learner');
    expect(entryHash(opened, opened.integrity!)).toBe(e.integrity!.hash);
    expect(JSON.stringify(opened)).not.toContain('Adam');
    expect(erasureChange(stored, opened, 'u1')).toBeNull();
  });
});

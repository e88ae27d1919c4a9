import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { marshall, unmarshall } from '@aws-sdk/util-dynamodb';
import { describe, expect, it } from 'vitest';
import { MARSHALL_OPTIONS } from '../../../shared/adapters/dynamodb/client.ts';
import { entryHash, sealEntry, sealEntryFields } from '../../../shared/domain/audit/integrity.ts';
import {
  applyErasure as applyErasureChange,
  decrypt,
  ERASED,
  encrypt,
  erasureChange,
  openBytes,
  openListItem,
  type PersonKey,
  personalSalts,
  sealBytes,
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

describe('seal format 2 (what ingest writes)', () => {
  const ingested = (id: string) => {
    const entry = toEntry(input, id, '2026-11-22T09:00:01.000Z');
    entry.integrity = sealEntryFields(entry, personalSalts(entry));
    const { changes: _c, details: _d, ...item } = entry;
    return item;
  };
  /** Through DynamoDB's attribute format and back, as the table stores it. */
  const stored = (e: AuditListItem) =>
    unmarshall(marshall(sealListItem(e, keyOf), MARSHALL_OPTIONS)) as Record<string, any>;

  it('stores one binary group per person: no person id, no salt, no seed, no plaintext', () => {
    const e = ingested('e3');
    const s = stored(e);
    expect(s.pd).toHaveLength(3);
    for (const group of s.pd) {
      expect(Object.keys(group).sort()).toEqual(['c', 'f', 'k']);
      expect(group.c).toBeInstanceOf(Uint8Array);
      expect(group.c[0]).toBe(2);
    }
    expect(s.pd.map((g: { f: string }) => g.f)).toEqual(['0145', '2', '36']);
    expect(s.integrity).toEqual({ hash: e.integrity!.hash });
    const bytes = Buffer.concat(s.pd.map((g: { c: Uint8Array }) => g.c));
    const text = JSON.stringify({ ...s, pd: undefined });
    for (const salt of Object.values(e.integrity!.salts!)) {
      expect(text).not.toContain(salt.slice(0, 24));
      expect(bytes.indexOf(Buffer.from(salt.slice(0, 24), 'base64url'))).toBe(-1);
    }
    for (const secret of ['Adam', 'adam@', 'Ivy', 'Lee', '203.0.113.7', 'Mozilla']) {
      expect(text).not.toContain(secret);
      expect(bytes.includes(secret)).toBe(false);
    }
  });

  it('reads back every value and salt, and the hash recomputes', () => {
    const e = ingested('e4');
    const opened = openListItem(stored(e), find([]));
    expect(opened).toMatchObject({ actor: e.actor, subject: e.subject, impersonator: e.impersonator });
    expect(opened).toMatchObject({ object: e.object, ip: e.ip, userAgent: e.userAgent, summary: e.summary });
    expect(opened.integrity?.salts).toEqual(e.integrity!.salts);
    expect(entryHash(opened, opened.integrity!)).toBe(e.integrity!.hash);
  });

  it('reads "[erased]" and no salt where the key is gone, a wrong key or a moved or altered group', () => {
    const e = ingested('e5');
    const s = stored(e);
    const gone = openListItem(s, find(['u2']));
    expect([gone.subject?.name, gone.object.name]).toEqual([ERASED, ERASED]);
    expect(gone.integrity?.salts).not.toHaveProperty('subject.name');
    expect(gone.integrity?.salts).not.toHaveProperty('object.name');
    expect(gone.actor.name).toBe('Adam Admin');
    const wrongKey = openListItem(s, (p, v) => (p === 'u1' ? randomBytes(32) : find([])(p, v)));
    expect(wrongKey.actor).toMatchObject({ name: ERASED, email: ERASED });
    expect(wrongKey.integrity?.salts).not.toHaveProperty('actor.name');
    // Another entry's group, a changed path list, a changed format byte, a flipped bit: erased.
    const other = stored(ingested('e6'));
    const moved = { ...s, pd: [other.pd[0], s.pd[1], s.pd[2]] };
    expect(openListItem(moved, find([])).actor.name).toBe(ERASED);
    const paths = { ...s, pd: [{ ...s.pd[0], f: '1045' }, s.pd[1], s.pd[2]] };
    expect(openListItem(paths, find([])).actor.email).toBe(ERASED);
    for (const at of [0, 5, 20, 40]) {
      const c = Uint8Array.from(s.pd[0].c);
      c[at]! ^= at === 0 ? 1 : 0x10;
      const altered = { ...s, pd: [{ ...s.pd[0], c }, s.pd[1], s.pd[2]] };
      expect(openListItem(altered, find([])).actor.name, `byte ${at}`).toBe(ERASED);
    }
  });

  it('survives an erasure: the hash still verifies, the other persons keep their fields', () => {
    const e = ingested('e7');
    const s = stored(e);
    const change = erasureChange(s, openListItem(s, find([])), 'u1');
    const after = openListItem(applyErasureChange(s, change!), find(['u1']));
    expect(after.actor).toMatchObject({ name: ERASED, email: ERASED });
    expect(after.ip).toBe(ERASED);
    expect(after.subject?.name).toBe('Lee Learner');
    expect(entryHash(after, after.integrity!)).toBe(e.integrity!.hash);
  });

  it('keeps explicit salts (format 3) when the field salts are not a person seed', () => {
    const e = listItem(); // an entry salt, as tools and older callers make
    const s = stored(e);
    expect(s.pd.map((g: { c: Uint8Array }) => g.c[0])).toEqual([3, 3, 3]);
    const opened = openListItem(s, find([]));
    expect(opened.actor.name).toBe('Adam Admin');
    expect(entryHash(opened, opened.integrity!)).toBe(e.integrity!.hash);
  });
});

describe('field salts (personalSalts)', () => {
  const entry = () => toEntry(input, 'e8', '2026-11-22T09:00:01.000Z');

  it('gives every field a salt of its own, derived from one seed per person, fresh per entry', () => {
    const salts = personalSalts(entry());
    const paths = Object.keys(salts);
    expect(paths.sort()).toEqual(
      [
        'actor.email',
        'actor.name',
        'impersonator.name',
        'ip',
        'object.name',
        'subject.name',
        'userAgent',
      ].sort(),
    );
    expect(new Set(Object.values(salts)).size).toBe(paths.length);
    const seed = (p: keyof typeof salts) => salts[p]!.slice(0, 24);
    // One person, one seed: the actor's four fields; the learner's two roles.
    expect(new Set(['actor.name', 'actor.email', 'ip', 'userAgent'].map((p) => seed(p as 'ip'))).size).toBe(
      1,
    );
    expect(seed('subject.name')).toBe(seed('object.name'));
    expect(new Set([seed('actor.name'), seed('impersonator.name'), seed('subject.name')]).size).toBe(3);
    for (const salt of Object.values(salts)) expect(Buffer.from(salt, 'base64url')).toHaveLength(21);
    const again = personalSalts(entry());
    for (const p of paths) expect(again[p as 'ip']).not.toBe(salts[p as 'ip']);
  });

  it('gives a field no person owns 16 random bytes, kept in the clear; a non-User object name none', () => {
    const raw = toEntry(
      auditEventInputSchema.parse({
        ...input,
        actor: { type: 'system', name: 'Nightly sync' },
        impersonator: undefined,
        object: { type: 'Course', id: 'c1', name: 'Safety' },
      }),
      'e9',
      '2026-11-22T09:00:01.000Z',
    );
    const salts = personalSalts(raw);
    expect(Object.keys(salts).sort()).toEqual(['actor.name', 'ip', 'subject.name', 'userAgent']);
    expect(Buffer.from(salts['actor.name']!, 'base64url')).toHaveLength(16);
    raw.integrity = sealEntryFields(raw, salts);
    const { changes: _c, details: _d, ...item } = raw;
    const s = sealListItem(item, keyOf);
    expect(s.integrity?.salts).toEqual({
      'actor.name': salts['actor.name'],
      ip: salts.ip,
      userAgent: salts.userAgent,
    });
    expect(s.pd).toHaveLength(1);
    const opened = openListItem(s as Record<string, unknown>, find([]));
    expect(entryHash(opened, opened.integrity!)).toBe(raw.integrity.hash);
  });
});

describe('sealBytes / openBytes', () => {
  it('round-trips, refuses a wrong key, place or byte, and never repeats an IV', () => {
    const key = randomBytes(32);
    const sealed = sealBytes(2, key, 't1#e1#u2', Buffer.from('Lee Learner é€'));
    expect(sealed[0]).toBe(2);
    expect(openBytes(key, sealed, 't1#e1#u2').toString()).toBe('Lee Learner é€');
    expect(() => openBytes(randomBytes(32), sealed, 't1#e1#u2')).toThrow();
    expect(() => openBytes(key, sealed, 't1#e2#u2')).toThrow();
    const altered = Uint8Array.from(sealed);
    altered[altered.length - 1]! ^= 1;
    expect(() => openBytes(key, altered, 't1#e1#u2')).toThrow();
    expect(() => openBytes(key, sealed.subarray(0, 20), 't1#e1#u2')).toThrow();
    const ivs = new Set<string>();
    for (let i = 0; i < 20_000; i++) ivs.add(sealBytes(2, key, 'a', Buffer.alloc(1)).toString('hex', 1, 13));
    expect(ivs.size).toBe(20_000);
  });
});

describe('entries sealed in the first format (stored before format 2)', () => {
  const fixture = JSON.parse(
    readFileSync(new URL('../../fixtures/sealed-v1/entries.json', import.meta.url), 'utf8'),
  ) as {
    keys: Record<string, { version: string; key: string }>;
    entries: { plain: AuditListItem; stored: Record<string, any> }[];
  };
  const findV1 =
    (gone: readonly string[] = []) =>
    (p: string, v: string) => {
      const k = fixture.keys[p];
      return gone.includes(p) || !k || k.version !== v ? null : Buffer.from(k.key, 'hex');
    };

  it('reads them as before: values, salts, derived text, and the hash verifies', () => {
    for (const { plain, stored: s } of fixture.entries) {
      expect(s.pd[0]).toHaveProperty('p');
      expect(typeof s.pd[0].c).toBe('string');
      const again = unmarshall(marshall(s, MARSHALL_OPTIONS));
      const opened = openListItem(again, findV1());
      expect(opened).toMatchObject({
        actor: plain.actor,
        impersonator: plain.impersonator,
        subject: plain.subject,
        object: plain.object,
        ip: plain.ip,
        userAgent: plain.userAgent,
        summary: plain.summary,
      });
      expect(entryHash(opened, opened.integrity!)).toBe(plain.integrity!.hash);
    }
  });

  it('erases a person of them, in their format, and the hash still verifies', () => {
    for (const { plain, stored: s } of fixture.entries) {
      const change = erasureChange(s, openListItem(s, findV1()), 'u2');
      const next = applyErasureChange(s, change!);
      expect(next.pd).toEqual(s.pd);
      const after = openListItem(next, findV1(['u2']));
      expect([after.subject?.name, after.object.name]).toEqual([ERASED, ERASED]);
      expect(after.actor.name).toBe('Adam Admin');
      expect(JSON.stringify(after)).not.toContain('Lee');
      expect(entryHash(after, after.integrity!)).toBe(plain.integrity!.hash);
    }
  });
});

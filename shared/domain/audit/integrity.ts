import { createHash, randomFillSync } from 'node:crypto';
import canonicalize from 'canonicalize';
import type { AuditEntry } from './schema.ts';

/**
 * The entry hash (API.md "Trust → Integrity"), computed once at ingest and recomputable by anyone
 * from what `GET /v1/audit-events/{id}` returns. ENTRY_HASH_RECIPE is the text the OpenAPI
 * document carries; `entryHash` below is that text in code, and test/unit/audit/integrity.test.ts
 * recomputes it with an independent reading of the recipe.
 *
 * Personal data enters the hash only through a commitment, so an erasure can remove the value and
 * the salt that hides it and leave the hash valid: the commitment of `path` is
 * SHA-256(fieldSalt ‖ UTF-8(canonical JSON of the value)), fieldSalt = SHA-256(entry salt ‖
 * path). The entry salt is 16 random bytes per entry; an erasure replaces it by the field salts of
 * the fields it keeps (`integrity.salts`) and the commitments of the fields it removes
 * (`integrity.commitments`).
 */
export const ENTRY_HASH_RECIPE = [
  '`integrity.hash` is the lower-case hex SHA-256 of the UTF-8 bytes of the RFC 8785 canonical JSON of the entry',
  'as this route returns it, after three changes: (1) remove `integrity`, `summary` and `attribution` (the last two',
  'are derived text); (2) replace the value of each personal field present — `actor.name`, `actor.email`,',
  '`impersonator.name`, `subject.name`, `ip`, `userAgent`, and `object.name` when `object.type` is `User` — by its',
  'commitment, a lower-case hex string: `integrity.commitments[path]` when given (an erased value), else the hex',
  'SHA-256 of (fieldSalt ‖ UTF-8 bytes of the RFC 8785 canonical JSON of the value), where fieldSalt is the',
  'base64url-decoded `integrity.salts[path]` when given, else the 32-byte SHA-256 of (the base64url-decoded',
  '`integrity.salt` ‖ the UTF-8 bytes of the path, e.g. `actor.name`); (3) nothing else:',
  'every other field (ids, times, action, object, source, request, context, changes, details) enters as returned.',
].join(' ');

export const PERSONAL_PATHS = [
  'actor.name',
  'actor.email',
  'impersonator.name',
  'subject.name',
  'ip',
  'userAgent',
  'object.name',
] as const;
export type PersonalPath = (typeof PERSONAL_PATHS)[number];

export interface EntryIntegrity {
  /** Hex SHA-256 of the entry (ENTRY_HASH_RECIPE). */
  hash: string;
  /** base64url, 16 bytes: the key of every field salt. Gone once an erasure touched the entry. */
  salt?: string;
  /** base64url field salts kept by an erasure. */
  salts?: Partial<Record<PersonalPath, string>>;
  /** Hex commitments of erased values. */
  commitments?: Partial<Record<PersonalPath, string>>;
}

type Hashable = Omit<AuditEntry, 'integrity' | 'summary' | 'attribution'> & {
  integrity?: unknown;
  summary?: unknown;
  attribution?: unknown;
};

/** The personal value at `path`, or undefined. */
function personalValue(entry: Hashable, path: PersonalPath): string | undefined {
  switch (path) {
    case 'actor.name':
      return entry.actor.name;
    case 'actor.email':
      return entry.actor.email;
    case 'impersonator.name':
      return entry.impersonator?.name;
    case 'subject.name':
      return entry.subject?.name;
    case 'ip':
      return entry.ip;
    case 'userAgent':
      return entry.userAgent;
    case 'object.name':
      return entry.object.type === 'User' ? entry.object.name : undefined;
  }
}

function fieldSalt(
  integrity: Omit<EntryIntegrity, 'hash'>,
  key: Buffer | undefined,
  path: PersonalPath,
): Buffer {
  const kept = integrity.salts?.[path];
  if (kept !== undefined) return Buffer.from(kept, 'base64url');
  if (key === undefined) throw new Error(`no salt for ${path}`);
  return createHash('sha256').update(key).update(path).digest();
}

/** SHA-256(fieldSalt ‖ canonical(value)) in hex. */
export function commitment(salt: Buffer, value: unknown): string {
  return createHash('sha256')
    .update(salt)
    .update(canonicalize(value) ?? '')
    .digest('hex');
}

/** The entry with personal values replaced by commitments, derived text and integrity removed. */
export function hashedForm(
  entry: Hashable,
  integrity: Omit<EntryIntegrity, 'hash'>,
): Record<string, unknown> {
  const { integrity: _i, summary: _s, attribution: _a, ...rest } = entry;
  const out: Record<string, unknown> = { ...rest, actor: { ...rest.actor }, object: { ...rest.object } };
  if (rest.impersonator) out.impersonator = { ...rest.impersonator };
  if (rest.subject) out.subject = { ...rest.subject };
  const key = integrity.salt === undefined ? undefined : Buffer.from(integrity.salt, 'base64url');
  for (const path of PERSONAL_PATHS) {
    const value = personalValue(entry, path);
    if (value === undefined) continue;
    const c = integrity.commitments?.[path] ?? commitment(fieldSalt(integrity, key, path), value);
    const dot = path.indexOf('.');
    if (dot < 0) out[path] = c;
    else (out[path.slice(0, dot)] as Record<string, unknown>)[path.slice(dot + 1)] = c;
  }
  return out;
}

/** Hex SHA-256 of the canonical hashed form (ENTRY_HASH_RECIPE). Throws on a lone surrogate. */
export function entryHash(entry: Hashable, integrity: Omit<EntryIntegrity, 'hash'>): string {
  return createHash('sha256')
    .update(canonicalize(hashedForm(entry, integrity)) ?? '')
    .digest('hex');
}

/**
 * Salts come from a pool filled from the CSPRNG 4,096 at a time: one randomBytes(16) per entry
 * cost more than the rest of the hash (bench/write-path.ts).
 */
const POOL = Buffer.alloc(16 * 4096);
let poolAt = POOL.length;
function freshSalt(): string {
  if (poolAt >= POOL.length) {
    randomFillSync(POOL);
    poolAt = 0;
  }
  poolAt += 16;
  return POOL.toString('base64url', poolAt - 16, poolAt);
}

/** A fresh entry salt and the entry's hash (entries stored before per-field salts; tools, tests). */
export function sealEntry(entry: Hashable, salt = freshSalt()): EntryIntegrity {
  return { hash: entryHash(entry, { salt }), salt };
}

/**
 * What ingest stores beside the entry: a salt of its own per personal field present
 * (`integrity.salts`, which the recipe accepts as given) and the hash. Each field's salt can then
 * be stored with its value, encrypted under the key of the person it belongs to
 * (domain/audit/personal.ts), so no salt is shared between people: destroying one person's key
 * leaves nothing from which their commitments could be brute-forced. No per-field SHA-256 either.
 * Ingest passes personalSalts (one random seed per person, each field's salt derived from it);
 * without `salts`, each field gets 16 random bytes.
 */
export function sealEntryFields(
  entry: Hashable,
  salts?: Partial<Record<PersonalPath, string>>,
): EntryIntegrity {
  const fieldSalts: Partial<Record<PersonalPath, string>> = {};
  for (const path of PERSONAL_PATHS) {
    if (personalValue(entry, path) === undefined) continue;
    const given = salts?.[path];
    if (salts && given === undefined) throw new Error(`no salt for ${path}`);
    fieldSalts[path] = given ?? freshSalt();
  }
  return { hash: entryHash(entry, { salts: fieldSalts }), salts: fieldSalts };
}

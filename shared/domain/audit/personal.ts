import { createCipheriv, createDecipheriv, createHash, randomFillSync } from 'node:crypto';
import { attribution, summarise } from './describe.ts';
import { commitment, type EntryIntegrity, PERSONAL_PATHS, type PersonalPath } from './integrity.ts';
import type { AuditEntry, AuditListItem } from './schema.ts';

/**
 * Crypto-shredding of an audit entry's personal data (API.md "Trust → Erasure of a person").
 *
 * Each person named by an entry (actor, impersonator, subject, and the user an entry is about when
 * its object is a `User`) has a data key of their own (PersonKeys). Their personal fields of the
 * entry, together with the seed their field salts derive from (personalSalts), are stored
 * AES-256-GCM encrypted under that key, one encryption per person, inside the list view (`e.pd`,
 * so the indexes carry it and no projection changes; SEAL FORMAT below). No entry salt is stored
 * and no field salt outside its person's ciphertext, so destroying a person's key destroys their
 * values and salts, and a commitment of a guessable value (an e-mail, an IP) can no longer be
 * brute-forced. Reads return the field salts as `integrity.salts`, which the recipe accepts
 * unchanged.
 *
 * An erasure writes the commitments of the person's fields (`integrity.commitments`) and then
 * deletes their key: from then on their fields read `"[erased]"`, and the hash still verifies.
 */
export const ERASED = '[erased]';

/** a: actor (name, e-mail, IP, user agent) · i: impersonator · s: subject · o: the User object. */
export type PersonRole = 'a' | 'i' | 's' | 'o';
export const ROLE_PATHS: Readonly<Record<PersonRole, readonly PersonalPath[]>> = {
  a: ['actor.name', 'actor.email', 'ip', 'userAgent'],
  i: ['impersonator.name'],
  s: ['subject.name'],
  o: ['object.name'],
};
const ROLES: readonly PersonRole[] = ['a', 'i', 's', 'o'];

/**
 * One person's sealed fields of an entry (all their roles in it: one encryption per person), as
 * the first format stored them (entries written before 3 December 2026; read, never written).
 */
export interface SealedPersonV1 {
  /** Person id. */
  p: string;
  /** Key version the fields are sealed under. */
  k: string;
  /**
   * The paths sealed, as indexes into PERSONAL_PATHS (`"0145"`: every index item carries this, so
   * it is short), so an erased entry still knows which fields it had.
   */
  f: string;
  /** base64url(iv ‖ tag ‖ AES-256-GCM of the JSON `[values, salts]`). */
  c: string;
}

/**
 * The format written since (SEAL FORMAT below): no person id (the entry names them in the clear:
 * the role of the first path of `f` says which), the sealed bytes as a DynamoDB binary.
 */
export interface SealedPersonV2 {
  /** Key version the fields are sealed under. */
  k: string;
  /** The paths sealed, as indexes into PERSONAL_PATHS, as in the first format. */
  f: string;
  /** format byte ‖ iv (12) ‖ tag (16) ‖ AES-256-GCM ciphertext. */
  c: Uint8Array;
}

export type SealedPerson = SealedPersonV1 | SealedPersonV2;

/** A data key of a person: its version (a new one after an erasure) and the 32 key bytes. */
export interface PersonKey {
  version: string;
  key: Buffer;
}

/** The list view as stored: personal fields and derived text out, the sealed persons in. */
export type StoredListItem = Record<string, unknown> & {
  id: string;
  tenantId: string;
  pd?: SealedPerson[];
  integrity?: Omit<EntryIntegrity, 'salt'> & { salt?: string };
};

/** The person of a role in an entry, or undefined (no such role, or an actor without an id). */
export function personOf(
  e: Pick<AuditListItem, 'actor' | 'impersonator' | 'subject' | 'object'>,
  role: PersonRole,
): string | undefined {
  switch (role) {
    case 'a':
      return e.actor.id;
    case 'i':
      return e.impersonator?.id;
    case 's':
      return e.subject?.id;
    case 'o':
      return e.object.type === 'User' ? e.object.id : undefined;
  }
}

/** The persons an entry names with personal fields, for key look-ups before sealing. */
export function personsToSeal(e: AuditListItem): string[] {
  const out: string[] = [];
  for (const role of ROLES) {
    const p = personOf(e, role);
    if (p === undefined || out.includes(p)) continue;
    for (const path of ROLE_PATHS[role]) {
      if (getPath(e as unknown as Record<string, unknown>, path) !== undefined) {
        out.push(p);
        break;
      }
    }
  }
  return out;
}

type Fields = Record<string, unknown> | undefined;

/** The value at a personal path (a switch, no string work: ingest's hot path). */
function getPath(e: Record<string, unknown>, path: PersonalPath): unknown {
  switch (path) {
    case 'actor.name':
      return (e.actor as Fields)?.name;
    case 'actor.email':
      return (e.actor as Fields)?.email;
    case 'impersonator.name':
      return (e.impersonator as Fields)?.name;
    case 'subject.name':
      return (e.subject as Fields)?.name;
    case 'ip':
      return e.ip;
    case 'userAgent':
      return e.userAgent;
    case 'object.name':
      return (e.object as Fields)?.name;
  }
}

const SPLIT = new Map<PersonalPath, [string, string | undefined]>(
  PERSONAL_PATHS.map((path) => {
    const [a, b] = path.split('.');
    return [path, [a!, b]];
  }),
);

function setPath(e: Record<string, unknown>, path: PersonalPath, value: unknown): void {
  const [head, field] = SPLIT.get(path)!;
  if (field === undefined) {
    if (value === undefined) delete e[head];
    else e[head] = value;
    return;
  }
  const parent = e[head] as Record<string, unknown> | undefined;
  if (!parent) return;
  if (value === undefined) delete parent[field];
  else parent[field] = value;
}

/** The salt of one field: SHA-256(entry salt ‖ path), as ENTRY_HASH_RECIPE defines it. */
export function derivedFieldSalt(entrySalt: string, path: PersonalPath): Buffer {
  return createHash('sha256').update(Buffer.from(entrySalt, 'base64url')).update(path).digest();
}

/**
 * SEAL FORMAT (2). Each person's group is `{ k, f, c }`, `c` a DynamoDB binary:
 * `format (1 byte) ‖ iv (12) ‖ GCM tag (16) ‖ AES-256-GCM ciphertext`, with the additional data
 * `format#tenant#entry id#person#f` (the ciphertext belongs to that place and those paths only).
 * Format SEEDED: the plaintext is the person's salt seed (18 bytes) ‖ the UTF-8 JSON array of their
 * values in `f` order; the salt of each of their fields is the seed ‖ 0x00 0x00 ‖ the path's
 * index (21 bytes: base64url the seed's 24 characters and four more, personalSalts below). One
 * encryption per person per entry, no salt stored twice, no text encoding of the bytes.
 * Format SALTED: the plaintext is the JSON `[values, salts]` of the first format, for field
 * salts that are not a person's seed (an entry salt, salts made elsewhere).
 * The first format (`{ p, k, f, c }` with a base64url `c`) is still read: entries written
 * before stay as they are, and an erasure keeps their format.
 */
const SEEDED = 2;
const SALTED = 3;
const HEAD = 1 + 12 + 16;
const SEED_BYTES = 18;
const SEED_CHARS = 24;
const SEEDED_SALT = /^[A-Za-z0-9_-]{24}AAA[A-G]$/;
const PATH_INDEX = new Map<PersonalPath, number>(PERSONAL_PATHS.map((p, i) => [p, i]));
/** base64url(0x00 0x00 index): the last four characters of a seeded salt, per path index. */
const SALT_TAIL = PERSONAL_PATHS.map((_, i) => Buffer.from([0, 0, i]).toString('base64url'));
const ROLE_OF_PATH = new Map<PersonalPath, PersonRole>(
  ROLES.flatMap((role) => ROLE_PATHS[role].map((p) => [p, role] as const)),
);

// Random bytes for IVs, seeds and unowned salts from one CSPRNG pool, refilled 64 KB at a time:
// one randomFillSync per ~1,000 entries instead of one per field (bench/write-path.ts).
const POOL = Buffer.alloc(65_536);
let poolAt = POOL.length;
function random(n: number): number {
  if (poolAt + n > POOL.length) {
    randomFillSync(POOL);
    poolAt = 0;
  }
  poolAt += n;
  return poolAt - n;
}

/**
 * The field salts ingest gives an entry's personal fields (integrity.ts sealEntryFields): for
 * each person, one fresh 18-byte seed, and each of their fields the seed ‖ 0x00 0x00 ‖ its path
 * index, so every field has a salt of its own and sealListItem stores a person's seed once,
 * encrypted under their key (destroying the key destroys every salt derived from it); a field no
 * person owns (an actor without an id) gets 16 random bytes of its own, stored in the clear.
 */
export function personalSalts(e: AuditListItem): Partial<Record<PersonalPath, string>> {
  const salts: Partial<Record<PersonalPath, string>> = {};
  const persons: string[] = [];
  const seeds: string[] = [];
  for (const role of ROLES) {
    // A non-User object's name is no one's personal data.
    if (role === 'o' && e.object.type !== 'User') continue;
    const person = personOf(e, role);
    for (const path of ROLE_PATHS[role]) {
      if (getPath(e, path) === undefined) continue;
      if (person === undefined) {
        const at = random(16);
        salts[path] = POOL.toString('base64url', at, at + 16);
        continue;
      }
      let i = persons.indexOf(person);
      if (i < 0) {
        const at = random(SEED_BYTES);
        i = persons.push(person) - 1;
        seeds.push(POOL.toString('base64url', at, at + SEED_BYTES));
      }
      salts[path] = seeds[i]! + SALT_TAIL[PATH_INDEX.get(path)!]!;
    }
  }
  return salts;
}

/** `format ‖ iv ‖ tag ‖ ciphertext` of `plaintext` under `key` (AES-256-GCM, a fresh random IV). */
export function sealBytes(format: number, key: Buffer, aad: string, plaintext: Buffer): Buffer {
  const out = Buffer.allocUnsafe(HEAD + plaintext.length);
  out[0] = format;
  const at = random(12);
  POOL.copy(out, 1, at, at + 12);
  const cipher = createCipheriv('aes-256-gcm', key, out.subarray(1, 13));
  cipher.setAAD(aad as unknown as Buffer); // a string is taken as UTF-8
  cipher.update(plaintext).copy(out, HEAD);
  cipher.final();
  cipher.getAuthTag().copy(out, 13);
  return out;
}

/** The plaintext of sealBytes, or a thrown error (wrong key, wrong place, anything tampered). */
export function openBytes(key: Buffer, sealed: Uint8Array, aad: string): Buffer {
  if (sealed.length < HEAD) throw new Error('ciphertext too short');
  const raw = Buffer.from(sealed.buffer, sealed.byteOffset, sealed.length);
  const decipher = createDecipheriv('aes-256-gcm', key, raw.subarray(1, 13));
  decipher.setAAD(Buffer.from(aad, 'utf8'));
  decipher.setAuthTag(raw.subarray(13, HEAD));
  return Buffer.concat([decipher.update(raw.subarray(HEAD)), decipher.final()]);
}

/**
 * The first format's sealing: base64url(iv ‖ tag ‖ ciphertext), `aad` binding it to its place.
 * Entries are no longer written so (tests make first-format entries with it).
 */
export function encrypt(key: Buffer, plaintext: string, aad: string): string {
  const at = random(12);
  const iv = Buffer.from(POOL.subarray(at, at + 12));
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(Buffer.from(aad, 'utf8'));
  const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  return Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64url');
}

/** The first format's plaintext, or a thrown error when the key is wrong or anything was tampered with. */
export function decrypt(key: Buffer, sealed: string, aad: string): string {
  const raw = Buffer.from(sealed, 'base64url');
  if (raw.length < 28) throw new Error('ciphertext too short');
  const decipher = createDecipheriv('aes-256-gcm', key, raw.subarray(0, 12));
  decipher.setAAD(Buffer.from(aad, 'utf8'));
  decipher.setAuthTag(raw.subarray(12, 28));
  return Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString('utf8');
}

const aadOf = (tenantId: string, id: string, person: string) => `${tenantId}#${id}#${person}`;
const aadOf2 = (format: number, tenantId: string, id: string, person: string, f: string) =>
  `${format}#${tenantId}#${id}#${person}#${f}`;

/** The plaintext of a first-format group (and of a SALTED one): values, then field salts or null. */
type SealedFields = [string[], (string | null)[]];

/** The person whose fields a sealed group holds: given (first format) or named by the entry. */
export function sealedPersonOf(stored: Record<string, unknown>, group: SealedPerson): string | undefined {
  if ('p' in group) return group.p;
  const path = PERSONAL_PATHS[Number(group.f[0])];
  const role = path === undefined ? undefined : ROLE_OF_PATH.get(path);
  return role === undefined ? undefined : personOf(stored as unknown as AuditListItem, role);
}

/** The person and key version of each sealed group of a stored list view (keys to look up). */
export function sealedKeys(stored: Record<string, unknown>): { person: string; version: string }[] {
  const out: { person: string; version: string }[] = [];
  for (const group of (stored.pd as SealedPerson[] | undefined) ?? []) {
    const person = sealedPersonOf(stored, group);
    if (person !== undefined) out.push({ person, version: group.k });
  }
  return out;
}

/**
 * The list view as stored: each person's fields sealed under their key (keyOf answers for every
 * person of personsToSeal), the rest as it is; summary and attribution out (they are derived at
 * read time from what the reader may see); the entry salt replaced by the field salts of personal
 * fields no person owns (an actor without an id).
 */
export function sealListItem(e: AuditListItem, keyOf: (person: string) => PersonKey): StoredListItem {
  const entrySalt = e.integrity?.salt;
  const given = e.integrity?.salts;
  // The salt of a field: given per field (ingest), else derived from an entry salt (older callers).
  const saltOf = (path: PersonalPath): string | undefined =>
    given?.[path] ??
    (entrySalt === undefined ? undefined : derivedFieldSalt(entrySalt, path).toString('base64url'));
  // Each person's paths in role order (an entry names at most four persons: arrays, not maps).
  const persons: string[] = [];
  const groups: PersonalPath[][] = [];
  let unowned: PersonalPath[] | undefined;
  let sealed = 0;
  for (const role of ROLES) {
    if (role === 'o' && e.object.type !== 'User') continue;
    const person = personOf(e, role);
    for (const path of ROLE_PATHS[role]) {
      if (getPath(e as unknown as Record<string, unknown>, path) === undefined) continue;
      if (person === undefined) {
        unowned = [...(unowned ?? []), path];
        continue;
      }
      sealed |= 1 << PATH_INDEX.get(path)!;
      const i = persons.indexOf(person);
      if (i < 0) {
        persons.push(person);
        groups.push([path]);
      } else groups[i]!.push(path);
    }
  }
  const out = withoutSealed(e, sealed);
  const pd: SealedPersonV2[] = [];
  for (let g = 0; g < persons.length; g++) {
    const person = persons[g]!;
    const paths = groups[g]!;
    const values: string[] = [];
    let f = '';
    for (const path of paths) {
      values.push(getPath(e as unknown as Record<string, unknown>, path) as string);
      f += PATH_INDEX.get(path)!;
    }
    const seed = seedOf(paths, given);
    let plaintext: Buffer;
    if (seed !== undefined) {
      const json = JSON.stringify(values);
      plaintext = Buffer.allocUnsafe(SEED_BYTES + Buffer.byteLength(json));
      plaintext.write(seed, 0, 'base64url');
      plaintext.write(json, SEED_BYTES, 'utf8');
    } else {
      plaintext = Buffer.from(JSON.stringify([values, paths.map((p) => saltOf(p) ?? null)]), 'utf8');
    }
    const format = seed !== undefined ? SEEDED : SALTED;
    const key = keyOf(person);
    const aad = aadOf2(format, e.tenantId, e.id, person, f);
    pd.push({ k: key.version, f, c: sealBytes(format, key.key, aad, plaintext) });
  }
  if (pd.length > 0) out.pd = pd;
  if (e.integrity) {
    const integrity: Record<string, unknown> = { hash: e.integrity.hash };
    const salts: Partial<Record<PersonalPath, string>> = {};
    let any = false;
    for (const path of unowned ?? []) {
      const salt = saltOf(path);
      if (salt === undefined) continue;
      salts[path] = salt;
      any = true;
    }
    if (any) integrity.salts = salts;
    out.integrity = integrity;
  }
  return out as StoredListItem;
}

/**
 * A copy of the list view without summary, attribution, integrity and the personal fields whose
 * bits (1 << PERSONAL_PATHS index) are in `sealed`, built key by key (not spread and `delete`d:
 * an object that lost keys is slower to marshall).
 */
function withoutSealed(e: AuditListItem, sealed: number): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const src = e as unknown as Record<string, unknown>;
  for (const key in src) {
    const value = src[key];
    switch (key) {
      case 'summary':
      case 'attribution':
      case 'integrity':
        continue;
      case 'ip':
        if (sealed & (1 << 4)) continue;
        break;
      case 'userAgent':
        if (sealed & (1 << 5)) continue;
        break;
      case 'actor':
        out.actor = copyWithout(value, sealed & 1, 'name', sealed & 2, 'email');
        continue;
      case 'impersonator':
        out.impersonator = copyWithout(value, sealed & 4, 'name');
        continue;
      case 'subject':
        out.subject = copyWithout(value, sealed & 8, 'name');
        continue;
      case 'object':
        out.object = copyWithout(value, sealed & 64, 'name');
        continue;
    }
    out[key] = value;
  }
  return out;
}

/** A copy of `value` (a plain object, or undefined as it is) without the fields whose flag is set. */
function copyWithout(value: unknown, drop: number, field: string, drop2 = 0, field2 = ''): unknown {
  if (value === undefined || (drop === 0 && drop2 === 0))
    return value === undefined ? value : { ...(value as object) };
  const copy: Record<string, unknown> = {};
  for (const k in value as Record<string, unknown>) {
    if ((drop !== 0 && k === field) || (drop2 !== 0 && k === field2)) continue;
    copy[k] = (value as Record<string, unknown>)[k];
  }
  return copy;
}

/**
 * The seed (24 base64url characters) when every given field salt of a group is seed ‖ 0 0 index
 * (personalSalts made them), else undefined (the group keeps its salts: format SALTED).
 */
function seedOf(
  paths: readonly PersonalPath[],
  given: Partial<Record<PersonalPath, string>> | undefined,
): string | undefined {
  if (given === undefined) return undefined;
  const first = given[paths[0]!];
  // base64url that decodes to 18 bytes and back unchanged, or no seed.
  if (first === undefined || !SEEDED_SALT.test(first)) return undefined;
  for (const path of paths) {
    const salt = given[path];
    if (salt === undefined || salt.length !== SEED_CHARS + 4) return undefined;
    if (!salt.endsWith(SALT_TAIL[PATH_INDEX.get(path)!]!)) return undefined;
    if (salt !== first && !salt.startsWith(first.slice(0, SEED_CHARS))) return undefined;
  }
  return first.slice(0, SEED_CHARS);
}

/** A group's values and field salts, or undefined when its key is gone or it does not open. */
function openGroup(
  stored: Record<string, unknown>,
  group: SealedPerson,
  person: string,
  key: Buffer,
): SealedFields | undefined {
  const tenantId = String(stored.tenantId);
  const id = String(stored.id);
  try {
    if (typeof group.c === 'string') {
      return JSON.parse(decrypt(key, group.c, aadOf(tenantId, id, person))) as SealedFields;
    }
    const format = group.c[0]!;
    const plaintext = openBytes(key, group.c, aadOf2(format, tenantId, id, person, group.f));
    if (format === SALTED) return JSON.parse(plaintext.toString('utf8')) as SealedFields;
    if (format !== SEEDED) return undefined;
    const seed = plaintext.toString('base64url', 0, SEED_BYTES);
    const values = JSON.parse(plaintext.toString('utf8', SEED_BYTES)) as string[];
    const salts: string[] = [];
    for (let i = 0; i < group.f.length; i++) salts.push(seed + SALT_TAIL[Number(group.f[i])]!);
    return [values, salts];
  } catch {
    return undefined;
  }
}

/**
 * The list view as the API returns it: each sealed person's fields opened with their key, or
 * `"[erased]"` where the key is gone (null); field salts merged into `integrity.salts`; summary
 * and attribution derived from the result. Entries stored before sealing existed (no `pd`) keep
 * what they hold, their derived text derived afresh too. Both sealed formats are read.
 */
export function openListItem(
  stored: Record<string, unknown>,
  keyOf: (person: string, version: string) => Buffer | null,
): AuditListItem {
  const out: Record<string, unknown> = { ...stored };
  const pd = stored.pd as SealedPerson[] | undefined;
  delete out.pd;
  if (pd) {
    out.actor = { ...(stored.actor as object) };
    out.object = { ...(stored.object as object) };
    if (stored.impersonator) out.impersonator = { ...(stored.impersonator as object) };
    if (stored.subject) out.subject = { ...(stored.subject as object) };
    const integrity = stored.integrity as StoredListItem['integrity'] | undefined;
    const salts: Partial<Record<PersonalPath, string>> = { ...(integrity?.salts ?? {}) };
    for (const group of pd) {
      const person = sealedPersonOf(stored, group);
      const key = person === undefined ? null : keyOf(person, group.k);
      const fields = key && person !== undefined ? openGroup(stored, group, person, key) : undefined;
      for (let i = 0; i < group.f.length; i++) {
        const path = PERSONAL_PATHS[Number(group.f[i])]!;
        const value = fields?.[0][i];
        setPath(out, path, value ?? ERASED);
        const salt = fields?.[1][i];
        if (value !== undefined && typeof salt === 'string') salts[path] = salt;
      }
    }
    if (integrity) {
      const next: Record<string, unknown> = { hash: integrity.hash };
      if (integrity.salt !== undefined) next.salt = integrity.salt;
      if (Object.keys(salts).length > 0) next.salts = salts;
      if (integrity.commitments) next.commitments = integrity.commitments;
      out.integrity = next;
    }
  }
  const describable = out as unknown as AuditEntry;
  out.summary = summarise(describable);
  out.attribution = attribution(describable);
  return out as AuditListItem;
}

/**
 * What an erasure writes into one entry for `person`: the commitments of their fields (from the
 * opened values and salts), and — for an entry stored before sealing, which holds plaintext and
 * the entry salt — the `"[erased]"` markers, the field salts of everyone else's fields (the entry
 * salt goes) and the plaintext that must go. Null when there is nothing (left) to do.
 */
export interface ErasureChange {
  commitments: Partial<Record<PersonalPath, string>>;
  /** Legacy entries only: paths whose stored value becomes "[erased]". */
  markers: PersonalPath[];
  /** Legacy entries only: the salts that replace the entry salt. */
  salts?: Partial<Record<PersonalPath, string>>;
  /** Whether the entry's User-object name helper (`f.on`) goes. */
  objectName: boolean;
  /** Whether the IP helpers (`f.ip`, `ipp`) go (the person acted). */
  ip: boolean;
}

export function erasureChange(
  stored: Record<string, unknown>,
  opened: AuditListItem,
  person: string,
): ErasureChange | null {
  const integrity = opened.integrity;
  const already = integrity?.commitments ?? {};
  const commitments: Partial<Record<PersonalPath, string>> = { ...already };
  const markers: PersonalPath[] = [];
  let touched = false;
  let ip = false;
  let objectName = false;
  const legacy = stored.pd === undefined;
  const salts: Partial<Record<PersonalPath, string>> = { ...(integrity?.salts ?? {}) };
  for (const role of ROLES) {
    if (personOf(opened, role) !== person) continue;
    for (const path of ROLE_PATHS[role]) {
      const value = getPath(opened as unknown as Record<string, unknown>, path);
      if (value === undefined) continue;
      if (path === 'ip') ip = true;
      if (path === 'object.name') objectName = true;
      if (legacy && value !== ERASED) {
        markers.push(path);
        touched = true;
      }
      if (already[path] !== undefined || !integrity) continue;
      const salt =
        integrity.salts?.[path] !== undefined
          ? Buffer.from(integrity.salts[path], 'base64url')
          : integrity.salt !== undefined
            ? derivedFieldSalt(integrity.salt, path)
            : undefined;
      if (salt === undefined || value === ERASED) continue;
      commitments[path] = commitment(salt, value);
      delete salts[path];
      touched = true;
    }
  }
  if (legacy && integrity?.salt !== undefined) {
    touched = true;
    // Everyone else's fields keep a salt of their own; the entry salt goes.
    for (const role of ROLES) {
      for (const path of ROLE_PATHS[role]) {
        if (commitments[path] !== undefined || salts[path] !== undefined) continue;
        const value = getPath(opened as unknown as Record<string, unknown>, path);
        if (value === undefined) continue;
        salts[path] = derivedFieldSalt(integrity.salt, path).toString('base64url');
      }
    }
  }
  if (!touched) return null;
  return {
    commitments,
    markers,
    ...(legacy && integrity ? { salts } : {}),
    objectName,
    ip,
  };
}

/** The stored list view with an erasure's change applied (what the erasure worker writes back). */
export function applyErasure(
  stored: Record<string, unknown>,
  change: ErasureChange,
): Record<string, unknown> {
  const next = structuredClone(stored);
  const integrity = next.integrity as Record<string, unknown> | undefined;
  if (integrity) {
    integrity.commitments = change.commitments;
    if (change.salts) {
      integrity.salts = change.salts;
      delete integrity.salt;
    }
  }
  for (const path of change.markers) setPath(next, path, ERASED);
  // Derived text is derived at read time; an old entry's stored copy goes with the plaintext.
  if (change.markers.length > 0) {
    delete next.summary;
    delete next.attribution;
  }
  return next;
}

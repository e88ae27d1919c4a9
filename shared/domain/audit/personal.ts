import { createCipheriv, createDecipheriv, createHash, randomFillSync } from 'node:crypto';
import { attribution, summarise } from './describe.ts';
import { commitment, type EntryIntegrity, PERSONAL_PATHS, type PersonalPath } from './integrity.ts';
import type { AuditEntry, AuditListItem } from './schema.ts';

/**
 * Crypto-shredding of an audit entry's personal data (API.md "Trust → Erasure of a person").
 *
 * Each person named by an entry (actor, impersonator, subject, and the user an entry is about when
 * its object is a `User`) has a data key of their own (PersonKeys). Their personal fields of the
 * entry, together with the field salts of those fields (integrity.ts), are stored AES-256-GCM
 * encrypted under that key, inside the list view (`e.pd`, so the indexes carry it and no
 * projection changes). The entry salt itself is never stored: each field's salt lives with its
 * value, so destroying a person's key destroys both, and a commitment of a guessable value (an
 * e-mail, an IP) can no longer be brute-forced. Reads return the field salts as
 * `integrity.salts`, which the recipe accepts unchanged.
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

/** One person's sealed fields of an entry (all their roles in it: one encryption per person). */
export interface SealedPerson {
  /** Person id. */
  p: string;
  /** Key version the fields are sealed under. */
  k: string;
  /**
   * The paths sealed, as indexes into PERSONAL_PATHS (`"0145"`: every index item carries this, so
   * it is short), so an erased entry still knows which fields it had.
   */
  f: string;
  /** base64url(iv ‖ tag ‖ ciphertext). */
  c: string;
}

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
  const out = new Set<string>();
  for (const role of ROLES) {
    const p = personOf(e, role);
    if (p !== undefined && pathsPresent(e, role).length > 0) out.add(p);
  }
  return [...out];
}

function getPath(e: Record<string, unknown>, path: PersonalPath): unknown {
  const dot = path.indexOf('.');
  if (dot < 0) return e[path];
  return (e[path.slice(0, dot)] as Record<string, unknown> | undefined)?.[path.slice(dot + 1)];
}
function setPath(e: Record<string, unknown>, path: PersonalPath, value: unknown): void {
  const dot = path.indexOf('.');
  if (dot < 0) {
    if (value === undefined) delete e[path];
    else e[path] = value;
    return;
  }
  const parent = e[path.slice(0, dot)] as Record<string, unknown> | undefined;
  if (!parent) return;
  if (value === undefined) delete parent[path.slice(dot + 1)];
  else parent[path.slice(dot + 1)] = value;
}

function pathsPresent(e: object, role: PersonRole): PersonalPath[] {
  return ROLE_PATHS[role].filter((p) => getPath(e as Record<string, unknown>, p) !== undefined);
}

/** The salt of one field: SHA-256(entry salt ‖ path), as ENTRY_HASH_RECIPE defines it. */
export function derivedFieldSalt(entrySalt: string, path: PersonalPath): Buffer {
  return createHash('sha256').update(Buffer.from(entrySalt, 'base64url')).update(path).digest();
}

// IVs from a pool filled 4,096 at a time (as integrity.ts does for salts): the hot path.
const IV_POOL = Buffer.alloc(12 * 4096);
let ivAt = IV_POOL.length;
function freshIv(): Buffer {
  if (ivAt >= IV_POOL.length) {
    randomFillSync(IV_POOL);
    ivAt = 0;
  }
  ivAt += 12;
  return Buffer.from(IV_POOL.subarray(ivAt - 12, ivAt));
}

/** AES-256-GCM; `aad` binds the ciphertext to its place. Output base64url(iv ‖ tag ‖ ciphertext). */
export function encrypt(key: Buffer, plaintext: string, aad: string): string {
  const iv = freshIv();
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(Buffer.from(aad, 'utf8'));
  const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  return Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64url');
}

/** The plaintext, or a thrown error when the key is wrong or anything was tampered with. */
export function decrypt(key: Buffer, sealed: string, aad: string): string {
  const raw = Buffer.from(sealed, 'base64url');
  if (raw.length < 28) throw new Error('ciphertext too short');
  const decipher = createDecipheriv('aes-256-gcm', key, raw.subarray(0, 12));
  decipher.setAAD(Buffer.from(aad, 'utf8'));
  decipher.setAuthTag(raw.subarray(12, 28));
  return Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString('utf8');
}

const aadOf = (tenantId: string, id: string, person: string) => `${tenantId}#${id}#${person}`;

/** The plaintext of a sealed group: the values, then the base64url field salts (or null), in `f` order. */
type SealedFields = [string[], (string | null)[]];

/**
 * The list view as stored: each person's fields sealed under their key (keyOf answers for every
 * person of personsToSeal), the rest as it is; summary and attribution out (they are derived at
 * read time from what the reader may see); the entry salt replaced by the field salts of personal
 * fields no person owns (an actor without an id).
 */
export function sealListItem(e: AuditListItem, keyOf: (person: string) => PersonKey): StoredListItem {
  const out: Record<string, unknown> = { ...e, actor: { ...e.actor }, object: { ...e.object } };
  if (e.impersonator) out.impersonator = { ...e.impersonator };
  if (e.subject) out.subject = { ...e.subject };
  delete out.summary;
  delete out.attribution;
  const entrySalt = e.integrity?.salt;
  const given = e.integrity?.salts;
  // The salt of a field: given per field (ingest), else derived from an entry salt (older callers).
  const saltOf = (path: PersonalPath): string | undefined =>
    given?.[path] ??
    (entrySalt === undefined ? undefined : derivedFieldSalt(entrySalt, path).toString('base64url'));
  const byPerson = new Map<string, PersonalPath[]>();
  const sealed = new Set<PersonalPath>();
  for (const role of ROLES) {
    const person = personOf(e, role);
    if (person === undefined) continue;
    const paths = pathsPresent(e, role);
    if (paths.length === 0) continue;
    byPerson.set(person, [...(byPerson.get(person) ?? []), ...paths]);
  }
  const pd: SealedPerson[] = [];
  for (const [person, paths] of byPerson) {
    const fields: SealedFields = [[], []];
    for (const path of paths) {
      fields[0].push(getPath(e, path) as string);
      fields[1].push(saltOf(path) ?? null);
      setPath(out, path, undefined);
      sealed.add(path);
    }
    const key = keyOf(person);
    pd.push({
      p: person,
      k: key.version,
      f: paths.map((path) => PERSONAL_PATHS.indexOf(path)).join(''),
      c: encrypt(key.key, JSON.stringify(fields), aadOf(e.tenantId, e.id, person)),
    });
  }
  if (pd.length > 0) out.pd = pd;
  if (e.integrity) {
    const integrity: Record<string, unknown> = { hash: e.integrity.hash };
    const salts: Partial<Record<PersonalPath, string>> = {};
    for (const role of ROLES) {
      for (const path of ROLE_PATHS[role]) {
        if (sealed.has(path) || getPath(e, path) === undefined) continue;
        const salt = saltOf(path);
        if (salt !== undefined) salts[path] = salt;
      }
    }
    if (Object.keys(salts).length > 0) integrity.salts = salts;
    out.integrity = integrity;
  }
  return out as StoredListItem;
}

/**
 * The list view as the API returns it: each sealed person's fields opened with their key, or
 * `"[erased]"` where the key is gone (null); field salts merged into `integrity.salts`; summary
 * and attribution derived from the result. Entries stored before sealing existed (no `pd`) keep
 * what they hold, their derived text derived afresh too.
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
    for (const sealedPerson of pd) {
      const key = keyOf(sealedPerson.p, sealedPerson.k);
      let fields: SealedFields | undefined;
      if (key) {
        try {
          fields = JSON.parse(
            decrypt(key, sealedPerson.c, aadOf(String(stored.tenantId), String(stored.id), sealedPerson.p)),
          ) as SealedFields;
        } catch {
          fields = undefined;
        }
      }
      for (let i = 0; i < sealedPerson.f.length; i++) {
        const path = PERSONAL_PATHS[Number(sealedPerson.f[i])]!;
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

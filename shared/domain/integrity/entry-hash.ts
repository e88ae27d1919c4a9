import { createHash, randomBytes } from 'node:crypto';
import canonicalize from 'canonicalize';

/**
 * The hash that seals one audit entry, computed at ingest over the entry as stored and
 * recomputable by anyone from what `GET /v1/audit-events/{id}` returns:
 *
 * 1. Take the entry as the API returns it and leave out `integrity`.
 * 2. For every path of COMMITTED_PATHS the entry holds, replace the value by its commitment:
 *    the hex SHA-256 of (salt ‖ UTF-8 bytes of the value), the salt being the 16 bytes whose hex
 *    is `integrity.salts[path]`. A path without a salt was erased: use `integrity.commitments[path]`.
 * 3. hash = hex SHA-256 of the UTF-8 bytes of the RFC 8785 canonical JSON of the result.
 *
 * Personal data enters the hash only through a commitment, so erasing the value and its salt
 * leaves the commitment, and with it every hash, root and digest, valid.
 */
export const COMMITTED_PATHS = [
  'actor.name',
  'actor.email',
  'impersonator.name',
  'subject.name',
  'object.name',
  'ip',
  'userAgent',
  'summary',
  'attribution',
] as const;
export type CommittedPath = (typeof COMMITTED_PATHS)[number];

/** What a field reads after its person was erased (the erasure feature writes it). */
export const ERASED = '[erased]';
export const SALT_BYTES = 16;

export interface EntryIntegrity {
  hash: string;
  /** Commitment per committed path present in the entry (survives erasure). */
  commitments: Partial<Record<CommittedPath, string>>;
  /** Salt (hex) per committed path; an erased path has none. */
  salts: Partial<Record<CommittedPath, string>>;
}

type Json = Record<string, unknown>;

/** `object.name` is personal data only when the object is a user record; other names are plain. */
function applies(entry: Json, path: CommittedPath): boolean {
  if (path !== 'object.name') return true;
  return (entry.object as Json | undefined)?.type === 'User';
}

function read(entry: Json, path: CommittedPath): unknown {
  const dot = path.indexOf('.');
  if (dot < 0) return entry[path];
  const parent = entry[path.slice(0, dot)] as Json | undefined;
  return parent?.[path.slice(dot + 1)];
}

export function commitment(saltHex: string, value: string): string {
  return createHash('sha256').update(Buffer.from(saltHex, 'hex')).update(value, 'utf8').digest('hex');
}

/** SHA-256 hex of the RFC 8785 canonical JSON of `value`. */
export function canonicalHash(value: unknown): string {
  const text = canonicalize(value);
  if (text === undefined) throw new TypeError('value has no JSON form');
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

/** The entry with each committed value replaced by its commitment (copies only what it changes). */
function hashedForm(entry: Json, commitments: Partial<Record<CommittedPath, string>>): Json {
  const form: Json = { ...entry };
  delete form.integrity;
  for (const path of COMMITTED_PATHS) {
    const c = commitments[path];
    if (c === undefined) continue;
    const dot = path.indexOf('.');
    if (dot < 0) form[path] = c;
    else {
      const key = path.slice(0, dot);
      form[key] = { ...(form[key] as Json), [path.slice(dot + 1)]: c };
    }
  }
  return form;
}

/**
 * Seals an entry as stored: a fresh salt per committed field, the commitments and the hash.
 * `random` is injectable for tests; one call per entry.
 */
export function sealEntry(entry: object, random: (n: number) => Buffer = randomBytes): EntryIntegrity {
  const e = entry as Json;
  const present = COMMITTED_PATHS.filter((p) => applies(e, p) && typeof read(e, p) === 'string');
  const pool = random(SALT_BYTES * present.length);
  const commitments: EntryIntegrity['commitments'] = {};
  const salts: EntryIntegrity['salts'] = {};
  present.forEach((path, i) => {
    const salt = pool.subarray(i * SALT_BYTES, (i + 1) * SALT_BYTES).toString('hex');
    salts[path] = salt;
    commitments[path] = commitment(salt, read(e, path) as string);
  });
  return { hash: canonicalHash(hashedForm(e, commitments)), commitments, salts };
}

export interface RecomputedHash {
  hash: string;
  /** Committed paths taken from `integrity.commitments` because their salt is gone (erased). */
  erased: CommittedPath[];
  /** Committed paths present in the entry with neither a salt nor a commitment. */
  missing: CommittedPath[];
}

/**
 * Recomputes an entry's hash from what the API returns (entry + `integrity.commitments` and
 * `integrity.salts`), never trusting a returned commitment whose salt is present.
 */
export function recomputeEntryHash(entry: object): RecomputedHash {
  const e = entry as Json;
  const integrity = (e.integrity ?? {}) as Partial<EntryIntegrity>;
  const commitments: EntryIntegrity['commitments'] = {};
  const erased: CommittedPath[] = [];
  const missing: CommittedPath[] = [];
  for (const path of COMMITTED_PATHS) {
    const value = read(e, path);
    if (!applies(e, path) || typeof value !== 'string') continue;
    const salt = integrity.salts?.[path];
    if (salt !== undefined) commitments[path] = commitment(salt, value);
    else if (integrity.commitments?.[path] !== undefined) {
      commitments[path] = integrity.commitments[path];
      erased.push(path);
    } else missing.push(path);
  }
  return { hash: canonicalHash(hashedForm(e, commitments)), erased, missing };
}

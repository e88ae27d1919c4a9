import { decrypt, ERASED, encrypt, type PersonKey } from '../audit/personal.ts';
import type { StoredActivity } from './event.ts';

/**
 * Crypto-shredding of the one personal field an activity entry stores: the name of whoever
 * recorded it on the learner's behalf (`recordedBy.name`, API.md "Activity events"). The learner's
 * own name and e-mail are never stored with an entry (reads take them from the directory, whose
 * record an erasure replaces by a tombstone), so the recorder's name is all there is to seal.
 *
 * It is stored AES-256-GCM encrypted under the recorder's data key, the same key that seals their
 * fields in audit entries (domain/audit/personal.ts), bound to its place by the associated data
 * `tenant#entry#recordedBy`. An erasure of the recorder deletes that key, and from then on the
 * name reads `"[erased]"` everywhere the entry goes (reads, descriptions, exports, e-mails).
 */
export interface SealedRecorder {
  id: string;
  /** Key version the name is sealed under. */
  k: string;
  /** base64url(iv ‖ tag ‖ ciphertext) of the name. */
  c: string;
}

const aadOf = (tenantId: string, entryId: string) => `${tenantId}#${entryId}#recordedBy`;

/** The entry as stored: the recorder's name sealed under `key` (their current key). */
export function sealRecorder(entry: StoredActivity, key: PersonKey): Record<string, unknown> {
  if (!entry.recordedBy) return entry;
  const sealed: SealedRecorder = {
    id: entry.recordedBy.id,
    k: key.version,
    c: encrypt(key.key, entry.recordedBy.name, aadOf(entry.tenantId, entry.id)),
  };
  return { ...entry, recordedBy: sealed };
}

/** The recorder (id, key version) whose key opens a stored entry, or undefined when none is sealed. */
export function sealedRecorderOf(stored: Record<string, unknown>): SealedRecorder | undefined {
  const r = stored.recordedBy as Partial<SealedRecorder> | undefined;
  return r && typeof r.c === 'string' && typeof r.k === 'string' && typeof r.id === 'string'
    ? (r as SealedRecorder)
    : undefined;
}

/**
 * The entry as the API shows it: the recorder's name opened with their key, or `"[erased]"` when
 * the key is gone (null) or does not open it. Entries stored before sealing (a plain name) and
 * entries without a recorder are returned as they are.
 */
export function openRecorder(stored: Record<string, unknown>, key: Buffer | null): Record<string, unknown> {
  const sealed = sealedRecorderOf(stored);
  if (!sealed) return stored;
  let name = ERASED;
  if (key) {
    try {
      name = decrypt(key, sealed.c, aadOf(String(stored.tenantId), String(stored.id)));
    } catch {
      name = ERASED;
    }
  }
  return { ...stored, recordedBy: { id: sealed.id, name } };
}

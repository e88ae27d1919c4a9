import type { FieldError } from '../errors.ts';
import { dynamoSizeEstimate, type JsonPath, MAX_JSON_DEPTH, tooDeep, unstorable } from '../json-limits.ts';
import type { AuditEntry, AuditEventInput } from './schema.ts';

/**
 * Everything that would make DynamoDB refuse an entry for good (a ValidationException no retry
 * cures), found before the first write of a batch so a valid batch can always be written:
 *  - `details` or `changes` nested deeper than 32 levels counted from the body (an event sits
 *    inside the body and `events`; DynamoDB refuses items nested deeper than 32 levels, and the
 *    stored item is one level shallower than the body);
 *  - empty or over-long map keys and numbers out of range (json-limits `unstorable`);
 *  - an entry, after redaction, larger than MAX_STORED_ENTRY_BYTES (DynamoDB's 400 KB item,
 *    less room for the keys and filter helpers stored beside it).
 * Walks with explicit stacks.
 */
export const MAX_STORED_ENTRY_BYTES = 390 * 1024;
/** An event of `{events: [...]}` is inside two containers. */
const EVENT_DEPTH = 2;

const pathText = (prefix: string, path: JsonPath) =>
  path.reduce<string>(
    (out, part) => (typeof part === 'number' ? `${out}[${part}]` : `${out}.${part}`),
    prefix,
  );

/** Depth of the input as sent (before redaction), so the answer matches the body rule. */
export function inputDepthProblems(input: AuditEventInput, prefix: string): FieldError[] {
  const out: FieldError[] = [];
  for (const field of ['details', 'changes'] as const) {
    if (input[field] === undefined) continue;
    for (const path of tooDeep(input[field], MAX_JSON_DEPTH, EVENT_DEPTH + 1)) {
      out.push({
        path: pathText(`${prefix}.${field}`, path),
        message: `is nested deeper than ${MAX_JSON_DEPTH} levels`,
      });
    }
  }
  return out;
}

/** What DynamoDB would refuse in the entry as it will be stored (after redaction). */
export function entryStorageProblems(entry: AuditEntry, prefix: string): FieldError[] {
  const out: FieldError[] = [];
  for (const field of ['details', 'changes'] as const) {
    if (entry[field] === undefined) continue;
    for (const [path, message] of unstorable(entry[field])) {
      out.push({ path: pathText(`${prefix}.${field}`, path), message });
    }
  }
  if (dynamoSizeEstimate(entry) > MAX_STORED_ENTRY_BYTES) {
    out.push({ path: prefix, message: `is larger than ${MAX_STORED_ENTRY_BYTES / 1024} KB when stored` });
  }
  return out;
}

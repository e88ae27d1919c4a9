/**
 * Limits on user JSON, checked without recursion (an explicit stack), so no input — however
 * deep — overflows the call stack. A body parsed by JSON.parse may be nested 100,000 levels
 * deep within 1 MB; every walker of user values in this code base is either one of these or
 * runs only after `tooDeep` has bounded the depth.
 */

/** API.md: JSON bodies nested deeper than this are a 400 naming the path. */
export const MAX_JSON_DEPTH = 32;
/** At most this many too-deep paths are named in one answer. */
export const MAX_DEPTH_ERRORS = 100;

export type JsonPath = (string | number)[];

interface Frame {
  value: unknown;
  depth: number;
  parent: Frame | null;
  key: string | number | null;
}

function pathOf(frame: Frame): JsonPath {
  const out: JsonPath = [];
  for (let f: Frame | null = frame; f && f.key !== null; f = f.parent) out.push(f.key);
  return out.reverse();
}

const isContainer = (v: unknown): v is object => typeof v === 'object' && v !== null;

/**
 * Paths of the containers nested deeper than `maxDepth` levels, in document order, at most
 * `limit` of them. The outermost container is level `baseDepth + 1` (a value that sits inside
 * `baseDepth` containers of a body: an audit event is inside the body and `events`, so 2).
 * A too-deep container is reported once; what it holds is not walked.
 */
export function tooDeep(
  value: unknown,
  maxDepth = MAX_JSON_DEPTH,
  baseDepth = 0,
  limit = MAX_DEPTH_ERRORS,
): JsonPath[] {
  const found: JsonPath[] = [];
  if (!isContainer(value)) return found;
  const stack: Frame[] = [{ value, depth: baseDepth + 1, parent: null, key: null }];
  while (stack.length > 0 && found.length < limit) {
    const frame = stack.pop()!;
    if (frame.depth > maxDepth) {
      found.push(pathOf(frame));
      continue;
    }
    const children = childrenOf(frame.value);
    // Pushed in reverse so they are visited in document order.
    for (let i = children.length - 1; i >= 0; i--) {
      const [key, child] = children[i]!;
      if (isContainer(child)) stack.push({ value: child, depth: frame.depth + 1, parent: frame, key });
    }
  }
  return found;
}

function childrenOf(value: unknown): [string | number, unknown][] {
  if (Array.isArray(value)) return value.map((v, i) => [i, v]);
  return Object.entries(value as Record<string, unknown>);
}

/**
 * `Buffer.byteLength(JSON.stringify(value))` for JSON data (what JSON.parse makes, or plain
 * objects, arrays and scalars), computed with an explicit stack: JSON.stringify itself recurses
 * and throws a RangeError on deep values.
 */
export function jsonByteLength(value: unknown): number {
  let total = 0;
  const stack: unknown[] = [value];
  while (stack.length > 0) {
    const v = stack.pop();
    if (Array.isArray(v)) {
      total += 2 + Math.max(0, v.length - 1);
      for (const item of v) {
        // JSON.stringify writes undefined, functions and symbols in arrays as null.
        if (item === undefined || typeof item === 'function' || typeof item === 'symbol') total += 4;
        else stack.push(item);
      }
    } else if (isContainer(v)) {
      let members = 0;
      for (const [k, item] of Object.entries(v)) {
        if (item === undefined || typeof item === 'function' || typeof item === 'symbol') continue;
        members++;
        total += Buffer.byteLength(JSON.stringify(k)) + 1;
        stack.push(item);
      }
      total += 2 + Math.max(0, members - 1);
    } else {
      total += Buffer.byteLength(JSON.stringify(v) ?? 'null');
    }
  }
  return total;
}

/**
 * Why a free-form value could not be stored as a DynamoDB attribute, as `[path, message]`.
 * DynamoDB rejects these with a ValidationException that no retry can cure, so they must be
 * 400s before the first write: an empty map key ("Empty attribute name"), a map key longer than
 * 65,535 bytes, a number outside ±(2^53 − 1) (the SDK's marshaller refuses it unless precision
 * may be lost) or a non-zero number smaller in magnitude than 1e-130 (DynamoDB's underflow).
 * Depth is checked separately (`tooDeep`). Walks with an explicit stack.
 */
export function unstorable(value: unknown, limit = MAX_DEPTH_ERRORS): [JsonPath, string][] {
  const found: [JsonPath, string][] = [];
  const stack: Frame[] = [{ value, depth: 0, parent: null, key: null }];
  while (stack.length > 0 && found.length < limit) {
    const frame = stack.pop()!;
    const v = frame.value;
    if (typeof v === 'number') {
      const magnitude = Math.abs(v);
      if (!Number.isFinite(v) || magnitude > Number.MAX_SAFE_INTEGER)
        found.push([
          pathOf(frame),
          `must be a number between -${Number.MAX_SAFE_INTEGER} and ${Number.MAX_SAFE_INTEGER}`,
        ]);
      else if (magnitude !== 0 && magnitude < 1e-130)
        found.push([pathOf(frame), 'must be 0 or at least 1e-130 in magnitude']);
      continue;
    }
    if (!isContainer(v)) continue;
    const isArray = Array.isArray(v);
    const children = childrenOf(v);
    for (let i = children.length - 1; i >= 0; i--) {
      const [key, child] = children[i]!;
      const next: Frame = { value: child, depth: frame.depth + 1, parent: frame, key };
      if (!isArray && key === '') found.push([pathOf(next), 'must not have an empty name']);
      else if (!isArray && Buffer.byteLength(key as string) > 65_535)
        found.push([pathOf(next), 'must have a name of at most 65,535 bytes']);
      else stack.push(next);
    }
  }
  return found;
}

/**
 * The size DynamoDB counts for a value stored as an attribute, rounded up: strings their UTF-8
 * bytes, numbers at most 21 bytes, booleans and null 1, a map or list 3 bytes plus 1 per
 * element plus each map key's bytes. An upper bound of DynamoDB's own accounting (numbers are
 * counted at their maximum), so an item estimated within 400 KB is never refused for size.
 */
export function dynamoSizeEstimate(value: unknown): number {
  let total = 0;
  const stack: unknown[] = [value];
  while (stack.length > 0) {
    const v = stack.pop();
    if (typeof v === 'string') total += Buffer.byteLength(v);
    else if (typeof v === 'number') total += 21;
    else if (typeof v === 'boolean' || v === null) total += 1;
    else if (Array.isArray(v)) {
      total += 3;
      for (const item of v) {
        if (item === undefined || typeof item === 'function') continue;
        total += 1;
        stack.push(item);
      }
    } else if (isContainer(v)) {
      total += 3;
      for (const [k, item] of Object.entries(v)) {
        if (item === undefined || typeof item === 'function') continue;
        total += 1 + Buffer.byteLength(k);
        stack.push(item);
      }
    }
  }
  return total;
}

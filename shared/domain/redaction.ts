import { MAX_JSON_DEPTH, tooDeep } from './json-limits.ts';

/**
 * Redaction of secrets in audit entries, applied before anything is stored, logged or exported
 * (API.md "Redaction"). A value is replaced by `"[REDACTED]"` when
 *  - its field name (a `changes[].field`, or any key at any depth) contains one of SENSITIVE,
 *    compared after NFKC, lower-casing and dropping everything but letters and digits
 *    (`clientSecret`, `x-api-key`, `accessToken`, `ｐassword`);
 *  - it is the `value` of a name/value pair whose `name`, `key` or `header` is sensitive
 *    (`{name: "Authorization", value: …}`).
 * Inside every string:
 *  - a header line whose name is sensitive (`Authorization: …`, `X-Api-Key: …`) keeps its name;
 *  - a URL's user-info password (`https://user:[REDACTED]@host`);
 *  - a sensitive `name=value` parameter after `?`, `&`, `;`, `#`, a space or at the start
 *    (`?access_token=`, `;jsessionid=`, `#id_token=`, `password=`): the value becomes
 *    `%5BREDACTED%5D` (the marker percent-encoded, as it sits in a URL);
 *  - `Bearer <token>` (any token), and `Basic <base64>` when the base64 decodes to printable
 *    `user:password` text (so `Basic training` stays);
 *  - a string that is itself a JSON object or array is redacted by these same rules and stays
 *    a string (re-serialised only when something was redacted; a JSON string nested deeper than
 *    32 levels cannot be inspected safely and becomes `[REDACTED]` whole).
 * Everything else is returned unchanged, and redacting twice changes nothing more. The walk uses
 * an explicit stack: no input depth can overflow the call stack.
 */
export const REDACTED = '[REDACTED]';
const ENCODED_REDACTED = encodeURIComponent(REDACTED);

const SENSITIVE = [
  'password',
  'passphrase',
  'passwd',
  'pwd',
  'secret',
  'token',
  'apikey',
  'credential',
  'authorization',
  'cookie',
  'session',
  'signature',
  'privatekey',
];
/** Keys naming the other member of a name/value pair, and the member that holds the value. */
const PAIR_NAME_KEYS = new Set(['name', 'key', 'header']);
const PAIR_VALUE_KEY = 'value';

/** NFKC (Unicode look-alikes), lower case, letters and digits only: `Ｘ-API_Key` → `xapikey`. */
export function normaliseName(name: string): string {
  return name
    .normalize('NFKC')
    .toLowerCase()
    .normalize('NFKC')
    .replace(/[^a-z0-9]/g, '');
}

export function isSensitiveField(name: string): boolean {
  const squashed = normaliseName(name);
  return SENSITIVE.some((word) => squashed.includes(word));
}

/** Counts the redactions a walk made, so an unchanged JSON string is returned as it came. */
interface Tally {
  n: number;
}

const isContainer = (v: unknown): v is object => typeof v === 'object' && v !== null;

/** Sets `out[key]`, defining the property so a key named `__proto__` stays data. */
function put(out: Record<string, unknown>, key: string, value: unknown): void {
  if (key === '__proto__')
    Object.defineProperty(out, key, { value, writable: true, enumerable: true, configurable: true });
  else out[key] = value;
}

/** The object's name/value pair is sensitive: a `name`/`key`/`header` member names a secret. */
function isSensitivePair(obj: Record<string, unknown>): boolean {
  for (const key in obj) {
    if (!Object.hasOwn(obj, key)) continue;
    const v = obj[key];
    if (typeof v === 'string' && PAIR_NAME_KEYS.has(normaliseName(key)) && isSensitiveField(v)) return true;
  }
  return false;
}

function redactAny(value: unknown, tally: Tally): unknown {
  if (typeof value === 'string') return redactText(value, tally);
  if (!isContainer(value)) return value;
  const root: unknown = Array.isArray(value) ? [] : {};
  const stack: [object, object][] = [[value, root as object]];
  // A child: scalars are redacted now, containers get an empty copy filled when popped.
  const child = (v: unknown): unknown => {
    if (typeof v === 'string') return redactText(v, tally);
    if (!isContainer(v)) return v;
    const copy = Array.isArray(v) ? [] : {};
    stack.push([v, copy]);
    return copy;
  };
  while (stack.length > 0) {
    const [src, out] = stack.pop()!;
    if (Array.isArray(src)) {
      const list = out as unknown[];
      for (let i = 0; i < src.length; i++) list[i] = child(src[i]);
      continue;
    }
    const obj = src as Record<string, unknown>;
    const pair = isSensitivePair(obj);
    for (const [key, v] of Object.entries(obj)) {
      if (isSensitiveField(key) || (pair && normaliseName(key) === PAIR_VALUE_KEY)) {
        if (v !== REDACTED) tally.n++;
        put(out as Record<string, unknown>, key, REDACTED);
      } else {
        put(out as Record<string, unknown>, key, child(v));
      }
    }
  }
  return root;
}

/** Cheap test before the rules run: most strings hold none of these. */
const MAYBE_SECRET = /[=:@]|bearer|basic/i;
const HEADER_LINE = /^([ \t]*)([\p{L}\p{N}][\p{L}\p{N} _.-]{0,63}?)([ \t]*:[ \t]*)(\S[^\r\n]*)$/gmu;
const USER_INFO = /(\b[a-z][a-z0-9+.-]*:\/\/[^\s/?#@:]*:)([^\s/?#@]+)@/gi;
const BEARER = /\b(bearer)(\s+)([A-Za-z0-9\-._~+/]+=*)/gi;
const BASIC = /\b(basic)(\s+)([A-Za-z0-9+/]{2,}={0,2})(?![A-Za-z0-9+/=])/gi;
/** `name=value` after `?`, `&`, `#`, a space or at the start; after `;` (a path parameter) the value ends at `?`. */
const PARAM = /(^|[?&#\s])([^=&;#?\s]+)=([^&;#\s]*)|(;)([^=&;#?\s]+)=([^&;#?\s]*)/g;

function decodeName(raw: string): string {
  try {
    return decodeURIComponent(raw.replace(/\+/g, ' '));
  } catch {
    return raw;
  }
}

/** `user:password` as Basic credentials carry it: printable text with a colon. */
function isBasicCredential(b64: string): boolean {
  const text = Buffer.from(b64, 'base64').toString('utf8');
  if (!text.includes(':')) return false;
  for (const ch of text) {
    const code = ch.codePointAt(0)!;
    if (code < 0x20 || code === 0x7f || code === 0xfffd) return false;
  }
  return true;
}

function redactText(s: string, tally: Tally): string {
  const first = s.trimStart()[0];
  if (first === '{' || first === '[') {
    const json = redactJsonString(s, tally);
    if (json !== undefined) return json;
  }
  if (!MAYBE_SECRET.test(s)) return s;
  let out = s.replace(HEADER_LINE, (line, lead: string, name: string, sep: string, value: string) => {
    if (!isSensitiveField(name) || value === REDACTED) return line;
    tally.n++;
    return `${lead}${name}${sep}${REDACTED}`;
  });
  out = out.replace(USER_INFO, (m, head: string, password: string) => {
    if (password === REDACTED) return m;
    tally.n++;
    return `${head}${REDACTED}@`;
  });
  out = out.replace(BEARER, (m, scheme: string, space: string, token: string) => {
    if (token === REDACTED) return m;
    tally.n++;
    return `${scheme}${space}${REDACTED}`;
  });
  out = out.replace(BASIC, (m, scheme: string, space: string, b64: string) => {
    if (!isBasicCredential(b64)) return m;
    tally.n++;
    return `${scheme}${space}${REDACTED}`;
  });
  out = out.replace(PARAM, (m, ...groups: (string | undefined)[]) => {
    const [sep, name, value] = (
      groups[0] === undefined ? groups.slice(3, 6) : groups.slice(0, 3)
    ) as string[];
    if (!isSensitiveField(decodeName(name!)) || value === ENCODED_REDACTED) return m;
    tally.n++;
    return `${sep}${name}=${ENCODED_REDACTED}`;
  });
  return out;
}

/**
 * A string holding a JSON object or array, redacted as JSON and serialised again only when
 * something was redacted; undefined when the string is not such JSON.
 */
function redactJsonString(s: string, tally: Tally): string | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(s);
  } catch {
    return undefined;
  }
  if (!isContainer(parsed)) return undefined;
  // JSON.stringify recurses: a value this deep cannot be re-serialised safely, nor shown.
  if (tooDeep(parsed, MAX_JSON_DEPTH, 0, 1).length > 0) {
    tally.n++;
    return REDACTED;
  }
  // Nested JSON strings recurse here, one level per embedding; each level at least doubles
  // the escaping, so a 1 MB body cannot embed more than about 20.
  const inner: Tally = { n: 0 };
  const redacted = redactAny(parsed, inner);
  if (inner.n === 0) return s;
  tally.n += inner.n;
  return JSON.stringify(redacted);
}

/** Redacts every sensitive key, pair and string at any depth, through arrays too. Returns a new value. */
export function redactDeep(value: unknown): unknown {
  return redactAny(value, { n: 0 });
}

/** A string's credentials, URL passwords and sensitive parameters; JSON in it redacted as JSON. */
export function redactString(value: string): string {
  return redactText(value, { n: 0 });
}

export interface Change {
  field: string;
  before?: unknown;
  after?: unknown;
}

/**
 * A sensitive field's before and after both become `[REDACTED]` (when given); other values are
 * redacted deeply, since a change may carry an object with a secret inside.
 */
export function redactChanges<C extends Change>(changes: readonly C[]): C[] {
  return changes.map((c) => {
    const out: C = { ...c };
    if (isSensitiveField(c.field)) {
      if ('before' in c) out.before = REDACTED;
      if ('after' in c) out.after = REDACTED;
    } else {
      if ('before' in c) out.before = redactDeep(c.before);
      if ('after' in c) out.after = redactDeep(c.after);
    }
    return out;
  });
}

/** A request URL: user-info password and sensitive query, `;` and fragment parameters. */
export function redactUrl(url: string): string {
  return redactString(url);
}

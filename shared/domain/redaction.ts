// Redaction of secrets in audit entries. A field whose name contains password, secret, token,
// api key, credential, authorization or private key, ignoring case and separators
// (`clientSecret`, `x-api-key`, `accessToken`, `private_key`), keeps its key but its value becomes
// `"[REDACTED]"`. Applied before anything is stored, logged or exported.

export const REDACTED = '[REDACTED]';

const SENSITIVE = [
  'password',
  'passwd',
  'secret',
  'token',
  'apikey',
  'credential',
  'authorization',
  'privatekey',
];

export function isSensitiveField(name: string): boolean {
  const squashed = name.toLowerCase().replace(/[^a-z0-9]/g, '');
  return SENSITIVE.some((word) => squashed.includes(word));
}

/** Redacts every sensitive key at any depth, through arrays too. Returns a new value. */
export function redactDeep(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(redactDeep);
  if (value && typeof value === 'object') {
    // fromEntries defines own properties: a key named `__proto__` stays data, never a prototype.
    return Object.fromEntries(
      Object.entries(value as Record<string, unknown>).map(([k, v]) => [
        k,
        isSensitiveField(k) ? REDACTED : redactDeep(v),
      ]),
    );
  }
  return value;
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

/** Query parameters with sensitive names in a URL (`?access_token=…`) keep their name only. */
export function redactUrl(url: string): string {
  const q = url.indexOf('?');
  if (q < 0) return url;
  const hashAt = url.indexOf('#', q);
  const query = url.slice(q + 1, hashAt < 0 ? undefined : hashAt);
  const redacted = query
    .split('&')
    .map((pair) => {
      const eq = pair.indexOf('=');
      if (eq < 0) return pair;
      let name = pair.slice(0, eq);
      try {
        name = decodeURIComponent(name.replace(/\+/g, ' '));
      } catch {
        /* keep the raw name */
      }
      return isSensitiveField(name) ? `${pair.slice(0, eq)}=${encodeURIComponent(REDACTED)}` : pair;
    })
    .join('&');
  return `${url.slice(0, q)}?${redacted}${hashAt < 0 ? '' : url.slice(hashAt)}`;
}

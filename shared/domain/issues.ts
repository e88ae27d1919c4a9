import type { z } from 'zod';
import { type FieldError, ValidationError } from './errors.ts';

/** `['events', 3, 'actor', 'name']` → `events[3].actor.name` */
export function formatPath(path: ReadonlyArray<PropertyKey>, prefix = ''): string {
  let out = prefix;
  for (const part of path) {
    if (typeof part === 'number') out += `[${part}]`;
    else out += out ? `.${String(part)}` : String(part);
  }
  return out || '(root)';
}

export function issuesToFieldErrors(issues: ReadonlyArray<z.core.$ZodIssue>, prefix = ''): FieldError[] {
  const out: FieldError[] = [];
  for (const issue of issues) {
    // Unions report one nested issue list per branch; the caller wants the closest branch's paths.
    if (issue.code === 'invalid_union' && issue.errors.length > 0) {
      const best = [...issue.errors].sort((a, b) => a.length - b.length)[0] ?? [];
      const nested = best.map((i) => ({ ...i, path: [...issue.path, ...i.path] }));
      if (nested.length > 0) {
        out.push(...issuesToFieldErrors(nested as z.core.$ZodIssue[], prefix));
        continue;
      }
    }
    // Unknown fields arrive as one issue on their parent: name each field by its own path.
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) {
        out.push({ path: formatPath([...issue.path, key], prefix), message: 'is not a recognised field' });
      }
      continue;
    }
    out.push({ path: formatPath(issue.path, prefix), message: issue.message });
  }
  return out;
}

/**
 * Parse or throw a ValidationError naming every bad path. A key named `__proto__` (an own key, as
 * JSON.parse makes it) is named too: zod's records drop it silently, so a filter or field sent
 * under that name would otherwise vanish instead of being rejected.
 */
export function parseInput<S extends z.ZodType>(schema: S, value: unknown, prefix = ''): z.output<S> {
  const result = schema.safeParse(value);
  const strays = prototypeKeys(value);
  if (result.success && strays.length === 0) return result.data;
  const errors = result.success ? [] : issuesToFieldErrors(result.error.issues, prefix);
  for (const path of strays) {
    const named = formatPath(path, prefix);
    if (!errors.some((e) => e.path === named))
      errors.push({ path: named, message: 'is not a recognised field' });
  }
  throw new ValidationError(errors);
}

/**
 * Paths of own `__proto__` keys in nested objects, a few levels deep. Arrays are not entered:
 * their items (ingested events, directory records) are validated one by one, each naming its own
 * fields, and one stray key must not pre-empt those errors.
 */
function prototypeKeys(value: unknown, path: PropertyKey[] = [], out: PropertyKey[][] = []): PropertyKey[][] {
  if (path.length > 4 || !value || typeof value !== 'object' || Array.isArray(value)) return out;
  for (const [key, inner] of Object.entries(value)) {
    if (key === '__proto__') out.push([...path, key]);
    else prototypeKeys(inner, [...path, key], out);
  }
  return out;
}

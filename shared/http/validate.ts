import type { z } from 'zod';
import { type FieldError, ValidationError } from '../domain/errors.ts';

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

/** Parse or throw a ValidationError naming every bad path. */
export function parseInput<S extends z.ZodType>(schema: S, value: unknown, prefix = ''): z.output<S> {
  const result = schema.safeParse(value);
  if (!result.success) throw new ValidationError(issuesToFieldErrors(result.error.issues, prefix));
  return result.data;
}

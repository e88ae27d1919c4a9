import type { z } from 'zod';
import { issuesToFieldErrors } from '../shared/domain/issues.ts';

/**
 * A local route's JSON body parsed with its schema: the data, or the 400 problem answer naming
 * every bad field (the same shape for every `/_local/*` route).
 */
export function parseLocalBody<S extends z.ZodType>(
  schema: S,
  body: unknown,
): { data: z.infer<S> } | { error: { status: 400; body: Record<string, unknown> } } {
  const parsed = schema.safeParse(body ?? {});
  if (parsed.success) return { data: parsed.data };
  return {
    error: {
      status: 400,
      body: {
        title: 'Bad Request',
        detail: 'The body has invalid fields.',
        errors: issuesToFieldErrors(parsed.error.issues),
      },
    },
  };
}

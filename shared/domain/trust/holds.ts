import { z } from 'zod';

/**
 * Legal holds (API.md "Legal holds"): while an active hold covers an entry, the entry never
 * expires. A hold names people (it covers every entry where one of them is actor,
 * impersonator, subject or learner) or, without `personIds`, the whole tenant.
 */
export const MAX_HOLD_PERSONS = 100;

export const legalHoldInputSchema = z
  .object({
    name: z.string().trim().min(1).max(200).meta({ description: 'What the matter is called' }),
    reason: z.string().trim().min(1).max(2000).meta({ description: 'Why the entries must be kept' }),
    personIds: z
      .array(z.string().min(1).max(128))
      .min(1)
      .max(MAX_HOLD_PERSONS)
      .refine((ids) => new Set(ids).size === ids.length, { message: 'must not repeat an id' })
      .optional()
      .meta({
        description: `The people held (1–${MAX_HOLD_PERSONS}); without it the hold covers the whole tenant`,
      }),
  })
  .strict()
  .meta({ id: 'LegalHoldInput' });
export type LegalHoldInput = z.infer<typeof legalHoldInputSchema>;

export const legalHoldSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    reason: z.string(),
    personIds: z.array(z.string()).optional().meta({ description: 'Absent: the whole tenant is held' }),
    status: z.enum(['active', 'released']),
    createdAt: z.string(),
    createdBy: z.string().meta({ description: 'The user id of the owner who placed it' }),
    releasedAt: z.string().optional(),
    releasedBy: z.string().optional(),
  })
  .meta({ id: 'LegalHold' });
export type LegalHold = z.infer<typeof legalHoldSchema>;

/** What the active holds of a tenant cover: everything, or these people. */
export interface HoldCoverage {
  all: boolean;
  persons: ReadonlySet<string>;
}

export const NO_HOLD: HoldCoverage = { all: false, persons: new Set() };

export function coverageOf(holds: readonly LegalHold[]): HoldCoverage {
  const active = holds.filter((h) => h.status === 'active');
  if (active.some((h) => !h.personIds)) return { all: true, persons: new Set() };
  return { all: false, persons: new Set(active.flatMap((h) => h.personIds ?? [])) };
}

export function isHeld(coverage: HoldCoverage, persons: readonly (string | undefined)[]): boolean {
  if (coverage.all) return true;
  if (coverage.persons.size === 0) return false;
  return persons.some((p) => p !== undefined && coverage.persons.has(p));
}

/** Whether any active hold covers the person (a later erasure of a held person is refused). */
export function personHeld(holds: readonly LegalHold[], personId: string): boolean {
  return isHeld(coverageOf(holds), [personId]);
}

/** The people of an audit entry a hold can name: actor, impersonator, subject. */
export function auditPersons(e: {
  actor?: { id?: string };
  impersonator?: { id?: string };
  subject?: { id?: string };
}): (string | undefined)[] {
  return [e.actor?.id, e.impersonator?.id, e.subject?.id];
}

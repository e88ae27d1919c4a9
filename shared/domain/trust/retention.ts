import { z } from 'zod';
import { addMonths } from '../time.ts';

/**
 * Retention per tenant (API.md "Retention per tenant"): how many calendar months each log keeps
 * an entry. A tenant that never set one has the deployment's defaults (AUDIT_RETENTION_MONTHS,
 * ACTIVITY_RETENTION_MONTHS). Reads hide what is older than the current setting at once;
 * lengthening moves stored expiries out (the retime job, ./jobs.ts).
 */
export const AUDIT_MONTHS = { min: 1, max: 84 } as const;
export const ACTIVITY_MONTHS = { min: 1, max: 120 } as const;

export type TrustLog = 'audit' | 'activity';

export interface RetentionMonths {
  auditMonths: number;
  activityMonths: number;
}

export const retentionInputSchema = z
  .object({
    auditMonths: z
      .int()
      .min(AUDIT_MONTHS.min)
      .max(AUDIT_MONTHS.max)
      .optional()
      .meta({ description: `Months the audit log keeps an entry, ${AUDIT_MONTHS.min}–${AUDIT_MONTHS.max}` }),
    activityMonths: z
      .int()
      .min(ACTIVITY_MONTHS.min)
      .max(ACTIVITY_MONTHS.max)
      .optional()
      .meta({
        description: `Months the activity log keeps an entry, ${ACTIVITY_MONTHS.min}–${ACTIVITY_MONTHS.max}`,
      }),
  })
  .strict()
  .superRefine((v, ctx) => {
    if (v.auditMonths === undefined && v.activityMonths === undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['auditMonths'],
        message: 'give auditMonths, activityMonths or both',
      });
    }
  })
  .meta({ id: 'RetentionInput' });
export type RetentionInput = z.infer<typeof retentionInputSchema>;

export function monthsOf(r: RetentionMonths, log: TrustLog): number {
  return log === 'audit' ? r.auditMonths : r.activityMonths;
}

/** The oldest `occurredAt` (ISO, inclusive) the setting keeps at `now`. */
export function retentionStart(now: Date, months: number): string {
  return addMonths(now, -months).toISOString();
}

/** When an entry that occurred at `occurredAt` leaves retention under `months`: epoch seconds. */
export function expiryEpoch(occurredAt: string, months: number): number {
  return Math.floor(addMonths(new Date(occurredAt), months).getTime() / 1000);
}

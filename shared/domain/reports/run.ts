// A schedule's runs and their sends, as the run ledger stores them: one run per (report, period),
// one send per recipient of the run. The types come from these schemas.

import { z } from 'zod';

/** One file of a run: the rows of one effective view, shared by the recipients with that view. */
export const runFileSchema = z.object({
  /** The view's name (sharedView): `all`, or the managers whose trees bound the rows. */
  view: z.string(),
  exportId: z.string(),
  rowCount: z.number(),
  downloadUrl: z.string(),
  /** When the link stops working (UTC ISO); absent on files of runs made before it was kept. */
  expiresAt: z.string().optional(),
  /** The name the file is saved under, and its format. */
  fileName: z.string().optional(),
  format: z.enum(['csv', 'json']).optional(),
  from: z.string().optional(),
  to: z.string().optional(),
});
export type RunFile = z.infer<typeof runFileSchema>;

export const runKeySchema = z.object({
  tenantId: z.string(),
  reportId: z.string(),
  /** The start of the period the run covers (ISO): one run per (report, period). */
  periodStart: z.string(),
});
export type RunKey = z.infer<typeof runKeySchema>;

export const runRecordSchema = runKeySchema.extend({
  scheduledFor: z.string(),
  periodEnd: z.string(),
  status: z.enum(['running', 'complete']),
  /** `cancelled`: the schedule was removed or replaced between the claim and the run. */
  outcome: z.enum(['sent', 'failed', 'cancelled']).optional(),
  /**
   * Each claim or take-over counts one attempt and queues the run (`queued`); the worker that
   * starts it moves it to `started`, so a message delivered twice, or one left over from an
   * earlier attempt, never runs it a second time.
   */
  attempts: z.number().int(),
  phase: z.enum(['queued', 'started']).optional(),
  leaseUntil: z.string(),
  /** The files exported so far, one per effective view (a retry reuses them). */
  files: z.array(runFileSchema).optional(),
  /** Recipients not sent to, each with why (lost access, deactivated, gave up after failures). */
  skipped: z.array(z.object({ userId: z.string(), reason: z.string() })),
  error: z.string().optional(),
  updatedAt: z.string(),
});
export type RunRecord = z.infer<typeof runRecordSchema>;

export const sendRecordSchema = z.object({
  userId: z.string(),
  status: z.enum(['sending', 'sent', 'failed']),
  to: z.string().optional(),
  messageId: z.string().optional(),
  error: z.string().optional(),
  at: z.string(),
});
export type SendRecord = z.infer<typeof sendRecordSchema>;

import { type IngestAuditDeps, ingestAuditEvents } from '../audit/ingest.ts';
import type { AuditRecorder } from './ports.ts';

/**
 * Report events through the audit log's own ingest. An entry is stamped no later than now (a
 * local run "as if" at a later moment records when it really ran).
 */
export function auditRecorder(deps: IngestAuditDeps): AuditRecorder {
  return {
    record: async (events) => {
      const now = deps.clock.now().getTime();
      const stamped = events.map((e) => ({
        ...e,
        occurredAt: new Date(Math.min(Date.parse(e.occurredAt), now)).toISOString(),
      }));
      await ingestAuditEvents(deps, stamped);
    },
  };
}

import { describe, expect, it } from 'vitest';
import type { AuditEntry } from '../../../shared/domain/audit/schema.ts';
import { auditRecorder } from '../../../shared/use-cases/reports/audit-recorder.ts';
import { logFilters } from '../../../shared/use-cases/reports/log-filters.ts';

describe('report filters checked by the logs’ own schemas', () => {
  it('accepts the audit log’s filter names and range', () => {
    expect(
      logFilters.validate('audit', { action: 'Deleted,Created', objectType: 'Report', range: 'last7d' }),
    ).toEqual([]);
  });

  it('names unknown filters and bad values of either log', () => {
    const audit = logFilters.validate('audit', { colour: 'red', action: 'Exploded' }).map((e) => e.path);
    expect(audit).toContain('colour');
    expect(audit.some((p) => p.startsWith('action'))).toBe(true);
    const activity = logFilters.validate('activity', { completed: 'maybe', scope: 'team', teamId: 't1' });
    expect(activity.map((e) => e.path)).toEqual(['completed']);
  });
});

describe('report events recorded through the audit log’s ingest', () => {
  it('writes a Report entry stamped no later than now, idempotent by id', async () => {
    const stored: AuditEntry[] = [];
    const recorder = auditRecorder({
      store: {
        put: async (entry) => {
          if (stored.some((e) => e.id === entry.id)) return 'duplicate';
          stored.push(entry);
          return 'created';
        },
      },
      clock: { now: () => new Date('2026-05-11T06:00:00.000Z') },
      retentionMonths: 18,
    });
    const event = {
      id: 'report-run:r1:2026-05-10T00:00:00.000Z',
      tenantId: 'acme',
      occurredAt: '2026-05-12T06:00:00.000Z',
      actor: { type: 'system' as const, name: 'Report scheduler' },
      action: 'Generated' as const,
      object: { type: 'Report' as const, id: 'r1', name: 'Deletions' },
      source: { kind: 'scheduled_job' as const, name: 'Report scheduler' },
    };
    await recorder.record([event]);
    await recorder.record([event]);
    expect(stored).toHaveLength(1);
    expect(stored[0]).toMatchObject({
      id: event.id,
      occurredAt: '2026-05-11T06:00:00.000Z',
      action: 'Generated',
      object: { type: 'Report', id: 'r1' },
      source: { kind: 'scheduled_job' },
    });
  });

  it('knows the ReportSchedule object type', async () => {
    const stored: AuditEntry[] = [];
    const recorder = auditRecorder({
      store: {
        put: async (e) => {
          stored.push(e);
          return 'created';
        },
      },
      clock: { now: () => new Date('2026-05-11T06:00:00.000Z') },
      retentionMonths: 18,
    });
    await recorder.record([
      {
        tenantId: 'acme',
        occurredAt: '2026-05-11T05:00:00.000Z',
        actor: { type: 'user', id: 'u1', name: 'Una User' },
        action: 'Created',
        object: { type: 'ReportSchedule', id: 'r1', name: 'Deletions' },
        source: { kind: 'web' },
      },
    ]);
    expect(stored[0]?.object.type).toBe('ReportSchedule');
  });
});

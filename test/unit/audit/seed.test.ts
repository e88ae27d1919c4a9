import { describe, expect, it } from 'vitest';
import { demoAuditEvents } from '../../../local/seed/audit.ts';
import { ingestAuditEvents } from '../../../shared/use-cases/audit/ingest.ts';
import { InMemoryAuditStore } from './fakes.ts';

describe('the demo audit seed', () => {
  it('is valid, a few hundred entries over ~4 months, covering the scenarios admins look for', async () => {
    const now = new Date('2026-11-22T10:00:00.000Z');
    const store = new InMemoryAuditStore();
    const events = demoAuditEvents(now);
    for (let i = 0; i < events.length; i += 100) {
      await ingestAuditEvents(
        { store, clock: { now: () => now }, retentionMonths: 18 },
        events.slice(i, i + 100),
      );
    }
    const entries = [...store.entries.values()].map((v) => v.entry);
    expect(entries.length).toBe(events.length);
    expect(entries.length).toBeGreaterThan(250);
    const oldest = entries.map((e) => e.occurredAt).sort()[0]!;
    expect(Date.parse(oldest)).toBeLessThan(now.getTime() - 100 * 86_400_000);
    const byId = (id: string) => entries.find((e) => e.id === id)!;
    expect(byId('seed-impersonated-update').summary).toContain('while logged in as Leo Learner');
    expect(byId('seed-password-change').changes).toEqual([
      { field: 'password', before: '[REDACTED]', after: '[REDACTED]' },
    ]);
    expect(byId('seed-api-change')).toMatchObject({
      attribution: 'API (Workday Connector)',
      request: { status: 200 },
    });
    expect(byId('seed-marked-completed').subject?.id).toBe('u-leo');
    expect(entries.some((e) => e.attribution === 'CSV Import')).toBe(true);
    expect(entries.some((e) => e.attribution === 'Integration (BambooHR)')).toBe(true);
    expect(JSON.stringify(entries)).not.toMatch(/hunter2|wd_live|bhr-secret|lk_live/);
  });
});

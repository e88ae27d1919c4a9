import { describe, expect, it } from 'vitest';
import { attribution, summarise } from '../../../shared/domain/audit/describe.ts';
import type { AuditEventInput } from '../../../shared/domain/audit/schema.ts';

const base: AuditEventInput = {
  tenantId: 't',
  occurredAt: '2026-11-01T00:00:00.000Z',
  actor: { type: 'user', id: 'u-adam', name: 'Adam Admin' },
  action: 'Deleted',
  object: { type: 'Task', id: 'task-1', name: 'Onboarding checklist' },
  source: { kind: 'web' },
};

describe('summaries', () => {
  it('names actor, action and object', () => {
    expect(summarise(base)).toBe('Adam Admin deleted Task "Onboarding checklist"');
    expect(
      summarise({ ...base, action: 'PasswordChanged', object: { type: 'User', id: 'u1', name: 'Leo' } }),
    ).toBe('Adam Admin changed the password of User "Leo"');
    expect(summarise({ ...base, object: { type: 'OneToOne', id: 'o-9' } })).toBe(
      'Adam Admin deleted One-to-one o-9',
    );
  });

  it('says who was logged in as whom, and on whose behalf', () => {
    expect(
      summarise({
        ...base,
        actor: { type: 'user', id: 'u-leo', name: 'Leo' },
        impersonator: { id: 'a', name: 'Adam' },
      }),
    ).toBe('Adam while logged in as Leo deleted Task "Onboarding checklist"');
    expect(
      summarise({
        ...base,
        action: 'MarkedAsCompleted',
        object: { type: 'Item', id: 'i', name: 'Fire Safety' },
        subject: { id: 'u-leo', name: 'Leo Learner' },
      }),
    ).toBe('Adam Admin marked Item "Fire Safety" as completed on behalf of Leo Learner');
  });
});

describe('attribution', () => {
  it.each([
    [{ kind: 'web' }, 'Web'],
    [{ kind: 'bulk_invite' }, 'Bulk Invite'],
    [{ kind: 'csv_import' }, 'CSV Import'],
    [{ kind: 'webhook', name: 'Stripe' }, 'Webhook (Stripe)'],
    [{ kind: 'api', name: 'HR App' }, 'API (HR App)'],
    [{ kind: 'integration', name: 'BambooHR' }, 'Integration (BambooHR)'],
    [{ kind: 'scheduled_job' }, 'Scheduled job'],
    [{ kind: 'system' }, 'System'],
    [{ kind: 'api' }, 'API (Adam Admin)'],
  ] as const)('attributes %o as "%s"', (source, label) => {
    expect(attribution({ ...base, source: { ...source } })).toBe(label);
  });
});

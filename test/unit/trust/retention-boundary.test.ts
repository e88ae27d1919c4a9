import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../../shared/domain/errors.ts';
import { isPastRetention } from '../../../shared/domain/time.ts';
import { isVisible, visibilityOf } from '../../../shared/domain/trust/visibility.ts';
import { ingestActivityEvents } from '../../../shared/use-cases/activity/ingest.ts';
import { ingestAuditEvents } from '../../../shared/use-cases/audit/ingest.ts';
import { FakeActivityStore } from '../activity/fakes.ts';
import { InMemoryAuditStore } from '../audit/fakes.ts';

// The retention boundary (API.md "Retention per tenant": ingest checks "not older than the
// retention period"; reads hide what is older than the setting). Found by the timeline property
// test with seed 2009559004: an activity entry exactly 12 months old was accepted, yet a read at
// that instant hid it, since reads compared the stored TTL with `ttl > now` while the window is
// inclusive. An entry is now kept through the instant its retention ends, in both logs.

const NOW = new Date('2023-06-10T12:00:00.000Z');
const EXACTLY_12 = '2022-06-10T12:00:00.000Z';
const state = { retention: { auditMonths: 12, activityMonths: 12 }, holds: [] };
const trust = { state: async () => state };

describe('an entry exactly the retention period old', () => {
  it('is not past retention; a millisecond older is', () => {
    expect(isPastRetention(EXACTLY_12, 12, NOW)).toBe(false);
    expect(isPastRetention('2022-06-10T11:59:59.999Z', 12, NOW)).toBe(true);
    expect(isPastRetention('2022-06-10T12:00:00.001Z', 12, NOW)).toBe(false);
  });

  it('counts the calendar both ways at a month end (the TTL of an admitted entry never passed)', () => {
    // 31 Mar − 1 month is 28 Feb (clamped), but 28 Feb 13:00 + 1 month is 28 Mar: past already.
    const now = new Date('2023-03-31T12:00:00.000Z');
    expect(isPastRetention('2023-02-28T13:00:00.000Z', 1, now)).toBe(true);
    expect(isPastRetention('2023-03-01T12:00:00.000Z', 1, now)).toBe(false);
  });

  it('is accepted by activity ingest and returned by a read at the same instant', async () => {
    const store = new FakeActivityStore();
    const out = await ingestActivityEvents({ store, clock: { now: () => NOW }, retentionMonths: 84, trust }, [
      { id: 'e1', tenantId: 't1', userId: 'u1', action: 'LoggedIn', occurredAt: EXACTLY_12 },
    ]);
    expect(out.results).toEqual([{ id: 'e1', status: 'created' }]);
    const { ttl } = store.items.get('t1#e1')!;
    expect(isVisible(visibilityOf(state, 'activity', NOW), EXACTLY_12, ttl, ['u1'])).toBe(true);
    // One second later it is past retention by both bounds.
    const later = new Date(NOW.getTime() + 1000);
    expect(isVisible(visibilityOf(state, 'activity', later), EXACTLY_12, ttl, ['u1'])).toBe(false);
  });

  it('is accepted by audit ingest too (it answered 400 before), and an older one is not', async () => {
    const store = new InMemoryAuditStore();
    const event = (id: string, occurredAt: string) => ({
      id,
      tenantId: 't1',
      occurredAt,
      actor: { type: 'user', id: 'u1', name: 'Adam Admin' },
      action: 'Created',
      object: { type: 'Task', id: 'task-1', name: 'Checklist' },
      source: { kind: 'web' },
    });
    const deps = { store, clock: { now: () => NOW }, retentionMonths: 18, trust };
    const out = await ingestAuditEvents(deps, [event('a1', EXACTLY_12)]);
    expect(out.results).toEqual([{ id: 'a1', status: 'created' }]);
    const err = await ingestAuditEvents(deps, [event('a2', '2022-06-10T11:59:59.000Z')]).catch((e) => e);
    expect(err).toBeInstanceOf(ValidationError);
    expect((err as ValidationError).errors).toEqual([
      { path: 'events[0].occurredAt', message: 'is older than the retention period (12 months)' },
    ]);
  });
});

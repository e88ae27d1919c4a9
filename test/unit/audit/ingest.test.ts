import { beforeEach, describe, expect, it } from 'vitest';
import { demoAuditEvents } from '../../../local/seed/audit.ts';
import { attribution, summarise } from '../../../shared/domain/audit/describe.ts';
import { type AuditEntry, auditEventInputSchema } from '../../../shared/domain/audit/schema.ts';
import { ThrottledError, UnavailableError, ValidationError } from '../../../shared/domain/errors.ts';
import { redactChanges, redactDeep, redactUrl } from '../../../shared/domain/redaction.ts';
import { ingestAuditEvents, toEntry } from '../../../shared/use-cases/audit/ingest.ts';
import { InMemoryAuditStore } from './fakes.ts';

const NOW = new Date('2026-11-22T10:00:00.000Z');
let store: InMemoryAuditStore;
const deps = () => ({ store, clock: { now: () => NOW }, retentionMonths: 18, concurrency: 5 });

const event = (overrides: Record<string, unknown> = {}) => ({
  tenantId: 't1',
  occurredAt: '2026-11-22T09:00:00.000Z',
  actor: { type: 'user', id: 'u1', name: 'Adam Admin' },
  action: 'Created',
  object: { type: 'Task', id: 'task-1', name: 'Checklist' },
  source: { kind: 'web' },
  ...overrides,
});

async function rejection(p: Promise<unknown>): Promise<unknown> {
  try {
    await p;
  } catch (err) {
    return err;
  }
  throw new Error('expected a rejection');
}

beforeEach(() => {
  store = new InMemoryAuditStore();
});

describe('ingestAuditEvents', () => {
  it('stores redacted entries with summary, attribution, recordedAt and a TTL of 18 months', async () => {
    const out = await ingestAuditEvents(deps(), [
      event({
        id: 'e1',
        changes: [{ field: 'apiToken', before: 'a', after: 'b' }],
        details: { secret: 's' },
      }),
    ]);
    expect(out.results).toEqual([{ id: 'e1', status: 'created' }]);
    const stored = store.entries.get('t1#e1')!;
    expect(stored.entry).toMatchObject({
      id: 'e1',
      recordedAt: NOW.toISOString(),
      summary: 'Adam Admin created Task "Checklist"',
      attribution: 'Web',
      changes: [{ field: 'apiToken', before: '[REDACTED]', after: '[REDACTED]' }],
      details: { secret: '[REDACTED]' },
    });
    expect(stored.ttl).toBe(Date.parse('2028-05-22T09:00:00.000Z') / 1000);
  });

  it('assigns server ids to events without one', async () => {
    let n = 0;
    const out = await ingestAuditEvents({ ...deps(), newId: () => `gen-${++n}` }, [event(), event()]);
    expect(out.results.map((r) => r.id)).toEqual(['gen-1', 'gen-2']);
  });

  it('answers duplicate for a stored id and for a repeat within the batch, writing each id once', async () => {
    await ingestAuditEvents(deps(), [event({ id: 'a' })]);
    store.putCalls = 0;
    const out = await ingestAuditEvents(deps(), [
      event({ id: 'a', action: 'Deleted' }),
      event({ id: 'b' }),
      event({ id: 'b' }),
      event({ id: 'b', tenantId: 't2' }),
    ]);
    expect(out.results.map((r) => r.status)).toEqual(['duplicate', 'created', 'duplicate', 'created']);
    expect(store.putCalls).toBe(3);
    expect(store.entries.get('t1#a')!.entry.action).toBe('Created');
  });

  it('lists every bad path of every bad event and writes nothing', async () => {
    const err = await rejection(
      ingestAuditEvents(deps(), [
        event({ id: 'ok' }),
        event({ actor: { type: 'user' }, object: { type: 'Task' } }),
        event({ occurredAt: '2026-11-22T10:06:00.000Z' }),
        event({ occurredAt: '2025-05-22T09:00:00.000Z' }),
      ]),
    );
    expect(err).toBeInstanceOf(ValidationError);
    expect((err as ValidationError).errors.map((e) => e.path)).toEqual([
      'events[1].actor.name',
      'events[1].object.id',
      'events[2].occurredAt',
      'events[3].occurredAt',
    ]);
    expect(store.putCalls).toBe(0);
  });

  it('accepts an occurredAt up to 5 minutes ahead and just inside retention', async () => {
    const out = await ingestAuditEvents(deps(), [
      event({ id: 'future', occurredAt: '2026-11-22T10:05:00.000Z' }),
      event({ id: 'old', occurredAt: '2025-05-22T10:00:01.000Z' }),
    ]);
    expect(out.results.map((r) => r.status)).toEqual(['created', 'created']);
  });

  it('keeps at most the configured number of writes in flight', async () => {
    await ingestAuditEvents(
      deps(),
      Array.from({ length: 40 }, (_, i) => event({ id: `e${i}` })),
    );
    expect(store.entries.size).toBe(40);
    expect(store.maxInFlight).toBe(5);
  });

  it('fails the batch with 429 when a write is throttled, and stops starting new writes', async () => {
    store.failWith = (e) => (e.id === 'e3' ? new ThrottledError('busy') : undefined);
    const err = await rejection(
      ingestAuditEvents(
        deps(),
        Array.from({ length: 40 }, (_, i) => event({ id: `e${i}` })),
      ),
    );
    expect(err).toBeInstanceOf(ThrottledError);
    expect(store.putCalls).toBeLessThan(40);
  });

  it('prefers throttling over other failures so the caller backs off', async () => {
    store.failWith = (e) =>
      e.id === 'e0' ? new UnavailableError('down') : e.id === 'e1' ? new ThrottledError('busy') : undefined;
    const err = await rejection(ingestAuditEvents(deps(), [event({ id: 'e0' }), event({ id: 'e1' })]));
    expect(err).toBeInstanceOf(ThrottledError);
  });
});

describe('toEntry', () => {
  it('keeps every validated field but the input id, in order, then adds the derived ones and redacts', () => {
    const now = new Date('2026-11-22T10:00:00.000Z');
    for (const raw of demoAuditEvents(now)) {
      const input = auditEventInputSchema.parse(raw);
      const { id: _ignored, changes, details, request, ...rest } = input;
      const expected: AuditEntry = {
        ...rest,
        id: 'x1',
        recordedAt: 'r',
        summary: summarise(input),
        attribution: attribution(input),
      };
      if (request) expected.request = { ...request, url: redactUrl(request.url) };
      if (changes) expected.changes = redactChanges(changes);
      if (details) expected.details = redactDeep(details) as Record<string, unknown>;
      const entry = toEntry(input, 'x1', 'r');
      expect(entry).toStrictEqual(expected);
      expect(Object.keys(entry)).toEqual(Object.keys(expected));
    }
  });
});

import { beforeEach, describe, expect, it } from 'vitest';
import { demoActivity } from '../../../local/seed/activity.ts';
import { activityEventInputSchema, COMPLETION_ACTIONS } from '../../../shared/domain/activity/event.ts';
import { ThrottledError, ValidationError } from '../../../shared/domain/errors.ts';
import { addMonths, retentionEndEpoch } from '../../../shared/domain/time.ts';
import { ingestActivityEvents, toStored } from '../../../shared/use-cases/activity/ingest.ts';
import { FakeActivityStore } from './fakes.ts';

const now = new Date('2026-11-22T10:00:00.000Z');
let store: FakeActivityStore;
const deps = () => ({
  store,
  clock: { now: () => now },
  retentionMonths: 84,
  newId: () => '01JZZZZZZZZZZZZZZZZZZZZZZZ',
});
const ev = (extra: Record<string, unknown> = {}) => ({
  id: 'e1',
  tenantId: 't1',
  occurredAt: '2026-11-22T09:00:00+02:00',
  userId: 'u1',
  action: 'Watched',
  content: { type: 'Item', id: 'c1', title: 'Intro', contentType: 'Video' },
  ...extra,
});

beforeEach(() => {
  store = new FakeActivityStore();
});

describe('ingestActivityEvents', () => {
  it('stores each event normalised to UTC with recordedAt, derived completion and a TTL', async () => {
    const out = await ingestActivityEvents(deps(), [ev(), ev({ id: 'e2', action: 'Started' })]);
    expect(out.results).toEqual([
      { id: 'e1', status: 'created' },
      { id: 'e2', status: 'created' },
    ]);
    const stored = store.items.get('t1#e1')!;
    expect(stored.entry).toMatchObject({
      occurredAt: '2026-11-22T07:00:00.000Z',
      recordedAt: now.toISOString(),
      completed: true,
    });
    expect(store.items.get('t1#e2')!.entry.completed).toBe(false);
    expect(stored.ttl).toBe(Date.parse('2033-11-22T07:00:00.000Z') / 1000);
  });

  it('keeps an explicit completed flag', async () => {
    await ingestActivityEvents(deps(), [ev({ completed: false })]);
    expect(store.items.get('t1#e1')!.entry.completed).toBe(false);
  });

  it('answers duplicate for a stored id and does not overwrite it', async () => {
    await ingestActivityEvents(deps(), [ev()]);
    const out = await ingestActivityEvents(deps(), [ev({ action: 'Clicked' })]);
    expect(out.results).toEqual([{ id: 'e1', status: 'duplicate' }]);
    expect(store.items.get('t1#e1')!.entry.action).toBe('Watched');
  });

  it('writes an id repeated in one batch once, and the same id for two tenants twice', async () => {
    const out = await ingestActivityEvents(deps(), [ev(), ev(), ev({ tenantId: 't2' })]);
    expect(out.results.map((r) => r.status)).toEqual(['created', 'duplicate', 'created']);
  });

  it('assigns an id when none is given', async () => {
    const { id: _id, ...noId } = ev();
    const out = await ingestActivityEvents(deps(), [noId]);
    expect(out.results).toEqual([{ id: '01JZZZZZZZZZZZZZZZZZZZZZZZ', status: 'created' }]);
  });

  it('rejects the whole batch naming every bad path, and writes nothing', async () => {
    const err = await ingestActivityEvents(deps(), [
      ev(),
      ev({ userId: '', result: { outcome: 'passed', scorePercent: 101 } }),
      ev({ occurredAt: '2026-11-22T10:06:00Z', device: 'tv' }),
      ev({ occurredAt: '2018-01-01T00:00:00Z' }),
    ]).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ValidationError);
    expect((err as ValidationError).errors.map((e) => e.path)).toEqual([
      'events[1].userId',
      'events[1].result.scorePercent',
      'events[2].device',
      'events[2].occurredAt',
      'events[3].occurredAt',
    ]);
    expect(store.items.size).toBe(0);
  });

  it('fails the batch when the store fails', async () => {
    store.failWith = new ThrottledError('busy');
    await expect(ingestActivityEvents(deps(), [ev()])).rejects.toBeInstanceOf(ThrottledError);
  });
});

describe('calendar months', () => {
  it('clamps to the last day of a shorter month', () => {
    expect(addMonths(new Date('2026-05-31T12:00:00Z'), -3).toISOString()).toBe('2026-02-28T12:00:00.000Z');
    expect(addMonths(new Date('2024-02-29T00:00:00Z'), 12).toISOString()).toBe('2025-02-28T00:00:00.000Z');
  });
  it('computes the TTL as occurredAt plus the retention', () => {
    expect(retentionEndEpoch('2026-01-15T00:00:00.000Z', 84)).toBe(
      Date.parse('2033-01-15T00:00:00.000Z') / 1000,
    );
  });
});

describe('toStored', () => {
  it('keeps every validated field but the input id, in order, with id, recordedAt and completion', () => {
    const now = new Date('2026-11-22T10:00:00.000Z');
    for (const raw of demoActivity(now, 400)) {
      const input = activityEventInputSchema.parse(raw);
      const { id: _ignored, completed, ...rest } = input;
      const expected = {
        ...rest,
        id: 'x1',
        recordedAt: 'r',
        completed: completed ?? COMPLETION_ACTIONS.has(input.action),
      };
      const stored = toStored(input, 'x1', 'r');
      expect(stored).toStrictEqual(expected);
      expect(Object.keys(stored)).toEqual(Object.keys(expected));
    }
  });
});

describe('ingestActivityEvents, all or nothing', () => {
  it('gives an event without an id the same id when the batch is sent again, so a retry stores it once', async () => {
    const batch = [ev({ id: undefined }), ev({ id: undefined, action: 'Started' })];
    const d = { store, clock: { now: () => now }, retentionMonths: 84 };
    const first = await ingestActivityEvents(d, batch);
    const again = await ingestActivityEvents(
      { ...d, clock: { now: () => new Date(now.getTime() + 60_000) } },
      batch,
    );
    expect(again.results.map((r) => r.id)).toEqual(first.results.map((r) => r.id));
    expect(first.results.map((r) => r.status)).toEqual(['created', 'created']);
    expect(again.results.map((r) => r.status)).toEqual(['duplicate', 'duplicate']);
    expect(first.results[0]!.id).toMatch(/^[0-9A-HJKMNP-TV-Z]{26}$/);
    expect(first.results[0]!.id).not.toBe(first.results[1]!.id);
  });

  it('rejects a number DynamoDB would refuse (underflow) before writing anything', async () => {
    await expect(
      ingestActivityEvents(deps(), [
        ev({ id: 'ok' }),
        ev({ id: 'tiny', result: { outcome: 'passed', scorePercent: 1e-200 } }),
      ]),
    ).rejects.toMatchObject({
      errors: [
        { path: 'events[1].result.scorePercent', message: 'must be 0 or at least 1e-130 in magnitude' },
      ],
    });
    expect(store.items.size).toBe(0);
  });
});

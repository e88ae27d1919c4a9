import { describe, expect, it } from 'vitest';
import type { ErasureRecord } from '../../../shared/domain/trust/erasure.ts';
import type { LegalHold } from '../../../shared/domain/trust/holds.ts';
import { type ErasureWorkerDeps, runErasureTask } from '../../../shared/use-cases/trust/erasure.ts';

/** The erasure job's steps over fakes: resumable pages, the wait for key caches, a hold that blocks it. */
function harness(keyCacheSeconds: number) {
  let now = Date.parse('2026-12-03T10:00:00.000Z');
  const records = new Map<string, ErasureRecord>();
  const queued: { delay?: number }[] = [];
  const holds: LegalHold[] = [];
  const destroyed: string[] = [];
  const record: ErasureRecord = {
    tenantId: 't1',
    id: 'E1',
    personId: 'p1',
    status: 'pending',
    phase: 'audit',
    stream: 0,
    shard: 0,
    auditEntries: 0,
    activityEntries: 0,
    requestedAt: new Date(now).toISOString(),
    updatedAt: new Date(now).toISOString(),
  };
  records.set('E1', record);
  const deps: ErasureWorkerDeps = {
    store: {
      putErasure: async (r) => void records.set(r.id, structuredClone(r)),
      getErasure: async (_t, id) => structuredClone(records.get(id) ?? null),
    },
    holds: async () => holds,
    queue: { enqueue: async (_task, delay) => void queued.push({ delay }) },
    clock: { now: () => new Date(now) },
    pagesPerStep: 1,
    targets: {
      keyCacheSeconds,
      shards: () => 2,
      // Two pages in the actor stream, one in every other (and per impersonator shard).
      auditPage: async (_t, _p, stream, _shard, after) =>
        stream === 'actor' && !after ? { changed: 3, after: { k: 1 } } : { changed: 1 },
      activityPage: async () => ({ count: 4 }),
      destroyKey: async (_t, p) => void destroyed.push(p),
      tombstone: async () => {},
    },
  };
  return {
    deps,
    records,
    queued,
    holds,
    destroyed,
    advance: (s: number) => {
      now += s * 1000;
    },
  };
}

describe('the erasure job', () => {
  it('walks every stream in checkpointed steps, destroys the key, and is done only after the key cache age', async () => {
    const h = harness(300);
    const task = { tenantId: 't1', erasureId: 'E1' };
    const outcomes: string[] = [];
    for (let i = 0; i < 20; i++) {
      const out = await runErasureTask(h.deps, task);
      outcomes.push(out);
      if (out !== 'more') break;
    }
    // actor ×2, subject, object, impersonator ×2 shards, activity, keys, then the wait.
    expect(outcomes).toEqual(['more', 'more', 'more', 'more', 'more', 'more', 'more', 'more', 'waiting']);
    expect(h.destroyed).toEqual(['p1']);
    expect(h.queued.at(-1)).toEqual({ delay: 300 });
    expect(h.records.get('E1')).toMatchObject({ status: 'pending', auditEntries: 8, activityEntries: 4 });
    h.advance(299);
    expect(await runErasureTask(h.deps, task)).toBe('waiting');
    h.advance(1);
    expect(await runErasureTask(h.deps, task)).toBe('done');
    expect(h.records.get('E1')).toMatchObject({ status: 'done', phase: 'done' });
    // A redelivered message changes nothing.
    expect(await runErasureTask(h.deps, task)).toBe('done');
    expect(h.destroyed).toEqual(['p1']);
  });

  it('stops, blocked, when a hold placed meanwhile covers the person, before destroying anything', async () => {
    const h = harness(0);
    const task = { tenantId: 't1', erasureId: 'E1' };
    expect(await runErasureTask(h.deps, task)).toBe('more');
    h.holds.push({
      id: 'H1',
      name: 'case',
      reason: 'r',
      personIds: ['p1'],
      status: 'active',
      createdAt: '2026-12-03T10:00:00.000Z',
      createdBy: 'o',
    });
    expect(await runErasureTask(h.deps, task)).toBe('blocked');
    expect(h.records.get('E1')?.status).toBe('blocked');
    expect(h.destroyed).toEqual([]);
  });
});

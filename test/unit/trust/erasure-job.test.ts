import { describe, expect, it } from 'vitest';
import { type ErasureRecord, erasureCovers } from '../../../shared/domain/trust/erasure.ts';
import type { LegalHold } from '../../../shared/domain/trust/holds.ts';
import { type ErasureWorkerDeps, runErasureTask } from '../../../shared/use-cases/trust/erasure.ts';

/**
 * The erasure job's steps over fakes: a key store with versions, a writer with a key cache, the
 * person's stored entries (each sealed under a version), a clock and a queue. Resumable pages, the
 * two waits for key caches, the order retire → wait → walk → destroy → wait → done, a hold that
 * blocks it.
 */
function harness(
  keyCacheSeconds: number,
  { phase = 'retire', key = 'v1' }: { phase?: ErasureRecord['phase']; key?: string | null } = {},
) {
  let now = Date.parse('2026-12-03T10:00:00.000Z');
  const records = new Map<string, ErasureRecord>();
  const queued: { delay?: number }[] = [];
  const holds: LegalHold[] = [];
  const destroyed: string[] = [];
  const log: string[] = [];
  // The key store: the current version, the retired ones (readable until destroyed).
  let current: string | null = key;
  let versions = 1;
  const retired = new Set<string>();
  // A writer process's cache: the version it looked up, and when.
  let cache: { version: string; at: number } | undefined;
  const writerKey = () => {
    if (!cache || now - cache.at >= keyCacheSeconds * 1000) {
      if (current === null) current = `v${++versions}`;
      cache = { version: current, at: now };
    }
    return cache.version;
  };
  // The person's entries: the version their fields are sealed under, and whether committed.
  const entries = new Map<string, { k: string; committed: boolean }>();
  const write = (id: string) => entries.set(id, { k: writerKey(), committed: false });
  if (key !== null) for (const id of ['before-1', 'before-2', 'before-3']) write(id);
  const record: ErasureRecord = {
    tenantId: 't1',
    id: 'E1',
    personId: 'p1',
    status: 'pending',
    phase,
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
      putErasure: async (r, previous) => {
        if (previous !== undefined && records.get(r.id)?.updatedAt !== previous) return false;
        records.set(r.id, structuredClone(r));
        return true;
      },
      getErasure: async (_t, id) => structuredClone(records.get(id) ?? null),
      erasuresOf: async () => structuredClone([...records.values()]),
    },
    holds: async () => holds,
    queue: { enqueue: async (_task, delay) => void queued.push({ delay }) },
    clock: { now: () => new Date(now) },
    pagesPerStep: 1,
    targets: {
      keyCacheSeconds,
      shards: () => 2,
      keyVersion: async () => {
        log.push('version');
        return current;
      },
      retireKey: async (_t, _p, version) => {
        log.push(`retire ${version}`);
        if (current === version) {
          retired.add(version);
          current = null;
        }
      },
      // The actor stream walks every entry (two pages); the other streams find nothing new.
      auditPage: async (_t, p, versions, stream, _shard, after) => {
        log.push(`walk ${stream}`);
        let changed = 0;
        if (stream === 'actor') {
          for (const e of entries.values()) {
            const stored = { pd: [{ p, k: e.k }] };
            if (e.committed || !erasureCovers(stored, p, versions)) continue;
            e.committed = true;
            changed += 1;
          }
        }
        return stream === 'actor' && !after ? { changed, after: { k: 1 } } : { changed };
      },
      activityPage: async () => ({ count: 4 }),
      destroyKey: async (_t, _p, version) => {
        log.push(`destroy ${version}`);
        destroyed.push(String(version));
        if (version) retired.delete(version);
      },
      tombstone: async () => void log.push('tombstone'),
    },
  };
  const task = { tenantId: 't1', erasureId: 'E1' };
  return {
    deps,
    task,
    records,
    queued,
    holds,
    destroyed,
    entries,
    log,
    write,
    retired,
    step: async () => {
      const out = await runErasureTask(deps, task);
      log.push(out);
      return out;
    },
    advance: (s: number) => {
      now += s * 1000;
    },
  };
}

/** An active legal hold naming the harness's person. */
const holdOnP1 = (): LegalHold => ({
  id: 'H1',
  name: 'case',
  reason: 'r',
  personIds: ['p1'],
  status: 'active',
  createdAt: '2026-12-03T10:00:00.000Z',
  createdBy: 'o',
});

describe('the erasure job', () => {
  it('stops a second copy of a step that loaded the record before the first checkpointed, writing nothing', async () => {
    const h = harness(300);
    // A redelivered (or re-queued) copy loaded the record before the version was noted…
    const stale = structuredClone(h.records.get('E1')!);
    h.advance(1);
    expect(await h.step()).toBe('more'); // notes v1
    h.advance(1);
    expect(await h.step()).toBe('more'); // retires v1
    h.write('after-retire'); // a writer makes v2
    h.advance(1);
    // …and runs late: it would note v2 and walk and destroy that instead of v1.
    const late = { ...h.deps, store: { ...h.deps.store, getErasure: async () => structuredClone(stale) } };
    expect(await runErasureTask(late, h.task)).toBe('superseded');
    expect(h.records.get('E1')).toMatchObject({ keyVersion: 'v1', phase: 'settle' });
    expect([...h.retired]).toEqual(['v1']);
  });

  it('retires the key, waits out writers’ caches, walks, destroys, waits out readers’ caches, then is done', async () => {
    const h = harness(300);
    expect(await h.step()).toBe('more'); // notes the version
    expect(await h.step()).toBe('more'); // retires it
    expect(h.records.get('E1')).toMatchObject({ phase: 'settle', keyVersion: 'v1' });
    expect(await h.step()).toBe('waiting');
    expect(h.queued.at(-1)).toEqual({ delay: 300 });
    // During the first wait: a writer whose cache still holds v1 seals under it; once its cache
    // expired, it gets a new version (the person "after the erasure").
    h.advance(120);
    h.write('stale-writer');
    expect(await h.step()).toBe('waiting');
    expect(h.queued.at(-1)).toEqual({ delay: 180 });
    h.advance(180);
    h.write('fresh-writer');
    for (let i = 0; i < 20 && (await h.step()) === 'more'; i++);
    h.advance(300);
    expect(await h.step()).toBe('done');
    expect(h.log.filter((l) => !['more', 'waiting', 'done'].includes(l))).toEqual([
      'version',
      'retire v1',
      'walk actor',
      'walk actor',
      'walk subject',
      'walk object',
      'walk impersonator',
      'walk impersonator',
      'destroy v1',
      'tombstone',
    ]);
    // Both waits precede what they protect: the walk starts after the first, done after the second.
    const firstWalk = h.log.indexOf('walk actor');
    expect(h.log.slice(h.log.indexOf('retire v1'), firstWalk)).toContain('waiting');
    expect(h.log.slice(h.log.indexOf('tombstone'), h.log.lastIndexOf('done'))).toContain('waiting');
    expect(h.entries.get('stale-writer')).toEqual({ k: 'v1', committed: true });
    expect(h.entries.get('fresh-writer')).toEqual({ k: 'v2', committed: false });
    expect([...h.entries.values()].filter((e) => e.k === 'v1').every((e) => e.committed)).toBe(true);
    expect(h.retired.size).toBe(0);
    expect(h.records.get('E1')).toMatchObject({
      status: 'done',
      phase: 'done',
      auditEntries: 4,
      activityEntries: 4,
    });
    // A redelivered message changes nothing.
    expect(await h.step()).toBe('done');
    expect(h.destroyed).toEqual(['v1']);
  });

  it('retires the version it noted, never a newer one, when the retiring step is repeated', async () => {
    const h = harness(0);
    await h.step();
    // The step that retires runs twice (a redelivered message): the same version both times.
    const noted = structuredClone(h.records.get('E1')!);
    await h.step();
    h.write('after-retirement');
    h.records.set('E1', noted);
    await h.step();
    expect(h.log.filter((l) => l.startsWith('retire'))).toEqual(['retire v1', 'retire v1']);
    for (let i = 0; i < 20 && (await h.step()) === 'more'; i++);
    expect(h.entries.get('after-retirement')).toEqual({ k: 'v2', committed: false });
    expect(h.destroyed).toEqual(['v1']);
  });

  it('retires nothing and destroys nothing when the person has no key', async () => {
    const h = harness(0, { key: null });
    for (let i = 0; i < 20 && (await h.step()) === 'more'; i++);
    expect(h.records.get('E1')).toMatchObject({ status: 'done', keyVersion: null });
    expect(h.log.filter((l) => /^(retire|destroy)/.test(l))).toEqual([]);
  });

  it('finishes an erasure requested before retirement existed the old way: every version, the current key', async () => {
    const h = harness(0, { phase: 'audit' });
    for (let i = 0; i < 20 && (await h.step()) === 'more'; i++);
    expect(h.log).not.toContain('version');
    expect(h.destroyed).toEqual(['undefined']);
    expect([...h.entries.values()].every((e) => e.committed)).toBe(true);
  });

  it('erases, when asked again after a hold, what an erasure blocked after retiring left readable', async () => {
    const h = harness(0);
    await h.step();
    await h.step();
    expect(h.retired.has('v1')).toBe(true);
    const hold = holdOnP1();
    h.holds.push(hold);
    expect(await h.step()).toBe('blocked');
    // Held: the person's entries stay readable, new ones go under a new version.
    h.write('while-held');
    hold.status = 'released';
    h.records.set('E2', {
      ...structuredClone(h.records.get('E1')!),
      id: 'E2',
      status: 'pending',
      phase: 'retire',
    });
    delete h.records.get('E2')!.keyVersion;
    const e2 = { tenantId: 't1', erasureId: 'E2' };
    for (let i = 0; i < 20 && (await runErasureTask(h.deps, e2)) !== 'done'; i++);
    expect(h.records.get('E2')).toMatchObject({ status: 'done', keyVersion: 'v2', retiredBefore: ['v1'] });
    expect([...h.entries.values()].every((e) => e.committed)).toBe(true);
    expect(h.destroyed).toEqual(['v2', 'v1']);
    expect(h.retired.size).toBe(0);
  });

  it('stops, blocked, when a hold placed meanwhile covers the person, before destroying anything', async () => {
    const h = harness(0);
    expect(await h.step()).toBe('more');
    h.holds.push(holdOnP1());
    expect(await h.step()).toBe('blocked');
    expect(h.records.get('E1')?.status).toBe('blocked');
    expect(h.destroyed).toEqual([]);
  });
});

import { beforeEach, describe, expect, it } from 'vitest';
import { isOverdue, OVERDUE_ERROR, openSince } from '../../../shared/domain/exports/deadlines.ts';
import { executeExport } from '../../../shared/use-cases/exports/execute.ts';
import { getExport } from '../../../shared/use-cases/exports/get.ts';
import type { OpenExports } from '../../../shared/use-cases/exports/ports.ts';
import { requestExport } from '../../../shared/use-cases/exports/request.ts';
import { sweepStuckExports } from '../../../shared/use-cases/exports/sweep.ts';
import { activityEntry, caller, type MemoryExportStore, makeDeps } from './fakes.ts';

/** The open jobs as the store's index would list them (status and since, oldest first). */
function openIndex(store: MemoryExportStore): OpenExports & { stale: Set<string> } {
  const stale = new Set<string>();
  return {
    stale,
    async listOpen(status, before, limit) {
      return [...store.jobs.values()]
        .filter(
          (j) => (j.status === status || stale.has(j.id)) && Date.parse(openSince(j)) < before.getTime(),
        )
        .sort((a, b) => openSince(a).localeCompare(openSince(b)))
        .slice(0, limit)
        .map((j) => ({ tenantId: j.tenantId, id: j.id }));
    },
  };
}

let deps: ReturnType<typeof makeDeps>;
let sweepDeps: Parameters<typeof sweepStuckExports>[0];
let index: ReturnType<typeof openIndex>;
beforeEach(() => {
  deps = makeDeps();
  index = openIndex(deps.store);
  sweepDeps = { store: deps.store, open: index, clock: deps.clock };
});

const activityCsv = { log: 'activity', format: 'csv', filters: {} } as const;
const minutes = (n: number) => new Date(Date.parse('2026-11-22T10:00:00.000Z') + n * 60_000);

describe('the export sweeper', () => {
  it('marks a job whose run died (running past 20 minutes) failed, with a reason', async () => {
    const { id } = await requestExport(deps, caller('hr'), activityCsv);
    await deps.store.transition('t1', id, ['queued'], 'running', { startedAt: minutes(1).toISOString() });
    deps.clock.at = minutes(20);
    expect(await sweepStuckExports(sweepDeps)).toEqual({ failed: [], skipped: 0 });
    deps.clock.at = minutes(21.5);
    const out = await sweepStuckExports(sweepDeps);
    expect(out.failed).toEqual([{ tenantId: 't1', id, was: 'running' }]);
    const job = await deps.store.get('t1', id);
    expect(job).toMatchObject({
      status: 'failed',
      error: OVERDUE_ERROR,
      finishedAt: minutes(21.5).toISOString(),
    });
    expect(job?.fileKey).toBeUndefined();
    expect((await getExport(deps, caller('hr'), id)).status).toBe('failed');
  });

  it('marks a job never claimed (queued past the event age plus margin) failed', async () => {
    const { id } = await requestExport(deps, caller('hr'), activityCsv);
    deps.clock.at = minutes(19);
    expect((await sweepStuckExports(sweepDeps)).failed).toEqual([]);
    deps.clock.at = minutes(21);
    expect((await sweepStuckExports(sweepDeps)).failed).toEqual([{ tenantId: 't1', id, was: 'queued' }]);
    expect((await deps.store.get('t1', id))?.status).toBe('failed');
    // A late worker finds nothing to do: no file is ever written for it.
    expect(await executeExport(deps, { tenantId: 't1', exportId: id })).toMatchObject({ status: 'skipped' });
    expect(deps.files.objects.size).toBe(0);
  });

  it('leaves finished jobs and jobs that moved on alone (the index may lag)', async () => {
    deps.sources.activityEntries = [activityEntry(1)];
    const done = await requestExport(deps, caller('hr'), activityCsv);
    await executeExport(deps, { tenantId: 't1', exportId: done.id });
    const claimed = await requestExport(deps, caller('hr'), activityCsv);
    await deps.store.transition('t1', claimed.id, ['queued'], 'running', {
      startedAt: minutes(15).toISOString(),
    });
    // A lagging index still lists both as queued.
    index.stale.add(done.id).add(claimed.id);
    deps.clock.at = minutes(25);
    const out = await sweepStuckExports(sweepDeps);
    expect(out.failed).toEqual([]);
    expect(out.skipped).toBe(2);
    expect((await deps.store.get('t1', done.id))?.status).toBe('succeeded');
    expect((await deps.store.get('t1', claimed.id))?.status).toBe('running');
  });

  it('loses to a run that finishes between its read and its write', async () => {
    deps.sources.activityEntries = [activityEntry(1)];
    const { id } = await requestExport(deps, caller('hr'), activityCsv);
    await deps.store.transition('t1', id, ['queued'], 'running', { startedAt: minutes(0).toISOString() });
    deps.clock.at = minutes(30);
    const store = deps.store;
    const racing = {
      get: store.get.bind(store),
      transition: async (...args: Parameters<typeof store.transition>) => {
        await store.transition('t1', id, ['running'], 'succeeded', { fileKey: 'k', rowCount: 1 });
        return store.transition(...args);
      },
    };
    const out = await sweepStuckExports({ ...sweepDeps, store: racing });
    expect(out).toEqual({ failed: [], skipped: 1 });
    expect((await store.get('t1', id))?.status).toBe('succeeded');
  });

  it('agrees with GET /v1/exports/{id}: what the view calls overdue is what it sweeps', () => {
    const job = {
      status: 'running' as const,
      createdAt: minutes(0).toISOString(),
      startedAt: minutes(10).toISOString(),
    };
    expect(isOverdue(job, minutes(30))).toBe(false);
    expect(isOverdue(job, minutes(30.01))).toBe(true);
    expect(isOverdue({ ...job, status: 'queued' }, minutes(20.01))).toBe(true);
    expect(isOverdue({ ...job, status: 'succeeded' }, minutes(600))).toBe(false);
  });
});

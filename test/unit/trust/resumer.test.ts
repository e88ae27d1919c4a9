import { describe, expect, it } from 'vitest';
import {
  type ErasureRecord,
  type ErasureTask,
  erasureResumeAt,
} from '../../../shared/domain/trust/erasure.ts';
import type { ExpiryTask } from '../../../shared/domain/trust/jobs.ts';
import { resumeStalledJobs } from '../../../shared/use-cases/trust/resumer.ts';

const NOW = new Date(Date.UTC(2030, 0, 1, 12));
const ago = (minutes: number) => new Date(NOW.getTime() - minutes * 60_000).toISOString();

function erasure(id: string, patch: Partial<ErasureRecord>): ErasureRecord {
  return {
    tenantId: 't1',
    id,
    personId: 'p1',
    status: 'pending',
    phase: 'audit',
    stream: 0,
    shard: 0,
    auditEntries: 0,
    activityEntries: 0,
    requestedAt: ago(60),
    updatedAt: ago(60),
    ...patch,
  };
}

describe('the resumer', () => {
  it('re-queues the running expiry jobs whose checkpoint is older than the stale bound', async () => {
    const queued: ExpiryTask[] = [];
    let asked = '';
    const n = await resumeStalledJobs(
      {
        expiry: {
          stalled: async (before) => {
            asked = before;
            return [{ tenantId: 't1', jobId: 'j1' }];
          },
          queue: { enqueue: async (task) => void queued.push(task) },
        },
        erasure: { stalled: async () => [], queue: { enqueue: async () => {} } },
        clock: { now: () => NOW },
      },
      15 * 60,
    );
    expect(n).toEqual({ expiry: 1, erasure: 0 });
    expect(asked).toBe(ago(15));
    expect(queued).toEqual([{ tenantId: 't1', jobId: 'j1' }]);
  });

  it('re-queues a stalled pending erasure, not a fresh one, a done or blocked one, or one still waiting', async () => {
    const records = [
      erasure('stalled', {}),
      erasure('fresh', { updatedAt: ago(2) }),
      erasure('done', { status: 'done', phase: 'done', completedAt: ago(50) }),
      erasure('blocked', { status: 'blocked' }),
      // Waiting out key caches until 10 minutes from now: its delayed message is not lost yet.
      erasure('waiting', { phase: 'settle', waitUntil: ago(-10) }),
      // Its wait ended 20 minutes ago and nothing moved: the delayed message was lost.
      erasure('lost-wait', { phase: 'wait', updatedAt: ago(40), waitUntil: ago(20) }),
    ];
    // The sparse byDue index as the state store writes it: only pending ones, keyed by resume time.
    const index = records.flatMap((r) => {
      const at = erasureResumeAt(r);
      return at === null ? [] : [{ nextRunAt: at, task: { tenantId: r.tenantId, erasureId: r.id } }];
    });
    const queued: ErasureTask[] = [];
    const n = await resumeStalledJobs({
      expiry: { stalled: async () => [], queue: { enqueue: async () => {} } },
      erasure: {
        stalled: async (before) => index.filter((i) => i.nextRunAt < before).map((i) => i.task),
        queue: { enqueue: async (task) => void queued.push(task) },
      },
      clock: { now: () => NOW },
    });
    expect(n).toEqual({ expiry: 0, erasure: 2 });
    expect(queued.map((t) => t.erasureId)).toEqual(['stalled', 'lost-wait']);
  });
});

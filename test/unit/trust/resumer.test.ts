import { describe, expect, it } from 'vitest';
import type { ExpiryTask } from '../../../shared/domain/trust/jobs.ts';
import { resumeStalledJobs } from '../../../shared/use-cases/trust/expiry.ts';

describe('the expiry resumer', () => {
  it('re-queues the running jobs whose checkpoint is older than the stale bound', async () => {
    const queued: ExpiryTask[] = [];
    let asked = '';
    const n = await resumeStalledJobs(
      {
        stalled: async (before) => {
          asked = before;
          return [{ tenantId: 't1', jobId: 'j1' }];
        },
        queue: { enqueue: async (task) => void queued.push(task) },
        clock: { now: () => new Date(Date.UTC(2030, 0, 1, 12)) },
      },
      15 * 60,
    );
    expect(n).toBe(1);
    expect(asked).toBe(new Date(Date.UTC(2030, 0, 1, 11, 45)).toISOString());
    expect(queued).toEqual([{ tenantId: 't1', jobId: 'j1' }]);
  });
});

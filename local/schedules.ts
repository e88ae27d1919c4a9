import { Cron } from 'croner';
import { z } from 'zod';
import { runAs } from '../shared/adapters/invocation.ts';
import { exportDeps } from '../shared/composition/exports.ts';
import { buildRunDeps, buildTickDeps } from '../shared/composition/schedule.ts';
import type { Config } from '../shared/config.ts';
import {
  dispatchDueSchedules,
  inProcessQueue,
  type RunDeps,
  type TickDeps,
} from '../shared/use-cases/reports/dispatch.ts';
import type { RunQueue } from '../shared/use-cases/reports/ports.ts';
import type { LocalRoute } from './gateway.ts';
import { parseLocalBody } from './local-body.ts';

/**
 * Schedules on one machine: croner ticks the dispatcher every minute (as EventBridge does every
 * 15 in AWS), and two local-only routes let a person or a test drive it and read the inbox.
 */
const runBody = z
  .object({
    now: z.iso.datetime({ offset: true }).optional(),
    /** Local extension: only this tenant's schedules (tests sharing one stack stay apart). */
    tenantId: z.string().min(1).optional(),
  })
  .strict();

const sesStore = z.object({
  emails: z.array(
    z.object({
      destination: z.object({ to: z.array(z.string()).default([]) }),
      subject: z.string().default(''),
      body: z.object({ text: z.string().optional(), html: z.string().optional() }).default({}),
      at: z.number(),
    }),
  ),
});

/**
 * The two functions of AWS, each from its own composition root: the schedule-dispatcher's tick
 * claims the due runs, and each claimed run is the schedule-run-worker's. Locally there is no SQS:
 * the runs are executed in this process and awaited, each marked as the run worker's invocation
 * (shared/adapters/invocation.ts), so every SDK call is attributed to the function that sends it in AWS.
 */
let deps: { config: Config; tick: TickDeps; run: RunDeps } | undefined;

export async function runSchedules(config: Config, now?: Date, tenantId?: string) {
  if (deps?.config !== config)
    deps = { config, tick: buildTickDeps(config), run: buildRunDeps(config, exportDeps(config)) };
  const { tick, run } = deps;
  const clock = { now: () => now ?? new Date() };
  const all = tick.schedules;
  const schedules: TickDeps['schedules'] = tenantId
    ? {
        due: async (at, limit) => (await all.due(at, limit)).filter((d) => d.tenantId === tenantId),
        advance: (...args) => all.advance(...args),
      }
    : all;
  const worker = inProcessQueue({ ...run, clock });
  const queue: RunQueue = {
    enqueue: (tasks) => runAs('schedule-run-worker', () => worker.enqueue(tasks)),
  };
  const runs = await runAs('schedule-dispatcher', () =>
    dispatchDueSchedules({ ...tick, clock, schedules, queue }),
  );
  return { runs: runs.map((r) => ({ reportId: r.reportId, status: r.status, periodStart: r.periodStart })) };
}

export async function sentEmails(config: Config) {
  const res = await fetch(`${config.SES_ENDPOINT}/store`);
  const store = sesStore.parse(await res.json());
  return store.emails.map((e) => ({
    to: e.destination.to,
    subject: e.subject,
    text: e.body.text ?? '',
    html: e.body.html ?? '',
    at: new Date(e.at * 1000).toISOString(),
  }));
}

export function scheduleRoutes(config: () => Config): LocalRoute[] {
  return [
    {
      method: 'POST',
      path: '/_local/run-schedules',
      handle: async (body) => {
        const parsed = parseLocalBody(runBody, body);
        if ('error' in parsed) return parsed.error;
        const now = parsed.data.now ? new Date(parsed.data.now) : undefined;
        return { status: 200, body: await runSchedules(config(), now, parsed.data.tenantId) };
      },
    },
    {
      method: 'GET',
      path: '/_local/emails',
      handle: async () => ({ status: 200, body: await sentEmails(config()) }),
    },
  ];
}

/** Every minute, the dispatcher as at that minute. Returns a stop function. */
export function startScheduleTicker(config: () => Config, onError: (err: unknown) => void): () => void {
  const job = new Cron('* * * * *', { protect: true }, async () => {
    try {
      await runSchedules(config());
    } catch (err) {
      onError(err);
    }
  });
  return () => job.stop();
}

import { Cron } from 'croner';
import { z } from 'zod';
import { buildDispatchDeps } from '../shared/adapters/report-deps.ts';
import type { Config } from '../shared/config.ts';
import { type DispatchDeps, dispatchDueSchedules } from '../shared/use-cases/reports/dispatch.ts';
import type { LocalRoute } from './gateway.ts';
import { runAs } from './invocation.ts';

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

let deps: { config: Config; value: DispatchDeps } | undefined;

export async function runSchedules(config: Config, now?: Date, tenantId?: string) {
  if (deps?.config !== config) deps = { config, value: buildDispatchDeps(config) };
  const built = deps.value;
  const clock = { now: () => now ?? new Date() };
  const all = built.schedules;
  const schedules: DispatchDeps['schedules'] = tenantId
    ? {
        due: async (at, limit) => (await all.due(at, limit)).filter((d) => d.tenantId === tenantId),
        advance: (...args) => all.advance(...args),
      }
    : all;
  // As the schedule-dispatcher function: its SDK calls are recorded as that function's.
  const runs = await runAs('schedule-dispatcher', () => dispatchDueSchedules({ ...built, clock, schedules }));
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
        const parsed = runBody.safeParse(body ?? {});
        if (!parsed.success) {
          return {
            status: 400,
            body: { title: 'Bad Request', status: 400, detail: '`now` must be an ISO 8601 timestamp.' },
          };
        }
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

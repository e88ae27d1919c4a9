import { Cron } from 'croner';
import { z } from 'zod';
import { runAs } from '../shared/adapters/invocation.ts';
import { sealDepsFromConfig } from '../shared/composition/sealer.ts';
import type { Config } from '../shared/config.ts';
import { type SealDeps, sealClosedHours } from '../shared/use-cases/audit/seal.ts';
import type { LocalRoute } from './gateway.ts';
import { parseLocalBody } from './local-body.ts';

/**
 * Sealing on one machine: croner runs the audit sealer every minute (EventBridge every 5 in AWS),
 * and `POST /_local/seal {now?}` seals every hour closed by `now`, answering when done. Each run
 * is marked as the audit-sealer's invocation, so its SDK calls count against that function's grants.
 */
const sealBody = z
  .object({
    now: z.iso.datetime({ offset: true }).optional(),
    /** Local extension: start at this hour and leave the shared cursor alone (a replay). */
    fromHour: z.iso.datetime({ offset: true }).optional(),
    /**
     * Local extension: seal only these tenants (and leave the shared cursor alone). Tests share one
     * stack: sealing every tenant's hours would seal another test's tenant at an hour of this
     * test's choosing, and its chain would never go back to its earlier hours.
     */
    tenants: z.array(z.string().min(1)).min(1).max(100).optional(),
  })
  .strict();

let deps: { config: Config; seal: SealDeps } | undefined;

/**
 * The scheduled sealer's run (as at `now`): a tenant without a chain gets its legacy backfill
 * first and its chain starts at its oldest entry's hour (seal.ts), as in AWS.
 */
export async function sealNow(
  config: Config,
  opts: { now?: Date; fromHour?: string; tenants?: string[] } = {},
) {
  if (deps?.config !== config) deps = { config, seal: sealDepsFromConfig(config) };
  const { seal } = deps;
  return runAs('audit-sealer', async () => {
    const result = await sealClosedHours(seal, {
      now: opts.now ?? new Date(),
      fromHour: opts.fromHour,
      tenants: opts.tenants,
    });
    return { digests: result.digests, enriched: result.enriched };
  });
}

export function sealRoutes(config: () => Config): LocalRoute[] {
  return [
    {
      method: 'POST',
      path: '/_local/seal',
      handle: async (body) => {
        const parsed = parseLocalBody(sealBody, body);
        if ('error' in parsed) return parsed.error;
        const { now, ...rest } = parsed.data;
        return {
          status: 200,
          body: await sealNow(config(), { ...rest, now: now ? new Date(now) : undefined }),
        };
      },
    },
  ];
}

/** Every minute, the sealer as at that minute. Returns a stop function. */
export function startSealTicker(config: () => Config, onError: (err: unknown) => void): () => void {
  const job = new Cron('* * * * *', { protect: true }, async () => {
    try {
      await sealNow(config());
    } catch (err) {
      onError(err);
    }
  });
  return () => job.stop();
}

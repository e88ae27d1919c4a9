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
    /** Local extension: start at this hour and leave the shared cursor alone (tests sharing one stack). */
    fromHour: z.iso.datetime({ offset: true }).optional(),
  })
  .strict();

let deps: { config: Config; seal: SealDeps } | undefined;

export async function sealNow(config: Config, now?: Date, fromHour?: string) {
  if (deps?.config !== config) deps = { config, seal: sealDepsFromConfig(config) };
  const { seal } = deps;
  const result = await runAs('audit-sealer', () =>
    sealClosedHours(seal, { now: now ?? new Date(), fromHour }),
  );
  return { digests: result.digests };
}

export function sealRoutes(config: () => Config): LocalRoute[] {
  return [
    {
      method: 'POST',
      path: '/_local/seal',
      handle: async (body) => {
        const parsed = parseLocalBody(sealBody, body);
        if ('error' in parsed) return parsed.error;
        const now = parsed.data.now ? new Date(parsed.data.now) : undefined;
        return { status: 200, body: await sealNow(config(), now, parsed.data.fromHour) };
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

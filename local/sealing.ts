import { Cron } from 'croner';
import { z } from 'zod';
import { sealDeps } from '../shared/composition/integrity.ts';
import type { Config } from '../shared/config.ts';
import type { SealDeps } from '../shared/use-cases/integrity/seal.ts';
import { sealClosedHours } from '../shared/use-cases/integrity/seal.ts';
import type { LocalRoute } from './gateway.ts';

/**
 * Sealing on one machine: croner runs the sealer every minute (EventBridge does every 5 in AWS),
 * and `POST /_local/seal {now?}` seals every hour closed by `now` and answers when done.
 */
const sealBody = z
  .object({
    now: z.iso.datetime({ offset: true }).optional(),
    /** Local extension: only this tenant's hours (tests sharing one stack stay apart). */
    tenantId: z.string().min(1).optional(),
  })
  .strict();

let deps: { config: Config; value: SealDeps } | undefined;

export async function runSeal(config: Config, now?: Date, tenantId?: string) {
  if (deps?.config !== config) deps = { config, value: sealDeps(config) };
  const result = await sealClosedHours({
    ...deps.value,
    clock: () => now ?? new Date(),
    ...(tenantId ? { onlyTenant: tenantId } : {}),
  });
  if (result.failures.length > 0) throw result.failures[0]!.error;
  return { digests: result.digests };
}

export function sealRoutes(config: () => Config): LocalRoute[] {
  return [
    {
      method: 'POST',
      path: '/_local/seal',
      handle: async (body) => {
        const parsed = sealBody.safeParse(body ?? {});
        if (!parsed.success) {
          return {
            status: 400,
            body: { title: 'Bad Request', status: 400, detail: '`now` must be an ISO 8601 timestamp.' },
          };
        }
        const now = parsed.data.now ? new Date(parsed.data.now) : undefined;
        return { status: 200, body: await runSeal(config(), now, parsed.data.tenantId) };
      },
    },
  ];
}

/** Every minute, the sealer as at that minute. Returns a stop function. */
export function startSealTicker(config: () => Config, onError: (err: unknown) => void): () => void {
  const job = new Cron('* * * * *', { protect: true }, async () => {
    try {
      await runSeal(config());
    } catch (err) {
      onError(err);
    }
  });
  return () => job.stop();
}

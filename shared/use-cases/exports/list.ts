// `GET /v1/exports`: the caller's own exports, newest first, whatever their role (an owner reads
// others' exports only by id). The list is keyed by the token's tenant and subject, and every job
// is checked to be the caller's before it is shown. The cursor is bound to the tenant and caller.

import type { UserCaller } from '../../domain/caller.ts';
import type { ExportView } from '../../domain/exports/export-job.ts';
import { decodeCursor, encodeCursor } from '../../query/cursor.ts';
import { viewOf } from './get.ts';
import type { Clock, ExportHistory, LinkSettings } from './ports.ts';

export interface ListExportsDeps {
  history: ExportHistory;
  clock: Clock;
  links: LinkSettings;
}

export async function listMyExports(
  deps: ListExportsDeps,
  caller: UserCaller,
  page: { limit: number; cursor?: string },
): Promise<{ items: ExportView[]; nextCursor: string | null }> {
  const key = await deps.links.signingKey();
  const binding = { tenantId: caller.tenantId, list: `exports:${caller.userId}`, filters: {} };
  const after = page.cursor ? decodeCursor(key, binding, page.cursor) : undefined;
  const { jobs, last } = await deps.history.listByRequester(
    caller.tenantId,
    caller.userId,
    page.limit,
    after,
  );
  const items = await Promise.all(
    jobs
      .filter((j) => j.tenantId === caller.tenantId && j.requester.userId === caller.userId)
      .map((j) => viewOf(deps, j)),
  );
  return { items, nextCursor: last ? encodeCursor(key, binding, last) : null };
}

import { digestRouteDeps } from '../../shared/composition/sealer.ts';
import { loadConfig } from '../../shared/config.ts';
import { parseInput } from '../../shared/domain/issues.ts';
import { apiHandler } from '../../shared/http/handler.ts';
import { json } from '../../shared/http/responses.ts';
import {
  digestQuerySchema,
  leavesParamsSchema,
  leavesQuerySchema,
  proofParamsSchema,
} from '../../shared/http/routes/audit-digests.ts';
import {
  digestLeaves,
  entryProof,
  listDigestKeys,
  listDigests,
} from '../../shared/use-cases/audit/digests.ts';

const deps = digestRouteDeps(loadConfig());

/**
 * GET /v1/audit-digests, /v1/audit-digests/keys, /v1/audit-digests/{id}/leaves (an extension)
 * and /v1/audit-events/{id}/proof (owner, admin).
 */
export const handler = apiHandler(
  { auth: 'user' },
  {
    'GET /v1/audit-digests': async ({ caller, query }) =>
      json(200, await listDigests(deps, caller, parseInput(digestQuerySchema, query))),
    'GET /v1/audit-digests/keys': async ({ caller }) => json(200, await listDigestKeys(deps, caller)),
    'GET /v1/audit-digests/{id}/leaves': async ({ caller, params, query }) => {
      const { id } = parseInput(leavesParamsSchema, params);
      const { cursor } = parseInput(leavesQuerySchema, query);
      return json(200, await digestLeaves(deps, caller, { id, cursor }));
    },
    'GET /v1/audit-events/{id}/proof': async ({ caller, params }) => {
      const { id } = parseInput(proofParamsSchema, params);
      return json(200, await entryProof(deps, caller, id));
    },
  },
);

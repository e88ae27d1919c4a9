import { digestRouteService } from '../../shared/composition/sealer.ts';
import { loadConfig } from '../../shared/config.ts';
import { apiHandler } from '../../shared/http/handler.ts';
import { parseInput } from '../../shared/http/input.ts';
import { json } from '../../shared/http/responses.ts';
import {
  digestQuerySchema,
  leavesParamsSchema,
  leavesQuerySchema,
  proofParamsSchema,
} from '../../shared/http/routes/audit-digests.ts';

const digests = digestRouteService(loadConfig());

/**
 * GET /v1/audit-digests, /v1/audit-digests/keys, /v1/audit-digests/{id}/leaves (an extension)
 * and /v1/audit-events/{id}/proof (owner, admin).
 */
export const handler = apiHandler(
  { auth: 'user' },
  {
    'GET /v1/audit-digests': async ({ caller, query }) =>
      json(200, await digests.list(caller, parseInput(digestQuerySchema, query))),
    'GET /v1/audit-digests/keys': async ({ caller }) => json(200, await digests.keys(caller)),
    'GET /v1/audit-digests/{id}/leaves': async ({ caller, params, query }) => {
      const { id } = parseInput(leavesParamsSchema, params);
      const { cursor } = parseInput(leavesQuerySchema, query);
      return json(200, await digests.leaves(caller, { id, cursor }));
    },
    'GET /v1/audit-events/{id}/proof': async ({ caller, params }) => {
      const { id } = parseInput(proofParamsSchema, params);
      return json(200, await digests.proof(caller, id));
    },
  },
);

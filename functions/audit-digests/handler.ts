import { digestReadDeps } from '../../shared/composition/integrity.ts';
import { loadConfig } from '../../shared/config.ts';
import { NotFoundError } from '../../shared/domain/errors.ts';
import { apiHandler } from '../../shared/http/handler.ts';
import { json } from '../../shared/http/responses.ts';
import { parseInput } from '../../shared/http/validate.ts';
import {
  getEntryProof,
  listDigestKeys,
  listDigestLeaves,
  listDigests,
} from '../../shared/use-cases/integrity/read.ts';
import { digestListQuery, digestParams, leavesQuery, proofParams } from './schema.ts';

/** GET /v1/audit-digests, /v1/audit-digests/keys and /v1/audit-events/{id}/proof (owner, admin). */
const deps = digestReadDeps(loadConfig());

export const handler = apiHandler({ auth: 'user' }, async ({ caller, query, params, event }) => {
  switch (event.routeKey) {
    case 'GET /v1/audit-digests':
      return json(200, await listDigests(deps, caller, parseInput(digestListQuery, query)));
    case 'GET /v1/audit-digests/keys':
      return json(200, await listDigestKeys(deps, caller));
    case 'GET /v1/audit-digests/{id}/leaves':
      return json(
        200,
        await listDigestLeaves(
          deps,
          caller,
          parseInput(digestParams, params).id,
          parseInput(leavesQuery, query),
        ),
      );
    case 'GET /v1/audit-events/{id}/proof':
      return json(200, await getEntryProof(deps, caller, parseInput(proofParams, params).id));
    default:
      throw new NotFoundError('No such route.');
  }
});

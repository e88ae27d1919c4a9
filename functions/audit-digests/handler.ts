import { auditStoreFromConfig } from '../../shared/adapters/dynamodb/audit-store.ts';
import { digestStoreFromConfig } from '../../shared/adapters/dynamodb/digest-store.ts';
import { loadConfig } from '../../shared/config.ts';
import { apiHandler } from '../../shared/http/handler.ts';
import { json } from '../../shared/http/responses.ts';
import { parseInput } from '../../shared/http/validate.ts';
import { entryProof, listDigestKeys, listDigests } from '../../shared/use-cases/audit/digests.ts';
import { digestQuerySchema, proofParamsSchema } from './schema.ts';

const config = loadConfig();
const deps = {
  digests: digestStoreFromConfig(config),
  entries: auditStoreFromConfig(config),
  clock: () => new Date(),
};

/** GET /v1/audit-digests, /v1/audit-digests/keys and /v1/audit-events/{id}/proof (owner, admin). */
export const handler = apiHandler({ auth: 'user' }, async ({ caller, query, params, event }) => {
  switch (event.routeKey) {
    case 'GET /v1/audit-digests/keys':
      return json(200, await listDigestKeys(deps, caller));
    case 'GET /v1/audit-events/{id}/proof': {
      const { id } = parseInput(proofParamsSchema, params);
      return json(200, await entryProof(deps, caller, id));
    }
    default:
      return json(200, await listDigests(deps, caller, parseInput(digestQuerySchema, query)));
  }
});

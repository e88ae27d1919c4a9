import { buildTrustDeps } from '../../shared/composition/trust.ts';
import { loadConfig } from '../../shared/config.ts';
import { parseInput } from '../../shared/domain/issues.ts';
import { legalHoldInputSchema } from '../../shared/domain/trust/holds.ts';
import { retentionInputSchema } from '../../shared/domain/trust/retention.ts';
import { apiHandler } from '../../shared/http/handler.ts';
import { json } from '../../shared/http/responses.ts';
import * as trust from '../../shared/use-cases/trust/manage.ts';
import { holdIdParams } from './schema.ts';

/** `/v1/legal-holds` and `/v1/settings/retention`. */
const deps = buildTrustDeps(loadConfig());

export const handler = apiHandler(
  { auth: 'user' },
  {
    'POST /v1/legal-holds': async ({ caller, body }) =>
      json(201, await trust.placeHold(deps, caller, parseInput(legalHoldInputSchema, body))),
    'GET /v1/legal-holds': async ({ caller }) => json(200, await trust.listHolds(deps, caller)),
    'DELETE /v1/legal-holds/{id}': async ({ caller, params }) =>
      json(200, await trust.releaseHold(deps, caller, parseInput(holdIdParams, params).id)),
    'GET /v1/settings/retention': async ({ caller }) => json(200, await trust.getRetention(deps, caller)),
    'PUT /v1/settings/retention': async ({ caller, body }) =>
      json(200, await trust.putRetention(deps, caller, parseInput(retentionInputSchema, body))),
  },
);

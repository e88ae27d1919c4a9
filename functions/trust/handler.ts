import { buildErasureDeps, buildTrustDeps } from '../../shared/composition/trust.ts';
import { loadConfig } from '../../shared/config.ts';
import { parseInput } from '../../shared/domain/issues.ts';
import { erasureInputSchema } from '../../shared/domain/trust/erasure.ts';
import { legalHoldInputSchema } from '../../shared/domain/trust/holds.ts';
import { retentionInputSchema } from '../../shared/domain/trust/retention.ts';
import { apiHandler } from '../../shared/http/handler.ts';
import { json } from '../../shared/http/responses.ts';
import { erasureIdParams, holdIdParams } from '../../shared/http/routes/trust.ts';
import * as erasure from '../../shared/use-cases/trust/erasure.ts';
import * as trust from '../../shared/use-cases/trust/manage.ts';

/** `/v1/legal-holds`, `/v1/settings/retention` and `/v1/erasures`. */
const config = loadConfig();
const deps = buildTrustDeps(config);
const erasureDeps = buildErasureDeps(config);

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
    'POST /v1/erasures': async ({ caller, body }) =>
      json(202, await erasure.requestErasure(erasureDeps, caller, parseInput(erasureInputSchema, body))),
    'GET /v1/erasures/{id}': async ({ caller, params }) =>
      json(200, await erasure.getErasure(erasureDeps, caller, parseInput(erasureIdParams, params).id)),
  },
);

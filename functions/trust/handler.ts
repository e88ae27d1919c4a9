import { trustService } from '../../shared/composition/trust.ts';
import { loadConfig } from '../../shared/config.ts';
import { apiHandler } from '../../shared/http/handler.ts';
import { parseInput } from '../../shared/http/input.ts';
import { json } from '../../shared/http/responses.ts';
import {
  erasureIdParams,
  erasureInputSchema,
  holdIdParams,
  legalHoldInputSchema,
  retentionInputSchema,
} from '../../shared/http/routes/trust.ts';

/** `/v1/legal-holds`, `/v1/settings/retention` and `/v1/erasures`. */
const trust = trustService(loadConfig());

export const handler = apiHandler(
  { auth: 'user' },
  {
    'POST /v1/legal-holds': async ({ caller, body }) =>
      json(201, await trust.placeHold(caller, parseInput(legalHoldInputSchema, body))),
    'GET /v1/legal-holds': async ({ caller }) => json(200, await trust.listHolds(caller)),
    'DELETE /v1/legal-holds/{id}': async ({ caller, params }) =>
      json(200, await trust.releaseHold(caller, parseInput(holdIdParams, params).id)),
    'GET /v1/settings/retention': async ({ caller }) => json(200, await trust.getRetention(caller)),
    'PUT /v1/settings/retention': async ({ caller, body }) =>
      json(200, await trust.putRetention(caller, parseInput(retentionInputSchema, body))),
    'POST /v1/erasures': async ({ caller, body }) =>
      json(202, await trust.requestErasure(caller, parseInput(erasureInputSchema, body))),
    'GET /v1/erasures/{id}': async ({ caller, params }) =>
      json(200, await trust.getErasure(caller, parseInput(erasureIdParams, params).id)),
  },
);

import { buildTrustDeps } from '../../shared/composition/trust.ts';
import { loadConfig } from '../../shared/config.ts';
import { NotFoundError } from '../../shared/domain/errors.ts';
import { parseInput } from '../../shared/domain/issues.ts';
import { legalHoldInputSchema } from '../../shared/domain/trust/holds.ts';
import { retentionInputSchema } from '../../shared/domain/trust/retention.ts';
import { apiHandler } from '../../shared/http/handler.ts';
import { json } from '../../shared/http/responses.ts';
import * as trust from '../../shared/use-cases/trust/manage.ts';
import { holdIdParams } from './schema.ts';

/** `/v1/legal-holds` and `/v1/settings/retention`. */
const deps = buildTrustDeps(loadConfig());

export const handler = apiHandler({ auth: 'user' }, async (req) => {
  switch (req.event.routeKey) {
    case 'POST /v1/legal-holds':
      return json(201, await trust.placeHold(deps, req.caller, parseInput(legalHoldInputSchema, req.body)));
    case 'GET /v1/legal-holds':
      return json(200, await trust.listHolds(deps, req.caller));
    case 'DELETE /v1/legal-holds/{id}':
      return json(200, await trust.releaseHold(deps, req.caller, parseInput(holdIdParams, req.params).id));
    case 'GET /v1/settings/retention':
      return json(200, await trust.getRetention(deps, req.caller));
    case 'PUT /v1/settings/retention':
      return json(
        200,
        await trust.putRetention(deps, req.caller, parseInput(retentionInputSchema, req.body)),
      );
    default:
      throw new NotFoundError('No such route.');
  }
});

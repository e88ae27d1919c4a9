import { auditQueryService } from '../../shared/composition/audit.ts';
import { loadConfig } from '../../shared/config.ts';
import { costHeaders } from '../../shared/http/cost.ts';
import { apiHandler } from '../../shared/http/handler.ts';
import { parseInput } from '../../shared/http/input.ts';
import { json } from '../../shared/http/responses.ts';
import { auditIdParamsSchema, auditQuerySchema } from '../../shared/http/routes/audit-query.ts';

const config = loadConfig();
// Read at the cold start, as every setting: a function deployed without it fails to load.
const costSettings = { COST_HEADERS: config.COST_HEADERS };
const audit = auditQueryService(config);

/** GET /v1/audit-events and GET /v1/audit-events/{id} (owner, admin). */
export const handler = apiHandler(
  { auth: 'user' },
  {
    'GET /v1/audit-events': async ({ caller, query }) => {
      audit.assertReader(caller);
      const { limit, cursor, ...filters } = parseInput(auditQuerySchema, query);
      const page = await audit.list(caller, filters, { limit, cursor });
      // Owners and admins only (assertReader): org-wide readers of the audit log.
      const cost = costHeaders(costSettings, true, { scanned: page.scanned, index: page.index });
      return json(200, { items: page.items, nextCursor: page.nextCursor }, cost);
    },
    'GET /v1/audit-events/{id}': async ({ caller, params }) => {
      audit.assertReader(caller);
      const { id } = parseInput(auditIdParamsSchema, params);
      return json(200, await audit.get(caller, id));
    },
  },
);

import { auditStoreFromConfig } from '../../shared/adapters/dynamodb/audit-store.ts';
import { dynamoDocumentClient } from '../../shared/adapters/dynamodb/client.ts';
import { trustReaderFromConfig } from '../../shared/composition/trust-reader.ts';
import { loadConfig } from '../../shared/config.ts';
import { costHeaders } from '../../shared/http/cost.ts';
import { apiHandler } from '../../shared/http/handler.ts';
import { json } from '../../shared/http/responses.ts';
import { parseInput } from '../../shared/http/validate.ts';
import { signingKeyLoader } from '../../shared/signing.ts';
import { assertAuditReader, getAuditEvent, listAuditEvents } from '../../shared/use-cases/audit/query.ts';
import { auditIdParamsSchema, auditQuerySchema } from './schema.ts';

const config = loadConfig();
// Read at the cold start, as every setting: a function deployed without it fails to load.
const costSettings = { COST_HEADERS: config.COST_HEADERS };
const client = dynamoDocumentClient(config);
const deps = {
  store: auditStoreFromConfig(config, client),
  trust: trustReaderFromConfig(config, client),
  clock: () => new Date(),
  retentionMonths: config.AUDIT_RETENTION_MONTHS,
  signingKey: signingKeyLoader(config),
};

/** GET /v1/audit-events and GET /v1/audit-events/{id} (owner, admin). */
export const handler = apiHandler({ auth: 'user' }, async ({ caller, query, params, event }) => {
  assertAuditReader(caller);
  if (event.routeKey === 'GET /v1/audit-events/{id}' || params.id !== undefined) {
    const { id } = parseInput(auditIdParamsSchema, params);
    return json(200, await getAuditEvent(deps, caller, id));
  }
  const { limit, cursor, ...filters } = parseInput(auditQuerySchema, query);
  const page = await listAuditEvents(deps, caller, filters, { limit, cursor });
  // Owners and admins only (assertAuditReader): org-wide readers of the audit log.
  const cost = costHeaders(costSettings, true, { scanned: page.scanned, index: page.index });
  return json(200, { items: page.items, nextCursor: page.nextCursor }, cost);
});

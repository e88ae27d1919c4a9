import { auditStoreFromConfig } from '../../shared/adapters/dynamodb/audit-store.ts';
import { dynamoDocumentClient } from '../../shared/adapters/dynamodb/client.ts';
import { trustReaderFromConfig } from '../../shared/composition/trust-reader.ts';
import { loadConfig } from '../../shared/config.ts';
import { apiHandler, MB } from '../../shared/http/handler.ts';
import { json } from '../../shared/http/responses.ts';
import { parseInput } from '../../shared/http/validate.ts';
import { recordIngest } from '../../shared/observability.ts';
import { ingestAuditEvents } from '../../shared/use-cases/audit/ingest.ts';
import { ingestEnvelopeSchema } from './schema.ts';

const config = loadConfig();
const client = dynamoDocumentClient(config);
const deps = {
  store: auditStoreFromConfig(config, client),
  clock: () => new Date(),
  retentionMonths: config.AUDIT_RETENTION_MONTHS,
  trust: trustReaderFromConfig(config, client),
};

/** POST /v1/audit-events (service): validate and redact the batch, then write it. */
export const handler = apiHandler(
  { auth: 'service', maxBodyBytes: MB, serviceCallers: config.SERVICE_CALLERS },
  async ({ body }) => {
    const { events } = parseInput(ingestEnvelopeSchema, body);
    const result = await ingestAuditEvents(deps, events);
    recordIngest('Audit', result.results);
    return json(200, result);
  },
);

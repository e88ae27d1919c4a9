import { auditIngestService } from '../../shared/composition/audit.ts';
import { loadConfig } from '../../shared/config.ts';
import { apiHandler, MB } from '../../shared/http/handler.ts';
import { parseInput } from '../../shared/http/input.ts';
import { json } from '../../shared/http/responses.ts';
import { ingestEnvelopeSchema } from '../../shared/http/routes/audit-ingest.ts';
import { recordIngest } from '../../shared/observability.ts';

const config = loadConfig();
const audit = auditIngestService(config);

/** POST /v1/audit-events (service): validate and redact the batch, then write it. */
export const handler = apiHandler(
  { auth: 'service', maxBodyBytes: MB, serviceCallers: config.SERVICE_CALLERS },
  async ({ body }) => {
    const { events } = parseInput(ingestEnvelopeSchema, body);
    const result = await audit.ingest(events);
    recordIngest('Audit', result.results);
    return json(200, result);
  },
);

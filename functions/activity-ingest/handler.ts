import { dynamoDocumentClient } from '../../shared/adapters/dynamodb/client.ts';
import { trustReaderFromConfig } from '../../shared/composition/trust-reader.ts';
import { loadConfig } from '../../shared/config.ts';
import { ingestActivityEnvelopeSchema } from '../../shared/domain/activity/event.ts';
import { apiHandler, MB } from '../../shared/http/handler.ts';
import { json } from '../../shared/http/responses.ts';
import { parseInput } from '../../shared/http/validate.ts';
import { recordIngest } from '../../shared/observability.ts';
import { ingestActivityEvents } from '../../shared/use-cases/activity/ingest.ts';
import { activityStoreFromConfig } from '../../shared/use-cases/activity/wiring.ts';

const config = loadConfig();
const client = dynamoDocumentClient(config);
const deps = {
  store: activityStoreFromConfig(config, client),
  clock: () => new Date(),
  retentionMonths: config.ACTIVITY_RETENTION_MONTHS,
  trust: trustReaderFromConfig(config, client),
};

/** `POST /v1/activity-events` (platform services). */
export const handler = apiHandler(
  { auth: 'service', maxBodyBytes: MB, serviceCallers: config.SERVICE_CALLERS },
  async ({ body }) => {
    const { events } = parseInput(ingestActivityEnvelopeSchema, body);
    const result = await ingestActivityEvents(deps, events);
    recordIngest('Activity', result.results);
    return json(200, result);
  },
);

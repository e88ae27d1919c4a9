import { activityIngestService } from '../../shared/composition/activity.ts';
import { loadConfig } from '../../shared/config.ts';
import { apiHandler, MB } from '../../shared/http/handler.ts';
import { parseInput } from '../../shared/http/input.ts';
import { json } from '../../shared/http/responses.ts';
import { ingestActivityEnvelopeSchema } from '../../shared/http/routes/activity-ingest.ts';
import { recordIngest } from '../../shared/observability.ts';

const config = loadConfig();
const activity = activityIngestService(config);

/** `POST /v1/activity-events` (platform services). */
export const handler = apiHandler(
  { auth: 'service', maxBodyBytes: MB, serviceCallers: config.SERVICE_CALLERS },
  async ({ body }) => {
    const { events } = parseInput(ingestActivityEnvelopeSchema, body);
    const result = await activity.ingest(events);
    recordIngest('Activity', result.results);
    return json(200, result);
  },
);

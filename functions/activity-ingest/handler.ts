import { activityIngestDeps } from '../../shared/composition/activity.ts';
import { loadConfig } from '../../shared/config.ts';
import { ingestActivityEnvelopeSchema } from '../../shared/domain/activity/event.ts';
import { parseInput } from '../../shared/domain/issues.ts';
import { apiHandler, MB } from '../../shared/http/handler.ts';
import { json } from '../../shared/http/responses.ts';
import { recordIngest } from '../../shared/observability.ts';
import { ingestActivityEvents } from '../../shared/use-cases/activity/ingest.ts';

const config = loadConfig();
const deps = activityIngestDeps(config);

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

import { exportRequestService } from '../../shared/composition/export-requests.ts';
import { loadConfig } from '../../shared/config.ts';
import { apiHandler } from '../../shared/http/handler.ts';
import { parseInput } from '../../shared/http/input.ts';
import { json } from '../../shared/http/responses.ts';
import {
  exportIdParamsSchema,
  exportRequestSchema,
  listExportsQuery,
} from '../../shared/http/routes/exports.ts';

const exportsService = exportRequestService(loadConfig());

/** POST /v1/exports (202, runs in the background), GET /v1/exports (the caller's) and GET /v1/exports/{id}. */
export const handler = apiHandler(
  { auth: 'user', maxBodyBytes: 64 * 1024 },
  {
    'GET /v1/exports': async ({ caller, query }) =>
      json(200, await exportsService.listMine(caller, parseInput(listExportsQuery, query))),
    'GET /v1/exports/{id}': async ({ caller, params }) => {
      const { id } = parseInput(exportIdParamsSchema, params);
      return json(200, await exportsService.get(caller, id));
    },
    'POST /v1/exports': async ({ caller, event, body }) => {
      const input = parseInput(exportRequestSchema, body ?? {});
      const accepted = await exportsService.request(caller, input, {
        source: 'web',
        ip: event.requestContext.http.sourceIp,
        userAgent: event.headers['user-agent'],
      });
      return json(202, accepted, { location: `/v1/exports/${accepted.id}` });
    },
  },
);

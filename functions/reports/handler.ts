import { reportService } from '../../shared/composition/reports.ts';
import { loadConfig } from '../../shared/config.ts';
import { apiHandler } from '../../shared/http/handler.ts';
import { parseInput } from '../../shared/http/input.ts';
import { json } from '../../shared/http/responses.ts';
import {
  listReportsQuery,
  reportIdParams,
  reportInputSchema,
  scheduleInputSchema,
} from '../../shared/http/routes/reports.ts';

const reports = reportService(loadConfig());

const noContent = () => ({ statusCode: 204, headers: { 'cache-control': 'no-store' }, body: '' });
const id = (params: Record<string, string>) => parseInput(reportIdParams, params).id;

/** Every `/v1/reports` route: saved reports and their schedules. */
export const handler = apiHandler(
  { auth: 'user' },
  {
    'POST /v1/reports': async ({ caller, body }) => {
      const input = parseInput(reportInputSchema, body);
      return json(201, await reports.create(caller, input));
    },
    'GET /v1/reports': async ({ caller, query }) =>
      json(200, await reports.list(caller, parseInput(listReportsQuery, query))),
    'GET /v1/reports/{id}': async ({ caller, params }) => json(200, await reports.get(caller, id(params))),
    'PUT /v1/reports/{id}': async ({ caller, params, body }) => {
      const input = parseInput(reportInputSchema, body);
      return json(200, await reports.update(caller, id(params), input));
    },
    'DELETE /v1/reports/{id}': async ({ caller, params }) => {
      await reports.delete(caller, id(params));
      return noContent();
    },
    'PUT /v1/reports/{id}/schedule': async ({ caller, params, body }) => {
      const input = parseInput(scheduleInputSchema, body);
      return json(200, await reports.putSchedule(caller, id(params), input));
    },
    'DELETE /v1/reports/{id}/schedule': async ({ caller, params }) => {
      await reports.deleteSchedule(caller, id(params));
      return noContent();
    },
  },
);

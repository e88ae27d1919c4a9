import { buildManageDeps } from '../../shared/composition/reports.ts';
import { loadConfig } from '../../shared/config.ts';
import { parseInput } from '../../shared/domain/issues.ts';
import { reportInputSchema, scheduleInputSchema } from '../../shared/domain/reports/report.ts';
import { apiHandler } from '../../shared/http/handler.ts';
import { json } from '../../shared/http/responses.ts';
import { listReportsQuery, reportIdParams } from '../../shared/http/routes/reports.ts';
import * as reports from '../../shared/use-cases/reports/manage.ts';

const deps = buildManageDeps(loadConfig());

const noContent = () => ({ statusCode: 204, headers: { 'cache-control': 'no-store' }, body: '' });
const id = (params: Record<string, string>) => parseInput(reportIdParams, params).id;

/** Every `/v1/reports` route: saved reports and their schedules. */
export const handler = apiHandler(
  { auth: 'user' },
  {
    'POST /v1/reports': async ({ caller, body }) => {
      const input = parseInput(reportInputSchema, body);
      return json(201, await reports.createReport(await deps, caller, input));
    },
    'GET /v1/reports': async ({ caller, query }) =>
      json(200, await reports.listReports(await deps, caller, parseInput(listReportsQuery, query))),
    'GET /v1/reports/{id}': async ({ caller, params }) =>
      json(200, await reports.getReport(await deps, caller, id(params))),
    'PUT /v1/reports/{id}': async ({ caller, params, body }) => {
      const input = parseInput(reportInputSchema, body);
      return json(200, await reports.updateReport(await deps, caller, id(params), input));
    },
    'DELETE /v1/reports/{id}': async ({ caller, params }) => {
      await reports.deleteReport(await deps, caller, id(params));
      return noContent();
    },
    'PUT /v1/reports/{id}/schedule': async ({ caller, params, body }) => {
      const input = parseInput(scheduleInputSchema, body);
      return json(200, await reports.putSchedule(await deps, caller, id(params), input));
    },
    'DELETE /v1/reports/{id}/schedule': async ({ caller, params }) => {
      await reports.deleteSchedule(await deps, caller, id(params));
      return noContent();
    },
  },
);

import { buildManageDeps } from '../../shared/adapters/report-deps.ts';
import { loadConfig } from '../../shared/config.ts';
import { reportInputSchema, scheduleInputSchema } from '../../shared/domain/reports/report.ts';
import { apiHandler } from '../../shared/http/handler.ts';
import { json } from '../../shared/http/responses.ts';
import { parseInput } from '../../shared/http/validate.ts';
import * as reports from '../../shared/use-cases/reports/manage.ts';
import { listReportsQuery, reportIdParams } from './schema.ts';

/** Every `/v1/reports` route: saved reports and their schedules. */
const deps = buildManageDeps(loadConfig());

const noContent = () => ({ statusCode: 204, headers: { 'cache-control': 'no-store' }, body: '' });
const id = (params: Record<string, string>) => parseInput(reportIdParams, params).id;

export const handler = apiHandler(
  { auth: 'user' },
  {
    'POST /v1/reports': async (req) =>
      json(201, await reports.createReport(await deps, req.caller, parseInput(reportInputSchema, req.body))),
    'GET /v1/reports': async (req) =>
      json(200, await reports.listReports(await deps, req.caller, parseInput(listReportsQuery, req.query))),
    'GET /v1/reports/{id}': async (req) =>
      json(200, await reports.getReport(await deps, req.caller, id(req.params))),
    'PUT /v1/reports/{id}': async (req) =>
      json(
        200,
        await reports.updateReport(
          await deps,
          req.caller,
          id(req.params),
          parseInput(reportInputSchema, req.body),
        ),
      ),
    'DELETE /v1/reports/{id}': async (req) => {
      await reports.deleteReport(await deps, req.caller, id(req.params));
      return noContent();
    },
    'PUT /v1/reports/{id}/schedule': async (req) =>
      json(
        200,
        await reports.putSchedule(
          await deps,
          req.caller,
          id(req.params),
          parseInput(scheduleInputSchema, req.body),
        ),
      ),
    'DELETE /v1/reports/{id}/schedule': async (req) => {
      await reports.deleteSchedule(await deps, req.caller, id(req.params));
      return noContent();
    },
  },
);

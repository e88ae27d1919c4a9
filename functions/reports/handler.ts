import { buildManageDeps } from '../../shared/composition/reports.ts';
import { loadConfig } from '../../shared/config.ts';
import { NotFoundError } from '../../shared/domain/errors.ts';
import { parseInput } from '../../shared/domain/issues.ts';
import { reportInputSchema, scheduleInputSchema } from '../../shared/domain/reports/report.ts';
import { apiHandler } from '../../shared/http/handler.ts';
import { json } from '../../shared/http/responses.ts';
import * as reports from '../../shared/use-cases/reports/manage.ts';
import { listReportsQuery, reportIdParams } from './schema.ts';

/** Every `/v1/reports` route: saved reports and their schedules. */
const deps = buildManageDeps(loadConfig());

export const handler = apiHandler({ auth: 'user' }, async (req) => {
  const d = await deps;
  const id = () => parseInput(reportIdParams, req.params).id;
  switch (req.event.routeKey) {
    case 'POST /v1/reports':
      return json(201, await reports.createReport(d, req.caller, parseInput(reportInputSchema, req.body)));
    case 'GET /v1/reports':
      return json(200, await reports.listReports(d, req.caller, parseInput(listReportsQuery, req.query)));
    case 'GET /v1/reports/{id}':
      return json(200, await reports.getReport(d, req.caller, id()));
    case 'PUT /v1/reports/{id}':
      return json(
        200,
        await reports.updateReport(d, req.caller, id(), parseInput(reportInputSchema, req.body)),
      );
    case 'DELETE /v1/reports/{id}':
      await reports.deleteReport(d, req.caller, id());
      return { statusCode: 204, headers: { 'cache-control': 'no-store' }, body: '' };
    case 'PUT /v1/reports/{id}/schedule':
      return json(
        200,
        await reports.putSchedule(d, req.caller, id(), parseInput(scheduleInputSchema, req.body)),
      );
    case 'DELETE /v1/reports/{id}/schedule':
      await reports.deleteSchedule(d, req.caller, id());
      return { statusCode: 204, headers: { 'cache-control': 'no-store' }, body: '' };
    default:
      throw new NotFoundError('No such route.');
  }
});

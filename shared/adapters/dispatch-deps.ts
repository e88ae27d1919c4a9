import { exportDeps } from '../composition/exports.ts';
import type { Config } from '../config.ts';
import { type Clock, systemClock } from '../domain/time.ts';
import { runExport } from '../use-cases/exports/run.ts';
import type { RunDeps } from '../use-cases/reports/dispatch.ts';
import type { ExportRunner } from '../use-cases/reports/ports.ts';
import { DynamoRunLedger } from './dynamodb/run-ledger.ts';
import { reportAdapters, reportAuditRecorder } from './report-deps.ts';
import { sesClient } from './ses/client.ts';
import { SesMailer } from './ses/mailer.ts';

/**
 * The composition root of the schedule run worker: exports, SES and the audit log besides the
 * tick's stores. The tick is ./tick-deps.ts, apart so its bundle carries no S3 or SES client;
 * the local stack runs both in one process (local/schedules.ts). Built once per cold start.
 */

/** A run worker: exports, SES and the audit log besides the tick's stores. */
export function buildRunDeps(config: Config, clock: Clock = systemClock): RunDeps {
  const { client, store, people } = reportAdapters(config);
  const audit = reportAuditRecorder(config, client);
  const exportRun = exportDeps(config);
  const exporter: ExportRunner = {
    run: (input) => runExport(exportRun, input),
  };
  return {
    reports: store,
    schedules: store,
    runs: new DynamoRunLedger(client, { tableName: config.STATE_TABLE }),
    mailer: new SesMailer(sesClient(config), config.SENDER_EMAIL),
    exports: exporter,
    people,
    audit,
    clock,
    linkDays: config.EXPORT_LINK_DAYS,
  };
}

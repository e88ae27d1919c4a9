import { exportDeps } from '../composition/exports.ts';
import type { Config } from '../config.ts';
import { runExport } from '../use-cases/exports/run.ts';
import type { DispatchDeps } from '../use-cases/reports/dispatch.ts';
import type { ExportRunner } from '../use-cases/reports/ports.ts';
import { DynamoRunLedger } from './dynamodb/report-store.ts';
import { reportAdapters, systemClock } from './report-deps.ts';
import { sesClient } from './ses/client.ts';
import { SesMailer } from './ses/mailer.ts';

/**
 * The composition root of the schedule dispatcher: the reports' adapters (./report-deps.ts),
 * the run ledger, SES and `runExport`, built once per cold start by the dispatcher handler and
 * the local stack.
 */
export function buildDispatchDeps(config: Config, clock: { now(): Date } = systemClock): DispatchDeps {
  const { client, store, people, audit } = reportAdapters(config);
  const exporter: ExportRunner = {
    run: (input) => runExport(exportDeps(config), { ...input, format: 'csv' }),
  };
  return {
    reports: store,
    schedules: store,
    runs: new DynamoRunLedger(client, config.STATE_TABLE),
    mailer: new SesMailer(sesClient(config), config.SENDER_EMAIL),
    exports: exporter,
    people,
    audit,
    clock,
    linkDays: config.EXPORT_LINK_DAYS,
  };
}

import { exportDeps } from '../composition/exports.ts';
import type { Config } from '../config.ts';
import { runExport } from '../use-cases/exports/run.ts';
import type { DispatchDeps, RunDeps } from '../use-cases/reports/dispatch.ts';
import type { ExportRunner } from '../use-cases/reports/ports.ts';
import { DynamoRunLedger } from './dynamodb/report-store.ts';
import { reportAdapters, systemClock } from './report-deps.ts';
import { sesClient } from './ses/client.ts';
import { SesMailer } from './ses/mailer.ts';

/**
 * The composition roots of scheduled runs: the run worker (exports, SES, the audit log) and,
 * for the local stack, tick and runs in one process. The AWS tick is ./tick-deps.ts, apart so
 * its bundle carries no S3 or SES client. Each is built once per cold start by its handler.
 */

/** A run worker: exports, SES and the audit log besides the tick's stores. */
export function buildRunDeps(config: Config, clock: { now(): Date } = systemClock): RunDeps {
  const { client, store, people, audit } = reportAdapters(config);
  const exporter: ExportRunner = {
    run: (input) => runExport(exportDeps(config), input),
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

/** Tick and workers in one process (`npm start`, tests): each claimed run runs here, awaited. */
export function buildDispatchDeps(config: Config, clock: { now(): Date } = systemClock): DispatchDeps {
  return buildRunDeps(config, clock);
}

import { exportDeps } from '../composition/exports.ts';
import type { Config } from '../config.ts';
import { runExport } from '../use-cases/exports/run.ts';
import type { DispatchDeps, RunDeps, TickDeps } from '../use-cases/reports/dispatch.ts';
import type { ExportRunner } from '../use-cases/reports/ports.ts';
import { DynamoRunLedger } from './dynamodb/report-store.ts';
import { reportAdapters, systemClock } from './report-deps.ts';
import { sesClient } from './ses/client.ts';
import { SesMailer } from './ses/mailer.ts';
import { sqsClient } from './sqs/client.ts';
import { SqsRunQueue } from './sqs/run-queue.ts';

/**
 * The composition roots of scheduled runs: the dispatcher tick (claims due runs and queues
 * them), the run worker (exports, SES, the audit log) and both in one process for the local
 * stack. Each is built once per cold start by its handler.
 */

/** The dispatcher tick in AWS: the state table, the directory and the run queue, nothing else. */
export function buildTickDeps(config: Config, clock: { now(): Date } = systemClock): TickDeps {
  if (!config.SCHEDULE_RUNS_QUEUE_URL)
    throw new Error('Invalid configuration: SCHEDULE_RUNS_QUEUE_URL is required');
  const { client, store, people } = reportAdapters(config);
  return {
    reports: store,
    schedules: store,
    runs: new DynamoRunLedger(client, config.STATE_TABLE),
    people,
    queue: new SqsRunQueue(sqsClient(config), config.SCHEDULE_RUNS_QUEUE_URL),
    clock,
  };
}

/** A run worker: exports, SES and the audit log besides the tick's stores. */
export function buildRunDeps(config: Config, clock: { now(): Date } = systemClock): RunDeps {
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

/** Tick and workers in one process (`npm start`, tests): each claimed run runs here, awaited. */
export function buildDispatchDeps(config: Config, clock: { now(): Date } = systemClock): DispatchDeps {
  return buildRunDeps(config, clock);
}

// The composition root of schedules: the dispatcher's tick (`buildTickDeps`) claims due runs and
// queues them, so it holds DynamoDB and SQS clients only; the run worker (`buildRunDeps`) adds
// exports (built by ./exports.ts and handed in, so the tick's bundle carries no S3 code), SES and
// the audit log. The local stack runs both in one process (local/schedules.ts).

import { DynamoRunLedger } from '../adapters/dynamodb/run-ledger.ts';
import { sesClient } from '../adapters/ses/client.ts';
import { SesMailer } from '../adapters/ses/mailer.ts';
import { sqsClient } from '../adapters/sqs/client.ts';
import { runTaskSchema, SqsRunQueue } from '../adapters/sqs/run-queue.ts';
import type { Config } from '../config.ts';
import { type Clock, systemClock } from '../domain/time.ts';
import { runExport } from '../use-cases/exports/run.ts';
import {
  dispatchDueSchedules,
  executeRun,
  type RunDeps,
  type TickDeps,
} from '../use-cases/reports/dispatch.ts';
import type { ExportRunner } from '../use-cases/reports/ports.ts';
import { bindAll } from './bind.ts';
import type { ExportDeps } from './exports.ts';
import { reportAdapters, reportAuditRecorder } from './reports.ts';

/** The messages of the run queue, as the run worker reads them. */
export { runTaskSchema };

/**
 * Outside Lambda without a queue URL (a bundle loaded by a test, the local stack, which hands its
 * runs to the run worker in-process instead) the tick still loads, and a hand-off fails by the
 * variable's name. In Lambda the read itself fails the cold start when the variable is missing
 * (shared/config.ts).
 */
const noQueue: TickDeps['queue'] = {
  enqueue: async () => {
    throw new Error('Invalid configuration: SCHEDULE_RUNS_QUEUE_URL is not set for this function');
  },
};

/** The dispatcher tick in AWS: the state table, the directory and the run queue, nothing else. */
export function buildTickDeps(config: Config, clock: Clock = systemClock): TickDeps {
  const { client, store, people } = reportAdapters(config);
  return {
    reports: store,
    schedules: store,
    runs: new DynamoRunLedger(client, { tableName: config.STATE_TABLE }),
    people,
    queue: config.SCHEDULE_RUNS_QUEUE_URL
      ? new SqsRunQueue(sqsClient(config), config.SCHEDULE_RUNS_QUEUE_URL)
      : noQueue,
    clock,
  };
}

/** A run worker: exports, SES and the audit log besides the tick's stores. */
export function buildRunDeps(config: Config, exportRun: ExportDeps, clock: Clock = systemClock): RunDeps {
  const { client, store, people } = reportAdapters(config);
  const audit = reportAuditRecorder(config, client);
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

/** The schedule dispatcher's use case (the tick), bound to its deps. */
export function scheduleTickService(config: Config) {
  return bindAll(buildTickDeps(config), { dispatch: dispatchDueSchedules });
}

/** The schedule run worker's use case; exports come built by ./exports.ts, as for `buildRunDeps`. */
export function scheduleRunService(config: Config, exportRun: ExportDeps) {
  return bindAll(buildRunDeps(config, exportRun), { execute: executeRun });
}

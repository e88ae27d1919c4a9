import type { Config } from '../config.ts';
import type { TickDeps } from '../use-cases/reports/dispatch.ts';
import { DynamoRunLedger } from './dynamodb/report-store.ts';
import { reportAdapters, systemClock } from './report-deps.ts';
import { sqsClient } from './sqs/client.ts';
import { SqsRunQueue } from './sqs/run-queue.ts';

// The composition root of the schedule dispatcher's tick in AWS: it claims due runs and queues
// them, so it holds DynamoDB and SQS clients only (the run worker is ./dispatch-deps.ts).

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

import type { Config } from '../config.ts';
import { type Clock, systemClock } from '../domain/time.ts';
import type { TickDeps } from '../use-cases/reports/dispatch.ts';
import { DynamoRunLedger } from './dynamodb/run-ledger.ts';
import { reportAdapters } from './report-deps.ts';
import { sqsClient } from './sqs/client.ts';
import { SqsRunQueue } from './sqs/run-queue.ts';

// The composition root of the schedule dispatcher's tick in AWS: it claims due runs and queues
// them, so it holds DynamoDB and SQS clients only (the run worker is ./dispatch-deps.ts).

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

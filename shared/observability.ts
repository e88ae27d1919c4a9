// One logger and one metrics emitter per process, as Powertools recommends. The level comes
// from LOG_LEVEL, else Powertools' own POWERTOOLS_LOG_LEVEL, else INFO. Metrics are CloudWatch
// EMF lines flushed once per invocation; POWERTOOLS_DEV (the local stack) or
// POWERTOOLS_METRICS_DISABLED (tests) turn them off.

import { Logger } from '@aws-lambda-powertools/logger';
import type { LogLevel } from '@aws-lambda-powertools/logger/types';
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';

export const logger = new Logger({
  serviceName: 'logbook',
  ...(process.env.LOG_LEVEL ? { logLevel: process.env.LOG_LEVEL as LogLevel } : {}),
});
export const metrics = new Metrics({ namespace: 'Logbook', serviceName: 'logbook' });

/** Items DynamoDB read against items returned: the cost figure to keep near 1. */
export function recordQueryCost(scanned: number, returned: number): void {
  metrics.addMetric('QueryItemsRead', MetricUnit.Count, scanned);
  metrics.addMetric('QueryItemsReturned', MetricUnit.Count, returned);
}

/** Accepted and repeated events of one ingest batch. */
export function recordIngest(log: 'Audit' | 'Activity', results: ReadonlyArray<{ status: string }>): void {
  const created = results.filter((r) => r.status === 'created').length;
  metrics.addMetric(`${log}EventsCreated`, MetricUnit.Count, created);
  metrics.addMetric(`${log}EventsDuplicate`, MetricUnit.Count, results.length - created);
}

/**
 * An AWS call the service refused as non-retryable (AccessDenied, ValidationException, a missing
 * table...): a deployment or code fault that no retry clears. The stack alarms on any.
 */
export const NON_RETRYABLE_METRIC = 'AwsNonRetryableErrors';

export function recordNonRetryable(errorName: string): void {
  metrics.addMetric(NON_RETRYABLE_METRIC, MetricUnit.Count, 1);
  metrics.addMetadata('awsErrorName', errorName);
}

/** For handlers outside the HTTP middleware (workers): flush what the invocation recorded. */
export function withMetrics<A extends unknown[], R>(
  fn: (...args: A) => Promise<R>,
): (...args: A) => Promise<R> {
  return async (...args: A) => {
    try {
      return await fn(...args);
    } finally {
      flushStoredMetrics();
    }
  };
}

/** Publishes what was recorded, if anything (Powertools warns on an empty publish). */
export function flushStoredMetrics(): void {
  if (metrics.hasStoredMetrics()) metrics.publishStoredMetrics();
}

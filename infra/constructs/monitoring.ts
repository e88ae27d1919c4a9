import { Duration, Stack, Tags } from 'aws-cdk-lib';
import type { IHttpApi } from 'aws-cdk-lib/aws-apigatewayv2';
import {
  Alarm,
  ComparisonOperator,
  Dashboard,
  GraphWidget,
  type IMetric,
  MathExpression,
  Metric,
  SingleValueWidget,
  TextWidget,
  TreatMissingData,
} from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { PolicyStatement, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Key } from 'aws-cdk-lib/aws-kms';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { EmailSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import type { ServiceFunction } from './service-function.ts';

/**
 * Where the Powertools metrics of shared/observability.ts land: namespace `Logbook`, with the
 * default `service` dimension Powertools adds (POWERTOOLS_SERVICE_NAME = `logbook`).
 */
export const METRICS_NAMESPACE = 'Logbook';
export const METRICS_SERVICE = 'logbook';

/** The custom metrics the functions emit (names as in shared/observability.ts and the handlers). */
export const APP_METRICS = {
  ingest: ['AuditEventsCreated', 'AuditEventsDuplicate', 'ActivityEventsCreated', 'ActivityEventsDuplicate'],
  exports: ['ExportsSucceeded', 'ExportsFailed', 'ExportsTimedOut'],
  exportRows: ['ExportRows'],
  schedules: ['ScheduledRunsQueued'],
  queryCost: ['QueryItemsRead', 'QueryItemsReturned'],
  /** AWS calls refused for good (AccessDenied, ValidationException…: shared/adapters/aws-errors.ts). */
  faults: ['AwsNonRetryableErrors'],
} as const;

/** Alarm thresholds; docs/operations.md explains each alarm and what to do. */
export const ALARM_THRESHOLDS = {
  /** Percent of API requests answered 5xx, over 5 minutes, 2 of 3 periods. */
  api5xxPercent: 5,
  /** Throttled invocations of one function in 5 minutes. */
  lambdaThrottles: 1,
  /** Events in a function's on-failure queue. */
  failedEvents: 1,
  /** Failed exports (worker failures and stuck jobs the sweeper failed) in 15 minutes. */
  exportFailures: 1,
  /** Errors of a scheduled function (dispatcher, sweeper) in one of its 15-minute periods. */
  scheduledErrors: 1,
  /** Throttled read or write events on one table in 5 minutes. */
  dynamoThrottles: 1,
  /** AWS calls any function had refused as non-retryable (a missing grant, a bad request) in 5 minutes. */
  nonRetryableErrors: 1,
} as const;

export interface MonitoringProps {
  stage: string;
  api: IHttpApi;
  functions: ReadonlyMap<string, ServiceFunction>;
  /** Functions that run on a schedule (their errors alarm on their own). */
  scheduled: readonly string[];
  /** On-failure destinations of the asynchronously invoked functions, by function. */
  failedEventQueues: ReadonlyMap<string, IQueue>;
  tables: Readonly<Record<string, ITable>>;
  /** E-mail address subscribed to the alarm topic; none = subscribe later (docs/operations.md). */
  alarmEmail?: string;
}

/**
 * Alarms, their SNS topic and one dashboard. Every alarm notifies the topic on ALARM and on OK.
 * Other features add theirs through `addAlarm` (e.g. `alarmOnOldestUnsealedHour` once the
 * integrity work emits that metric), so every alarm of the stage reaches the same people.
 */
export class Monitoring extends Construct {
  readonly topic: Topic;
  readonly dashboard: Dashboard;
  readonly alarms = new Map<string, Alarm>();
  private readonly action: SnsAction;

  constructor(scope: Construct, id: string, props: MonitoringProps) {
    super(scope, id);
    const { stage } = props;

    // CloudWatch cannot publish to a topic encrypted with the AWS-managed SNS key: a key of our own.
    const key = new Key(this, 'TopicKey', {
      description: `Logbook ${stage}: encrypts the alarm topic`,
      enableKeyRotation: true,
    });
    key.addToResourcePolicy(
      new PolicyStatement({
        principals: [new ServicePrincipal('cloudwatch.amazonaws.com')],
        actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
        resources: ['*'],
        conditions: { StringEquals: { 'aws:SourceAccount': Stack.of(this).account } },
      }),
    );
    this.topic = new Topic(this, 'AlarmTopic', {
      displayName: `Logbook ${stage} alarms`,
      masterKey: key,
      enforceSSL: true,
    });
    if (props.alarmEmail) this.topic.addSubscription(new EmailSubscription(props.alarmEmail));
    this.action = new SnsAction(this.topic);

    const five = Duration.minutes(5);
    const fifteen = Duration.minutes(15);

    // API: share of 5xx answers.
    const requests = props.api.metricCount({ period: five, statistic: 'Sum' });
    const serverErrors = props.api.metricServerError({ period: five, statistic: 'Sum' });
    const errorRate = new MathExpression({
      expression: 'IF(requests > 0, 100 * errors / requests, 0)',
      usingMetrics: { requests, errors: serverErrors },
      period: five,
      label: '5xx (% of requests)',
    });
    this.addAlarm('Api5xxRate', {
      metric: errorRate,
      threshold: ALARM_THRESHOLDS.api5xxPercent,
      evaluationPeriods: 3,
      datapointsToAlarm: 2,
      description: `More than ${ALARM_THRESHOLDS.api5xxPercent}% of API requests answered 5xx in 2 of the last 3 five-minute periods.`,
    });

    // Lambda throttles, one alarm per function (an alarm's metric math takes at most 10 metrics).
    for (const [name, fn] of props.functions) {
      this.addAlarm(`Throttles-${name}`, {
        metric: fn.function.metricThrottles({ period: five, statistic: 'Sum' }),
        threshold: ALARM_THRESHOLDS.lambdaThrottles,
        description: `Lambda throttled invocations of ${name} (concurrency limit reached).`,
      });
    }

    // On-failure queues: events Lambda gave up on after its retries.
    for (const [name, queue] of props.failedEventQueues) {
      this.addAlarm(`FailedEvents-${name}`, {
        metric: queue.metricApproximateNumberOfMessagesVisible({ period: five, statistic: 'Maximum' }),
        threshold: ALARM_THRESHOLDS.failedEvents,
        description: `Asynchronous invocations of ${name} that failed every attempt or waited too long are in its on-failure queue.`,
      });
    }

    // Exports that failed: the worker's own failures and stuck jobs failed by the sweeper.
    this.addAlarm('ExportFailures', {
      metric: appMetric('ExportsFailed', { period: fifteen, statistic: 'Sum' }),
      threshold: ALARM_THRESHOLDS.exportFailures,
      description: 'Exports ended failed (worker failures, and jobs the export sweeper found stuck).',
    });

    // Scheduled functions: an error means a whole run (dispatch, sweep) did not complete.
    for (const name of props.scheduled) {
      const fn = props.functions.get(name);
      if (!fn) continue;
      this.addAlarm(`Errors-${name}`, {
        metric: fn.function.metricErrors({ period: fifteen, statistic: 'Sum' }),
        threshold: ALARM_THRESHOLDS.scheduledErrors,
        description: `The scheduled function ${name} failed a run.`,
      });
    }

    // DynamoDB throttling, per table (on-demand tables throttle on hot partitions and sudden peaks).
    for (const [tableId, table] of Object.entries(props.tables)) {
      const throttles = new MathExpression({
        expression: 'reads + writes',
        usingMetrics: {
          reads: table.metric('ReadThrottleEvents', { period: five, statistic: 'Sum' }),
          writes: table.metric('WriteThrottleEvents', { period: five, statistic: 'Sum' }),
        },
        period: five,
        label: `${tableId} throttled events`,
      });
      this.addAlarm(`DynamoThrottles-${tableId}`, {
        metric: throttles,
        threshold: ALARM_THRESHOLDS.dynamoThrottles,
        description: `DynamoDB throttled reads or writes on the ${tableId} table.`,
      });
    }

    // AWS refused a call for good: a missing grant, a table or identity that is not there, a
    // request the service rejects. No retry clears it; each one is a 500 to a caller or a failed job.
    this.addAlarm('AwsNonRetryableErrors', {
      metric: appMetric('AwsNonRetryableErrors', { period: five, statistic: 'Sum' }),
      threshold: ALARM_THRESHOLDS.nonRetryableErrors,
      description:
        'An AWS call was refused as non-retryable (AccessDenied, ValidationException, ResourceNotFound…): a deployment or code fault no retry clears.',
    });

    this.dashboard = buildDashboard(this, props);
    // CloudFormation accepts Tags on a dashboard only since recently; cfn-lint's schema (and
    // older regions' handlers) refuse them. A dashboard's tags serve nobody: leave them off.
    for (const key of ['app', 'stage']) Tags.of(this.dashboard).remove(key);
  }

  /** An alarm on `metric` (≥ threshold) that notifies the topic; ids name it in docs/operations.md. */
  addAlarm(
    id: string,
    options: {
      metric: IMetric;
      threshold: number;
      description: string;
      evaluationPeriods?: number;
      datapointsToAlarm?: number;
    },
  ): Alarm {
    const alarm = new Alarm(this, id, {
      alarmName: `${Stack.of(this).stackName}-${id}`.slice(0, 255),
      alarmDescription: `${options.description} Runbook: docs/operations.md#${id.replace(/-.*$/, '').toLowerCase()}`,
      metric: options.metric,
      threshold: options.threshold,
      comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      evaluationPeriods: options.evaluationPeriods ?? 1,
      datapointsToAlarm: options.datapointsToAlarm ?? options.evaluationPeriods ?? 1,
      treatMissingData: TreatMissingData.NOT_BREACHING,
    });
    alarm.addAlarmAction(this.action);
    alarm.addOkAction(this.action);
    this.alarms.set(id, alarm);
    return alarm;
  }

  /**
   * The hook for the integrity work: alarm when the oldest hour of log entries not yet sealed is
   * older than `thresholdMinutes` (its metric is that age in minutes).
   */
  alarmOnOldestUnsealedHour(metric: IMetric, thresholdMinutes: number): Alarm {
    return this.addAlarm('OldestUnsealedHour', {
      metric,
      threshold: thresholdMinutes,
      description: `The oldest unsealed hour of log entries is ${thresholdMinutes} minutes old or more: sealing has stalled.`,
    });
  }
}

/** A Powertools metric of the functions (namespace Logbook, dimension service=logbook). */
export function appMetric(name: string, options: { period: Duration; statistic: string }): Metric {
  return new Metric({
    namespace: METRICS_NAMESPACE,
    metricName: name,
    dimensionsMap: { service: METRICS_SERVICE },
    ...options,
  });
}

function buildDashboard(scope: Construct, props: MonitoringProps): Dashboard {
  const five = Duration.minutes(5);
  const sum = (name: string) => appMetric(name, { period: five, statistic: 'Sum' });
  const fns = [...props.functions.entries()];
  const dashboard = new Dashboard(scope, 'Dashboard', {
    dashboardName: `logbook-${props.stage}`,
    defaultInterval: Duration.hours(6),
  });
  dashboard.addWidgets(
    new TextWidget({
      markdown: `# Logbook ${props.stage}\nAlarms and what to do: docs/operations.md. Custom metrics: namespace \`${METRICS_NAMESPACE}\`, dimension \`service=${METRICS_SERVICE}\`.`,
      width: 24,
      height: 2,
    }),
  );
  dashboard.addWidgets(
    new GraphWidget({
      title: 'API requests and errors',
      left: [
        props.api.metricCount({ period: five, statistic: 'Sum' }),
        props.api.metricClientError({ period: five, statistic: 'Sum' }),
        props.api.metricServerError({ period: five, statistic: 'Sum' }),
      ],
      width: 12,
    }),
    new GraphWidget({
      title: 'API latency (p50, p99)',
      left: [
        props.api.metricLatency({ period: five, statistic: 'p50' }),
        props.api.metricLatency({ period: five, statistic: 'p99' }),
        props.api.metricIntegrationLatency({ period: five, statistic: 'p99' }),
      ],
      width: 12,
    }),
  );
  dashboard.addWidgets(
    new GraphWidget({
      title: 'Events ingested (Powertools)',
      left: APP_METRICS.ingest.map(sum),
      width: 8,
    }),
    new GraphWidget({
      title: 'Exports (Powertools)',
      left: APP_METRICS.exports.map(sum),
      right: APP_METRICS.exportRows.map(sum),
      width: 8,
    }),
    new GraphWidget({
      title: 'Query cost: items read vs returned (Powertools)',
      left: APP_METRICS.queryCost.map(sum),
      width: 8,
    }),
  );
  dashboard.addWidgets(
    new GraphWidget({
      title: 'Scheduled report runs (Powertools)',
      left: APP_METRICS.schedules.map(sum),
      right: APP_METRICS.faults.map(sum),
      width: 8,
    }),
    new GraphWidget({
      title: 'Lambda errors',
      left: fns.map(([name, fn]) =>
        fn.function.metricErrors({ period: five, statistic: 'Sum', label: name }),
      ),
      width: 8,
    }),
    new GraphWidget({
      title: 'Lambda throttles',
      left: fns.map(([name, fn]) =>
        fn.function.metricThrottles({ period: five, statistic: 'Sum', label: name }),
      ),
      width: 8,
    }),
  );
  dashboard.addWidgets(
    new GraphWidget({
      title: 'Lambda duration p99',
      left: fns.map(([name, fn]) =>
        fn.function.metricDuration({ period: five, statistic: 'p99', label: name }),
      ),
      width: 12,
    }),
    new GraphWidget({
      title: 'DynamoDB throttled events',
      left: Object.entries(props.tables).flatMap(([id, table]) => [
        table.metric('ReadThrottleEvents', { period: five, statistic: 'Sum', label: `${id} reads` }),
        table.metric('WriteThrottleEvents', { period: five, statistic: 'Sum', label: `${id} writes` }),
      ]),
      width: 12,
    }),
  );
  dashboard.addWidgets(
    new SingleValueWidget({
      title: 'Events in on-failure queues',
      metrics: [...props.failedEventQueues.entries()].map(([name, queue]) =>
        queue.metricApproximateNumberOfMessagesVisible({ period: five, statistic: 'Maximum', label: name }),
      ),
      width: 12,
    }),
    new GraphWidget({
      title: 'Cold starts (Powertools)',
      left: [
        new MathExpression({
          expression: `SEARCH('{${METRICS_NAMESPACE},function_name,service} MetricName="ColdStart"', 'Sum', 300)`,
          label: 'ColdStart',
          period: five,
        }),
      ],
      width: 12,
    }),
  );
  return dashboard;
}

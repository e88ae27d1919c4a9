import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Match } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { APP_METRICS, METRICS_NAMESPACE } from '../../infra/constructs/monitoring.ts';
import { FUNCTIONS } from '../../infra/functions.ts';
import { TABLES } from '../../shared/adapters/dynamodb/tables.ts';
import { QUEUE_LIMIT_SECONDS, RUN_LIMIT_SECONDS } from '../../shared/domain/exports/deadlines.ts';
import { inspect, REPO_ROOT, type Synth, synthLogbook } from './synth.ts';

/** Async invocation settings, on-failure queues, alarms, their topic and the dashboard. */
let s: Synth;
let view: ReturnType<typeof inspect>;
beforeAll(() => {
  s = synthLogbook({ context: { alarmEmail: 'oncall@example.com' } });
  view = inspect(s);
});

type Resource = { Type: string; Properties: Record<string, any> };
const resources = (type: string) => Object.entries(s.apiTemplate.findResources(type)) as [string, Resource][];
const logicalOf = (construct: { node: { defaultChild?: unknown } }) =>
  s.api.getLogicalId(construct.node.defaultChild as never);

describe('the export worker, invoked asynchronously', () => {
  it('is retried once at most, drops events older than the queue bound, and sends them to an SQS queue', () => {
    const queue = s.api.failedEventQueues.get('export-worker')!;
    const configs = resources('AWS::Lambda::EventInvokeConfig');
    expect(configs).toHaveLength(1);
    const [, config] = configs[0]!;
    expect(view.render(config.Properties.FunctionName)).toBe('fn:export-worker');
    expect(config.Properties).toMatchObject({
      Qualifier: '$LATEST',
      MaximumRetryAttempts: 1,
      MaximumEventAgeInSeconds: QUEUE_LIMIT_SECONDS,
      DestinationConfig: { OnFailure: { Destination: { 'Fn::GetAtt': [logicalOf(queue), 'Arn'] } } },
    });
  });

  it('keeps the on-failure queue encrypted, TLS-only, for 14 days, and may send only to it', () => {
    const queue = s.api.failedEventQueues.get('export-worker')!;
    s.apiTemplate.hasResourceProperties('AWS::SQS::Queue', {
      SqsManagedSseEnabled: true,
      MessageRetentionPeriod: 14 * 86_400,
    });
    s.apiTemplate.hasResourceProperties('AWS::SQS::QueuePolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
        ]),
      },
    });
    const queueArn = `${logicalOf(queue)}.Arn`;
    const sqs = view.fn('export-worker').grants('sqs:');
    expect(Object.keys(sqs).length).toBeGreaterThan(0);
    for (const targets of Object.values(sqs)) expect(targets).toEqual([queueArn]);
  });

  it('can never outlive the bounds the sweeper assumes (domain/exports/deadlines.ts)', () => {
    for (const name of ['export-worker', 'schedule-dispatcher']) {
      expect(FUNCTIONS[name]!.timeoutSeconds, name).toBeLessThanOrEqual(RUN_LIMIT_SECONDS);
      expect(view.fn(name).props.Timeout, name).toBeLessThanOrEqual(RUN_LIMIT_SECONDS);
    }
    expect(FUNCTIONS['export-worker']!.asyncInvoke!.maxEventAgeSeconds).toBeLessThanOrEqual(
      QUEUE_LIMIT_SECONDS,
    );
  });
});

describe('the export sweeper', () => {
  it('runs on the dispatcher’s cadence and may only read and update the state table', () => {
    expect(FUNCTIONS['export-sweeper']!.schedule).toEqual(FUNCTIONS['schedule-dispatcher']!.schedule);
    const state = TABLES.find((t) => t.id === 'State')!;
    expect(view.fn('export-sweeper').grants('dynamodb:')).toEqual({
      'dynamodb:GetItem': ['State.Arn'],
      'dynamodb:Query': ['State.Arn', ...state.indexes.map((i) => `State.Arn/index/${i.name}`)].sort(),
      'dynamodb:UpdateItem': ['State.Arn'],
    });
  });
});

describe('alarms', () => {
  const alarms = () => resources('AWS::CloudWatch::Alarm');
  const alarm = (id: string) => {
    const found = alarms().find(([, a]) => String(a.Properties.AlarmName).endsWith(`-${id}`));
    if (!found) throw new Error(`no alarm ${id}`);
    return found[1].Properties;
  };
  const topicId = () => logicalOf(s.api.monitoring.topic);

  it('notify one encrypted, TLS-only SNS topic, on alarm and on recovery', () => {
    expect(alarms().length).toBeGreaterThan(0);
    for (const [, a] of alarms()) {
      expect(a.Properties.AlarmActions).toEqual([{ Ref: topicId() }]);
      expect(a.Properties.OKActions).toEqual([{ Ref: topicId() }]);
      expect(a.Properties.TreatMissingData).toBe('notBreaching');
      expect(a.Properties.AlarmDescription).toMatch(/docs\/operations\.md#[a-z0-9]+$/);
    }
    s.apiTemplate.hasResourceProperties('AWS::SNS::Topic', { KmsMasterKeyId: Match.anyValue() });
    s.apiTemplate.hasResourceProperties('AWS::KMS::Key', { EnableKeyRotation: true });
    s.apiTemplate.hasResourceProperties('AWS::SNS::TopicPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
        ]),
      },
    });
  });

  it('subscribe the alarmEmail setting to the topic, and nobody without it', () => {
    s.apiTemplate.hasResourceProperties('AWS::SNS::Subscription', {
      Protocol: 'email',
      Endpoint: 'oncall@example.com',
      TopicArn: { Ref: topicId() },
    });
    synthLogbook().apiTemplate.resourceCountIs('AWS::SNS::Subscription', 0);
  });

  it('watch the share of 5xx answers of the API', () => {
    const a = alarm('Api5xxRate');
    expect(a).toMatchObject({ Threshold: 5, EvaluationPeriods: 3, DatapointsToAlarm: 2 });
    const math = a.Metrics.find((m: { Expression?: string }) => m.Expression);
    expect(math.Expression).toBe('IF(requests > 0, 100 * errors / requests, 0)');
    const names = a.Metrics.filter((m: any) => m.MetricStat).map((m: any) => m.MetricStat.Metric.MetricName);
    expect(names.sort()).toEqual(['5xx', 'Count']);
  });

  it('watch throttles of every function', () => {
    for (const name of s.api.functions.keys()) {
      expect(alarm(`Throttles-${name}`)).toMatchObject({ MetricName: 'Throttles', Namespace: 'AWS/Lambda' });
    }
  });

  it('watch the depth of every on-failure queue', () => {
    expect([...s.api.failedEventQueues.keys()]).toEqual(['export-worker']);
    expect(alarm('FailedEvents-export-worker')).toMatchObject({
      MetricName: 'ApproximateNumberOfMessagesVisible',
      Namespace: 'AWS/SQS',
      Threshold: 1,
    });
  });

  it('watch failed exports (the Powertools metric of the worker and the sweeper)', () => {
    expect(alarm('ExportFailures')).toMatchObject({
      MetricName: 'ExportsFailed',
      Namespace: METRICS_NAMESPACE,
      Dimensions: [{ Name: 'service', Value: 'logbook' }],
      Statistic: 'Sum',
      Period: 900,
    });
  });

  it('watch AWS calls refused as non-retryable (the metric of the one AWS error mapper)', () => {
    expect(alarm('AwsNonRetryableErrors')).toMatchObject({
      MetricName: 'AwsNonRetryableErrors',
      Namespace: METRICS_NAMESPACE,
      Dimensions: [{ Name: 'service', Value: 'logbook' }],
      Statistic: 'Sum',
      Period: 300,
      Threshold: 1,
    });
  });

  it('watch the errors of the scheduled functions (dispatcher, sweeper)', () => {
    for (const name of ['schedule-dispatcher', 'export-sweeper']) {
      expect(alarm(`Errors-${name}`)).toMatchObject({ MetricName: 'Errors', Namespace: 'AWS/Lambda' });
    }
  });

  it('watch throttled reads and writes of every table', () => {
    for (const table of TABLES) {
      const names = alarm(`DynamoThrottles-${table.id}`)
        .Metrics.filter((m: any) => m.MetricStat)
        .map((m: any) => m.MetricStat.Metric.MetricName)
        .sort();
      expect(names).toEqual(['ReadThrottleEvents', 'WriteThrottleEvents']);
    }
  });

  it('leave a hook for the age of the oldest unsealed hour that reaches the same topic', () => {
    expect(typeof s.api.monitoring.alarmOnOldestUnsealedHour).toBe('function');
  });

  it('are each explained in docs/operations.md', () => {
    const runbook = readFileSync(join(REPO_ROOT, 'docs/operations.md'), 'utf8');
    for (const [, a] of alarms()) {
      const anchor = String(a.Properties.AlarmDescription).split('#').at(-1)!;
      const headings = [...runbook.matchAll(/^#{2,4} (.+)$/gm)].map((m) =>
        m[1]!
          .toLowerCase()
          .replace(/[^a-z0-9 -]/g, '')
          .replace(/ /g, '-'),
      );
      expect(headings, anchor).toContain(anchor);
    }
  });
});

describe('the dashboard', () => {
  it('is one dashboard that charts every Powertools metric the functions emit', () => {
    const dashboards = resources('AWS::CloudWatch::Dashboard');
    expect(dashboards).toHaveLength(1);
    const body = JSON.stringify(dashboards[0]![1].Properties.DashboardBody);
    expect(body).toContain(`\\"${METRICS_NAMESPACE}\\"`);
    const names = Object.values(APP_METRICS).flat();
    for (const name of [...names, 'ColdStart']) expect(body, name).toContain(name);
  });

  it('charts only metrics some function really emits', () => {
    const sources = [
      'shared/observability.ts',
      'functions/export-worker/handler.ts',
      'functions/export-sweeper/handler.ts',
      'functions/schedule-dispatcher/handler.ts',
    ]
      .map((f) => readFileSync(join(REPO_ROOT, f), 'utf8'))
      .join('\n');
    for (const name of Object.values(APP_METRICS).flat()) {
      const emitted =
        sources.includes(`'${name}'`) ||
        // recordIngest builds `${log}EventsCreated` for Audit and Activity.
        /^(Audit|Activity)Events(Created|Duplicate)$/.test(name);
      expect(emitted, name).toBe(true);
    }
  });
});

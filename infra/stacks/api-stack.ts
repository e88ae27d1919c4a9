import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Annotations, CfnOutput, Duration, Stack, type StackProps } from 'aws-cdk-lib';
import { AccessLogFormat } from 'aws-cdk-lib/aws-apigateway';
import {
  CorsHttpMethod,
  HttpApi,
  HttpMethod,
  HttpRoute,
  HttpRouteKey,
  HttpStage,
  type IHttpRouteAuthorizer,
  LogGroupLogDestination,
} from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpIamAuthorizer, HttpJwtAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import { Rule, Schedule } from 'aws-cdk-lib/aws-events';
import { LambdaFunction } from 'aws-cdk-lib/aws-events-targets';
import { ManagedPolicy, PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { SqsDestination } from 'aws-cdk-lib/aws-lambda-destinations';
import { LogGroup, type RetentionDays } from 'aws-cdk-lib/aws-logs';
import { EmailIdentity, Identity } from 'aws-cdk-lib/aws-ses';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { NagSuppressions } from 'cdk-nag';
import type { Construct } from 'constructs';
import { NOT_FOUND_FUNCTION, ROUTES, type RouteDef } from '../../functions/routes.ts';
import { appMetric, Monitoring } from '../constructs/monitoring.ts';
import { ServiceFunction } from '../constructs/service-function.ts';
import { FUNCTIONS, type FunctionSpec, type QueueName, type TableGrant } from '../functions.ts';
import type { DeploySettings } from '../settings.ts';
import type { DataStack } from './data-stack.ts';

export interface ApiStackProps extends StackProps {
  data: DataStack;
  settings: DeploySettings;
  /** Repository root; functions live in <projectRoot>/functions/<name>/handler.ts. */
  projectRoot: string;
  /** Defaults to functions/routes.ts and infra/functions.ts (tests pass their own). */
  routes?: readonly RouteDef[];
  manifest?: Readonly<Record<string, FunctionSpec>>;
}

/** HTTP API integrations give up after 30 s, so a routed function must finish first. */
const MAX_ROUTED_TIMEOUT_SECONDS = 29;

/**
 * The HTTP API and every function. One Lambda per manifest entry (each must have its
 * functions/<name>/handler.ts), one route per functions/routes.ts entry with its
 * authorizer, `$default` → not-found, stage throttling and JSON access logs, and the scheduled
 * triggers the manifest declares.
 */
export class ApiStack extends Stack {
  readonly api: HttpApi;
  readonly functions: ReadonlyMap<string, ServiceFunction>;
  readonly queues: ReadonlyMap<QueueName, Queue>;
  /** On-failure destinations of the asynchronously invoked functions. */
  readonly failedEventQueues: ReadonlyMap<string, Queue>;
  readonly monitoring: Monitoring;

  constructor(scope: Construct, id: string, props: ApiStackProps) {
    super(scope, id, props);
    const { data, settings, projectRoot } = props;
    const routes = props.routes ?? ROUTES;
    const manifest = props.manifest ?? FUNCTIONS;
    const handlerPath = (name: string) => join(projectRoot, 'functions', name, 'handler.ts');

    const routed = new Set([...routes.map((r) => r.fn), NOT_FOUND_FUNCTION]);
    for (const name of routed) {
      const spec = manifest[name];
      if (!spec) throw new Error(`functions/${name} serves a route but has no entry in infra/functions.ts`);
      if ((spec.timeoutSeconds ?? 10) > MAX_ROUTED_TIMEOUT_SECONDS) {
        throw new Error(`functions/${name} serves a route: timeoutSeconds must be at most 29`);
      }
    }

    const cors =
      settings.corsAllowOrigins.length > 0
        ? {
            allowOrigins: settings.corsAllowOrigins,
            allowMethods: [
              CorsHttpMethod.GET,
              CorsHttpMethod.POST,
              CorsHttpMethod.PUT,
              CorsHttpMethod.DELETE,
            ],
            allowHeaders: ['authorization', 'content-type'],
            maxAge: Duration.hours(1),
          }
        : undefined;
    this.api = new HttpApi(this, 'Api', {
      apiName: `logbook-${settings.stage}`,
      description: 'Logbook audit log and activity log API',
      createDefaultStage: false,
      ...(cors ? { corsPreflight: cors } : {}),
    });

    const accessLogs = new LogGroup(this, 'AccessLogs', {
      retention: settings.logRetentionDays as RetentionDays,
    });
    new HttpStage(this, 'DefaultStage', {
      httpApi: this.api,
      stageName: '$default',
      autoDeploy: true,
      throttle: { rateLimit: settings.throttleRateLimit, burstLimit: settings.throttleBurstLimit },
      accessLogSettings: {
        destination: new LogGroupLogDestination(accessLogs),
        format: AccessLogFormat.custom(JSON.stringify(accessLogFields(settings.claims))),
      },
    });
    const publicBaseUrl = settings.publicBaseUrl ?? this.api.apiEndpoint;

    // Functions: one per manifest entry.
    const functions = new Map<string, ServiceFunction>();
    for (const [name, spec] of Object.entries(manifest)) {
      if (!existsSync(handlerPath(name))) throw new Error(`functions/${name}/handler.ts is missing`);
      functions.set(
        name,
        new ServiceFunction(this, `Fn-${name}`, {
          name,
          entry: handlerPath(name),
          projectRoot,
          description: spec.description,
          memoryMb: spec.memoryMb ?? 256,
          timeoutSeconds: spec.timeoutSeconds ?? 10,
          stage: settings.stage,
          logRetention: settings.logRetentionDays as RetentionDays,
          ...(spec.reservedConcurrency ? { reservedConcurrency: settings[spec.reservedConcurrency] } : {}),
        }),
      );
    }
    this.functions = functions;

    // Queues: one per name a function sends to or consumes, each with a dead-letter queue.
    const queues = new Map<QueueName, Queue>();
    const queue = (name: QueueName) => {
      let found = queues.get(name);
      if (!found) {
        const consumer = Object.values(manifest).find((spec) => spec.consumes?.queue === name);
        // A message stays invisible while its consumer may still run (Lambda's own rule).
        const visibility = (consumer?.timeoutSeconds ?? 10) + 60;
        const deadLetters = new Queue(this, `Queue-${name}-dlq`, {
          encryption: QueueEncryption.SQS_MANAGED,
          enforceSSL: true,
          retentionPeriod: Duration.days(14),
        });
        found = new Queue(this, `Queue-${name}`, {
          encryption: QueueEncryption.SQS_MANAGED,
          enforceSSL: true,
          visibilityTimeout: Duration.seconds(visibility),
          deadLetterQueue: { queue: deadLetters, maxReceiveCount: 5 },
        });
        queues.set(name, found);
      }
      return found;
    };

    this.queues = queues;
    const failedEventQueues = new Map<string, Queue>();
    for (const [name, fn] of functions) {
      const spec = manifest[name]!;
      this.bindFromManifest(fn, spec, { data, settings, functions, publicBaseUrl });
      for (const target of spec.sendsTo ?? []) fn.bindQueueSender(target, queue(target));
      if (spec.consumes) fn.bindQueueConsumer(queue(spec.consumes.queue), spec.consumes.maxConcurrency);
      if (spec.asyncInvoke)
        failedEventQueues.set(name, this.configureAsyncInvoke(name, fn, spec.asyncInvoke));
      // Every function behind a route runs the HTTP middleware, which reads the claim names.
      if (routed.has(name)) fn.bindClaims(settings.claims);
      if (spec.schedule) {
        new Rule(this, `Schedule-${name}`, {
          description: `Logbook ${settings.stage}: ${name} every ${spec.schedule.everyMinutes} minutes`,
          schedule: Schedule.rate(Duration.minutes(spec.schedule.everyMinutes)),
          targets: [new LambdaFunction(fn.function, { retryAttempts: 2, maxEventAge: Duration.minutes(10) })],
        });
      }
    }

    // The SES sending identity, when the stack is to create it (else it is verified by hand).
    if (settings.sesIdentity !== 'none') {
      const domain = settings.senderEmail.split('@')[1]!;
      const identity = new EmailIdentity(this, 'SenderIdentity', {
        identity:
          settings.sesIdentity === 'email' ? Identity.email(settings.senderEmail) : Identity.domain(domain),
      });
      if (settings.sesIdentity === 'domain') {
        identity.dkimRecords.forEach((record, i) => {
          new CfnOutput(this, `SenderDkimRecord${i + 1}`, {
            value: `${record.name} CNAME ${record.value}`,
            description: `Easy DKIM: publish this CNAME in the DNS of ${domain}`,
          });
        });
      }
    }

    // Routes.
    const jwt = new HttpJwtAuthorizer('Jwt', settings.jwtIssuer, {
      authorizerName: 'jwt',
      jwtAudience: [settings.jwtAudience],
    });
    const iam = new HttpIamAuthorizer();
    const integrations = new Map<string, HttpLambdaIntegration>();
    const integration = (name: string) => {
      let found = integrations.get(name);
      if (!found) {
        found = new HttpLambdaIntegration(`Integration-${name}`, functions.get(name)!.function);
        integrations.set(name, found);
      }
      return found;
    };
    const serviceRouteArns: string[] = [];
    for (const route of routes) {
      const authorizer: IHttpRouteAuthorizer | undefined =
        route.auth === 'user' ? jwt : route.auth === 'service' ? iam : undefined;
      const [created] = this.api.addRoutes({
        path: route.path,
        methods: [HttpMethod[route.method]],
        integration: integration(route.fn),
        ...(authorizer ? { authorizer } : {}),
      });
      if (route.auth === 'none' && created) {
        NagSuppressions.addResourceSuppressions(created, [
          {
            id: 'AwsSolutions-APIG4',
            reason: `${route.method} ${route.path} is public by contract (API.md): health, the OpenAPI document, or a route that checks its own signed token.`,
          },
        ]);
      }
      if (route.auth === 'service') {
        serviceRouteArns.push(
          this.formatArn({
            service: 'execute-api',
            resource: this.api.apiId,
            // Path parameters are concrete values in the request ARN.
            resourceName: `$default/${route.method}${route.path.replace(/\{[^}]+\}/g, '*')}`,
          }),
        );
      }
    }
    const defaultRoute = new HttpRoute(this, 'DefaultRoute', {
      httpApi: this.api,
      routeKey: HttpRouteKey.DEFAULT,
      integration: integration(NOT_FOUND_FUNCTION),
    });
    NagSuppressions.addResourceSuppressions(defaultRoute, [
      {
        id: 'AwsSolutions-APIG4',
        reason:
          'The $default route only answers a problem+json 404 for paths no route matches; it reads nothing.',
      },
    ]);

    // What the platform's own services attach to call the IAM (service) routes.
    if (serviceRouteArns.length > 0) {
      const invokePolicy = new ManagedPolicy(this, 'ServiceInvokePolicy', {
        description: `Logbook ${settings.stage}: call the service (IAM) routes with SigV4`,
        statements: [new PolicyStatement({ actions: ['execute-api:Invoke'], resources: serviceRouteArns })],
      });
      NagSuppressions.addResourceSuppressions(invokePolicy, [
        {
          id: 'AwsSolutions-IAM5',
          reason:
            'A service route with a path parameter is granted for any value of that parameter, nothing wider.',
          appliesTo: [{ regex: '/^Resource::arn:.*:execute-api:.*\\*.*$/g' }],
        },
      ]);
      new CfnOutput(this, 'ServiceInvokePolicyArn', { value: invokePolicy.managedPolicyArn });
    }

    new CfnOutput(this, 'ApiUrl', {
      value: this.api.apiEndpoint,
      description: 'Base URL of the Logbook API',
    });

    this.failedEventQueues = failedEventQueues;
    this.monitoring = new Monitoring(this, 'Monitoring', {
      stage: settings.stage,
      api: this.api,
      functions,
      scheduled: [...functions.keys()].filter((name) => manifest[name]?.schedule),
      failedEventQueues,
      tables: Object.fromEntries(Object.entries(data.tables).map(([id, bound]) => [id, bound.table])),
      ...(settings.alarmEmail ? { alarmEmail: settings.alarmEmail } : {}),
    });
    if (manifest['audit-sealer']) {
      // The sealer reports how long ago the oldest hour it has not sealed yet ended: 0 when healthy
      // (an hour is sealed 5–10 minutes after it ends); a failing sealer alarms as Errors-audit-sealer.
      this.monitoring.alarmOnOldestUnsealedHour(
        appMetric('OldestUnsealedHourMinutes', { period: Duration.minutes(15), statistic: 'Maximum' }),
        45,
      );
    }
    new CfnOutput(this, 'AlarmTopicArn', {
      value: this.monitoring.topic.topicArn,
      description: 'SNS topic every alarm of the stage notifies',
    });
  }

  /**
   * Retries and event age as the manifest says, and an on-failure destination: an encrypted SQS
   * queue that keeps the events Lambda gave up on for 14 days (alarmed by Monitoring).
   */
  private configureAsyncInvoke(
    name: string,
    fn: ServiceFunction,
    config: NonNullable<FunctionSpec['asyncInvoke']>,
  ): Queue {
    const queue = new Queue(this, `FailedEvents-${name}`, {
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    NagSuppressions.addResourceSuppressions(queue, [
      {
        id: 'AwsSolutions-SQS3',
        reason:
          'This queue is itself the on-failure destination of asynchronous invocations (a dead-letter queue); it is read by a person following docs/operations.md, never by a consumer that could fail.',
      },
    ]);
    fn.function.configureAsyncInvoke({
      retryAttempts: config.retryAttempts,
      maxEventAge: Duration.seconds(config.maxEventAgeSeconds),
      onFailure: new SqsDestination(queue),
    });
    return queue;
  }

  /** Turns a manifest entry into bind* calls: the only place a function gets env and IAM. */
  private bindFromManifest(
    fn: ServiceFunction,
    spec: FunctionSpec,
    ctx: {
      data: DataStack;
      settings: DeploySettings;
      functions: ReadonlyMap<string, ServiceFunction>;
      publicBaseUrl: string;
    },
  ): void {
    const { data, settings } = ctx;
    for (const [tableId, grant] of Object.entries(spec.tables ?? {}) as [
      keyof DataStack['tables'],
      TableGrant['access'] | TableGrant,
    ][]) {
      const { access, batch } = typeof grant === 'string' ? { access: grant, batch: false } : grant;
      fn.bindTable(data.tables[tableId], access, { batch: batch ?? false });
    }
    if (spec.bucket) fn.bindBucket(data.exportsBucket, spec.bucket.access, spec.bucket.prefix);
    if (spec.signingSecret) fn.bindSigningSecret(data.signingSecret);
    if (spec.sealKey) fn.bindSealKey(data.sealKey);
    if (spec.personKeys) fn.bindPersonKeys(data.tables.Keys, data.personKeysKey, spec.personKeys);
    if (spec.sender) fn.bindSender(settings.senderEmail, settings.sesSandboxRecipients);
    for (const target of spec.invoke ?? []) {
      const targetFn = ctx.functions.get(target);
      if (!targetFn)
        throw new Error(`functions/${fn.name} invokes ${target}, which has no entry in infra/functions.ts`);
      fn.bindInvoke(targetFn);
    }
    for (const setting of spec.settings ?? []) {
      switch (setting) {
        case 'AUDIT_RETENTION_MONTHS':
          fn.bindSetting(setting, settings.auditRetentionMonths);
          break;
        case 'ACTIVITY_RETENTION_MONTHS':
          fn.bindSetting(setting, settings.activityRetentionMonths);
          break;
        case 'EXPORT_LINK_DAYS':
          fn.bindSetting(setting, settings.exportLinkDays);
          break;
        case 'PUBLIC_BASE_URL':
          fn.bindSetting(setting, ctx.publicBaseUrl);
          break;
        case 'SHARDS':
          fn.bindSetting('TENANT_SHARDS', settings.tenantShards);
          fn.bindSetting('DEFAULT_SHARDS', settings.defaultShards);
          break;
        case 'COST_HEADERS':
          fn.bindSetting(setting, settings.costHeaders ? 'on' : 'off');
          break;
        case 'SERVICE_CALLERS':
          fn.bindSetting(setting, settings.serviceCallers.join(','));
          if (settings.serviceCallers.length === 0) {
            Annotations.of(fn).addWarningV2(
              'logbook:no-service-callers',
              `${fn.name} serves IAM routes but serviceCallers is empty: every service call gets 403`,
            );
          }
          break;
      }
    }
  }
}

/**
 * One JSON object per request. The raw path is left out on purpose: it would log download tokens.
 * A claim whose name is not a plain identifier (`custom:tenant_id`) cannot be named in an access
 * log variable, so its field is left out.
 */
function accessLogFields(claims: DeploySettings['claims']): Record<string, string> {
  const claimOf: Record<string, string> = { sub: claims.subject, tenantId: claims.tenantId };
  return Object.fromEntries(
    Object.entries(ACCESS_LOG_FIELDS).flatMap(([field, value]) => {
      const claim = claimOf[field];
      if (claim === undefined) return [[field, value]];
      return /^[A-Za-z0-9_]+$/.test(claim) ? [[field, `$context.authorizer.claims.${claim}`]] : [];
    }),
  );
}

const ACCESS_LOG_FIELDS = {
  requestId: '$context.requestId',
  requestTime: '$context.requestTime',
  ip: '$context.identity.sourceIp',
  userAgent: '$context.identity.userAgent',
  routeKey: '$context.routeKey',
  status: '$context.status',
  protocol: '$context.protocol',
  responseLength: '$context.responseLength',
  latencyMs: '$context.responseLatency',
  integrationLatencyMs: '$context.integrationLatency',
  integrationError: '$context.integrationErrorMessage',
  authorizerError: '$context.authorizer.error',
  sub: '$context.authorizer.claims.sub',
  tenantId: '$context.authorizer.claims.tenant_id',
  caller: '$context.identity.userArn',
};

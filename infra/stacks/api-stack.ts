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
import { LogGroup, type RetentionDays } from 'aws-cdk-lib/aws-logs';
import { NagSuppressions } from 'cdk-nag';
import type { Construct } from 'constructs';
import { NOT_FOUND_FUNCTION, ROUTES, type RouteDef } from '../../functions/routes.ts';
import { ServiceFunction } from '../constructs/service-function.ts';
import { FUNCTIONS, type FunctionSpec, type TableGrant } from '../functions.ts';
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
 * The HTTP API and every function. One Lambda per manifest entry whose handler exists (so
 * functions appear as their folders land), one route per functions/routes.ts entry with its
 * authorizer, `$default` → not-found, stage throttling and JSON access logs, and the scheduled
 * triggers the manifest declares.
 */
export class ApiStack extends Stack {
  readonly api: HttpApi;
  readonly functions: ReadonlyMap<string, ServiceFunction>;

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
      if (!existsSync(handlerPath(name))) throw new Error(`functions/${name}/handler.ts is missing`);
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
        format: AccessLogFormat.custom(JSON.stringify(ACCESS_LOG_FIELDS)),
      },
    });
    const publicBaseUrl = settings.publicBaseUrl ?? this.api.apiEndpoint;

    // Functions: one per manifest entry whose handler exists.
    const functions = new Map<string, ServiceFunction>();
    for (const [name, spec] of Object.entries(manifest)) {
      if (!existsSync(handlerPath(name))) continue;
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
        }),
      );
    }
    this.functions = functions;

    for (const [name, fn] of functions) {
      const spec = manifest[name]!;
      this.bindFromManifest(fn, spec, { data, settings, functions, publicBaseUrl });
      if (spec.schedule) {
        new Rule(this, `Schedule-${name}`, {
          description: `Logbook ${settings.stage}: ${name} every ${spec.schedule.everyMinutes} minutes`,
          schedule: Schedule.rate(Duration.minutes(spec.schedule.everyMinutes)),
          targets: [new LambdaFunction(fn.function, { retryAttempts: 2, maxEventAge: Duration.minutes(10) })],
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
    if (spec.digestSigner) fn.bindDigestSigner(data.digestKey);
    if (spec.sender) fn.bindSender(settings.senderEmail, settings.sesSandboxRecipients);
    for (const target of spec.invoke ?? []) {
      const targetFn = ctx.functions.get(target);
      if (targetFn) fn.bindInvoke(targetFn);
      else {
        Annotations.of(fn).addWarningV2(
          'logbook:missing-invoke-target',
          `${fn.name} invokes ${target}, which has no functions/${target}/handler.ts yet: not bound`,
        );
      }
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
      }
    }
  }
}

/** One JSON object per request. The raw path is left out on purpose: it would log download tokens. */
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

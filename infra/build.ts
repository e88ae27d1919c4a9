import { join } from 'node:path';
import { type App, Aspects, Tags } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import type { RouteDef } from '../functions/routes.ts';
import type { FunctionSpec } from './functions.ts';
import { readSettings } from './settings.ts';
import { ApiStack } from './stacks/api-stack.ts';
import { ConsoleStack } from './stacks/console-stack.ts';
import { DataStack } from './stacks/data-stack.ts';

export interface BuildOptions {
  /** Repository root. */
  projectRoot: string;
  /** Test seams; default functions/routes.ts and infra/functions.ts. */
  routes?: readonly RouteDef[];
  manifest?: Readonly<Record<string, FunctionSpec>>;
  /** The built console the `console` setting deploys; default console/dist. */
  consoleDist?: string;
}

/**
 * The Logbook app: the data stack, the API stack on top of it, and cdk-nag's AwsSolutions checks
 * over both (an unacknowledged error fails `cdk synth`). Settings come from the app's context.
 */
export function buildLogbook(app: App, options: BuildOptions) {
  const settings = readSettings(app.node);
  // Environment-agnostic unless an account is known (context, or the CLI's credentials), so an
  // offline synth without credentials works and names no made-up account.
  const account = settings.account ?? process.env.CDK_DEFAULT_ACCOUNT;
  const region = settings.region ?? (account ? process.env.CDK_DEFAULT_REGION : undefined);
  const env = account || region ? { account, region } : undefined;
  const prefix = `Logbook-${settings.stage}`;

  const data = new DataStack(app, `${prefix}-Data`, {
    ...(env ? { env } : {}),
    description: `Logbook ${settings.stage}: tables, exports bucket, signing secret`,
    terminationProtection: settings.stage === 'prod',
    exportLinkDays: settings.exportLinkDays,
  });
  const api = new ApiStack(app, `${prefix}-Api`, {
    ...(env ? { env } : {}),
    description: `Logbook ${settings.stage}: HTTP API, functions, schedules`,
    data,
    settings,
    projectRoot: options.projectRoot,
    ...(options.routes ? { routes: options.routes } : {}),
    ...(options.manifest ? { manifest: options.manifest } : {}),
  });

  const consoleSite = settings.console
    ? new ConsoleStack(app, `${prefix}-Console`, {
        ...(env ? { env } : {}),
        description: `Logbook ${settings.stage}: admin console (S3, CloudFront)`,
        api: api.api,
        accessLogsBucket: data.accessLogsBucket,
        consoleDist: options.consoleDist ?? join(options.projectRoot, 'console', 'dist'),
      })
    : undefined;

  Tags.of(app).add('app', 'logbook');
  Tags.of(app).add('stage', settings.stage);
  Aspects.of(app).add(new AwsSolutionsChecks({ verbose: true }));
  return { settings, data, api, consoleSite };
}

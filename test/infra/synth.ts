import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { App, type CfnElement, type Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import type { IConstruct } from 'constructs';
import { afterAll } from 'vitest';
import type { RouteDef } from '../../functions/routes.ts';
import { buildLogbook } from '../../infra/build.ts';
import type { FunctionSpec } from '../../infra/functions.ts';

export const REPO_ROOT = resolve(import.meta.dirname, '../..');

/** Every cloud assembly and fixture of this test process lives here, removed on exit. */
const SCRATCH = mkdtempSync(join(tmpdir(), 'logbook-infra-test-'));
afterAll(() => rmSync(SCRATCH, { recursive: true, force: true }));

/**
 * A real-looking issuer for synths in tests (cdk.json's is a placeholder, which the settings
 * refuse); `npm run synth` passes the same one.
 */
export const TEST_ISSUER = 'https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_LogbookSynthCheck';

/** The context `cdk synth` would see: cdk.json's, plus overrides. */
export function cdkJsonContext(): Record<string, unknown> {
  return JSON.parse(readFileSync(join(REPO_ROOT, 'cdk.json'), 'utf8')).context;
}

export interface SynthOptions {
  /** Bundle with esbuild (slow); off, assets are placeholders (what the assertions need). */
  bundle?: boolean;
  context?: Record<string, unknown>;
  projectRoot?: string;
  routes?: readonly RouteDef[];
  manifest?: Readonly<Record<string, FunctionSpec>>;
}

export function synthLogbook(options: SynthOptions = {}) {
  const app = new App({
    outdir: mkdtempSync(join(SCRATCH, 'cdk-')),
    context: {
      ...cdkJsonContext(),
      jwtIssuer: TEST_ISSUER,
      stage: 'test',
      ...(options.bundle ? {} : { 'aws:cdk:bundling-stacks': [] }),
      ...options.context,
    },
  });
  const built = buildLogbook(app, {
    projectRoot: options.projectRoot ?? REPO_ROOT,
    ...(options.routes ? { routes: options.routes } : {}),
    ...(options.manifest ? { manifest: options.manifest } : {}),
  });
  return {
    app,
    ...built,
    dataTemplate: Template.fromStack(built.data),
    apiTemplate: Template.fromStack(built.api),
  };
}

/** Routes of every auth kind on functions of the full manifest (the real table grows over time). */
export const SAMPLE_ROUTES: readonly RouteDef[] = [
  { method: 'GET', path: '/health', fn: 'health', auth: 'none' },
  { method: 'GET', path: '/v1/openapi.json', fn: 'openapi', auth: 'none' },
  { method: 'POST', path: '/v1/audit-events', fn: 'audit-ingest', auth: 'service' },
  { method: 'GET', path: '/v1/audit-events', fn: 'audit-query', auth: 'user' },
  { method: 'GET', path: '/v1/audit-events/{id}', fn: 'audit-query', auth: 'user' },
  { method: 'PUT', path: '/v1/directory/users', fn: 'directory', auth: 'service' },
  { method: 'POST', path: '/v1/activity-events', fn: 'activity-ingest', auth: 'service' },
  { method: 'GET', path: '/v1/activity', fn: 'activity-query', auth: 'user' },
  { method: 'POST', path: '/v1/exports', fn: 'exports', auth: 'user' },
  { method: 'GET', path: '/v1/downloads/{token}', fn: 'downloads', auth: 'none' },
  { method: 'POST', path: '/v1/reports', fn: 'reports', auth: 'user' },
];

type Json = unknown;

/**
 * Renders CloudFormation values readably: `{Fn::ImportValue: '…Audit…Arn…'}` → `Audit.Arn`,
 * `{Fn::Join: ['', [x, '/index/byTime']]}` → `Audit.Arn/index/byTime`, `{Ref: 'SigningSecretAB12'}`
 * → `SigningSecret`. Logical ids are mapped back to construct ids through `names`.
 */
export function makeRenderer(names: Record<string, string>, exportsByName: Record<string, string>) {
  const friendly = (logicalId: string) => names[logicalId] ?? logicalId;
  const render = (value: Json): string => {
    if (typeof value === 'string') return value;
    if (value && typeof value === 'object') {
      const v = value as Record<string, Json>;
      if ('Ref' in v) return friendly(String(v.Ref));
      if ('Fn::GetAtt' in v) {
        const [id, attr] = v['Fn::GetAtt'] as [string, string];
        return `${friendly(id)}.${attr}`;
      }
      if ('Fn::ImportValue' in v) {
        const name = render(v['Fn::ImportValue']);
        return exportsByName[name] ?? `import(${name})`;
      }
      if ('Fn::Join' in v) {
        const [sep, parts] = v['Fn::Join'] as [string, Json[]];
        return parts.map(render).join(sep);
      }
    }
    return JSON.stringify(value);
  };
  return render;
}

export interface Statement {
  Effect: string;
  Action: string | string[];
  Resource: Json | Json[];
  Condition?: Record<string, Record<string, string>>;
}

export const asList = <T>(x: T | T[]): T[] => (Array.isArray(x) ? x : [x]);

export type Synth = ReturnType<typeof synthLogbook>;

/** Looks at one function's resources and rendered IAM statements. */
export function inspect(s: Synth) {
  const { data, api } = s;
  const logical = (stack: Stack, c: IConstruct) => stack.getLogicalId(c.node.defaultChild as CfnElement);
  const dataNames: Record<string, string> = {
    [logical(data, data.exportsBucket)]: 'Exports',
    [logical(data, data.accessLogsBucket)]: 'AccessLogs',
    [logical(data, data.signingSecret)]: 'SigningSecret',
  };
  for (const [id, bound] of Object.entries(data.tables)) dataNames[logical(data, bound.table)] = id;
  const renderData = makeRenderer(dataNames, {});
  const exportsByName: Record<string, string> = {};
  for (const output of Object.values(s.dataTemplate.toJSON().Outputs ?? {}) as {
    Value: Json;
    Export?: { Name: string };
  }[]) {
    if (output.Export) exportsByName[output.Export.Name] = renderData(output.Value);
  }
  const apiNames: Record<string, string> = {
    [api.getLogicalId(api.api.node.defaultChild as CfnElement)]: 'Api',
  };
  for (const [name, fn] of api.functions) {
    apiNames[logical(api, fn.function)] = `fn:${name}`;
    apiNames[logical(api, fn.logGroup)] = `logs:${name}`;
    apiNames[logical(api, fn.role)] = `role:${name}`;
  }
  for (const [name, queue] of api.queues) apiNames[logical(api, queue)] = `Queue-${name}`;
  const render = makeRenderer(apiNames, exportsByName);
  const resources = s.apiTemplate.toJSON().Resources as Record<
    string,
    { Type: string; Properties: Record<string, Json> }
  >;

  const fn = (name: string) => {
    const f = api.functions.get(name);
    if (!f) throw new Error(`no function ${name}`);
    const props = resources[logical(api, f.function)]!.Properties;
    const roleId = logical(api, f.role);
    const statements = Object.values(resources)
      .filter(
        (r) =>
          r.Type === 'AWS::IAM::Policy' &&
          (r.Properties.Roles as Json[]).some((x) => (x as { Ref?: string }).Ref === roleId),
      )
      .flatMap((r) => (r.Properties.PolicyDocument as { Statement: Statement[] }).Statement)
      .map((st) => ({
        effect: st.Effect,
        actions: asList(st.Action).sort(),
        resources: asList(st.Resource).map(render).sort(),
        condition: st.Condition,
      }));
    const env = (props.Environment as { Variables: Record<string, Json> }).Variables;
    return {
      props,
      statements,
      /** Every action this role may perform, with the resources it may perform it on. */
      grants(prefix: string): Record<string, string[]> {
        const out: Record<string, string[]> = {};
        for (const st of statements) {
          for (const action of st.actions.filter((a) => a.startsWith(prefix))) {
            out[action] = [...(out[action] ?? []), ...st.resources].sort();
          }
        }
        return out;
      },
      env: Object.fromEntries(Object.entries(env).map(([k, v]) => [k, render(v)])),
    };
  };
  return { fn, render, resources };
}

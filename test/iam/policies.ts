import type { CfnElement, Stack } from 'aws-cdk-lib';
import type { Synth } from '../infra/synth.ts';
import type { RecordingMeta } from '../integration/support/sdk-calls.ts';

/**
 * Each function's identity policies from the synthesized templates, with every CloudFormation
 * value resolved to what it would be in an account: pseudo parameters from the recording's
 * account and region, tables and the exports bucket by the physical names the local stack used
 * (so recorded ARNs and granted ARNs name the same things), other resources by their logical id.
 */
export interface Statement {
  Effect: string;
  Action: string | string[];
  Resource: string | string[];
  Condition?: Record<string, Record<string, string | string[]>>;
}
export interface Policy {
  Version: string;
  Statement: Statement[];
}

type Json = unknown;
type Resources = Record<string, { Type: string; Properties?: Record<string, Json> }>;

export function resolverFor(s: Synth, meta: RecordingMeta) {
  const { region, account } = meta;
  const dataJson = s.dataTemplate.toJSON() as { Resources: Resources; Outputs?: Record<string, Json> };
  const apiJson = s.apiTemplate.toJSON() as { Resources: Resources };
  const logical = (stack: Stack, c: { node: { defaultChild?: unknown } }) =>
    stack.getLogicalId(c.node.defaultChild as CfnElement);

  /** Physical names of the data stack's named resources. */
  const names = new Map<string, string>();
  /** ARN → friendly name (`Audit`, `Exports`), for messages and justification keys. */
  const friendlyNames: Array<[string, string]> = [];
  for (const [id, bound] of Object.entries(s.data.tables)) {
    const name = meta.names[bound.def.envVar] ?? `logbook-${id.toLowerCase()}`;
    names.set(logical(s.data, bound.table), name);
    friendlyNames.push([`arn:aws:dynamodb:${region}:${account}:table/${name}`, id]);
  }
  const bucket = meta.names.EXPORTS_BUCKET ?? 'logbook-exports';
  names.set(logical(s.data, s.data.exportsBucket), bucket);
  friendlyNames.push([`arn:aws:s3:::${bucket}`, 'Exports']);
  names.set(logical(s.data, s.data.accessLogsBucket), 'logbook-access-logs');
  const secretArn = `arn:aws:secretsmanager:${region}:${account}:secret:logbook-signing-AbCdEf`;
  friendlyNames.push([secretArn, 'SigningSecret']);
  for (const [name, queue] of s.api.queues) {
    names.set(logical(s.api, queue), `logbook-${name}`);
    friendlyNames.push([`arn:aws:sqs:${region}:${account}:logbook-${name}`, `queue:${name}`]);
  }
  for (const [name, queue] of s.api.failedEventQueues) {
    names.set(logical(s.api, queue), `logbook-${name}-failed-events`);
    friendlyNames.push([
      `arn:aws:sqs:${region}:${account}:logbook-${name}-failed-events`,
      `failed-events:${name}`,
    ]);
  }
  for (const [name, fn] of s.api.functions) {
    names.set(logical(s.api, fn.function), `logbook-${name}`);
    friendlyNames.push([`arn:aws:lambda:${region}:${account}:function:logbook-${name}`, `fn:${name}`]);
  }

  const exportsByName = new Map<string, Json>();
  for (const output of Object.values(dataJson.Outputs ?? {}) as { Value: Json; Export?: { Name: Json } }[]) {
    if (output.Export && typeof output.Export.Name === 'string')
      exportsByName.set(output.Export.Name, output.Value);
  }

  const pseudo: Record<string, string> = {
    'AWS::Region': region,
    'AWS::AccountId': account,
    'AWS::Partition': 'aws',
    'AWS::URLSuffix': 'amazonaws.com',
  };

  function ref(resources: Resources, id: string): string {
    if (pseudo[id]) return pseudo[id];
    const type = resources[id]?.Type;
    if (type === 'AWS::SecretsManager::Secret') return secretArn;
    return names.get(id) ?? id;
  }

  function arnOf(resources: Resources, id: string): string {
    const type = resources[id]?.Type;
    const name = names.get(id) ?? id;
    switch (type) {
      case 'AWS::DynamoDB::Table':
        return `arn:aws:dynamodb:${region}:${account}:table/${name}`;
      case 'AWS::S3::Bucket':
        return `arn:aws:s3:::${name}`;
      case 'AWS::Lambda::Function':
        return `arn:aws:lambda:${region}:${account}:function:${name}`;
      case 'AWS::Logs::LogGroup':
        return `arn:aws:logs:${region}:${account}:log-group:${name}:*`;
      case 'AWS::IAM::Role':
        return `arn:aws:iam::${account}:role/${name}`;
      case 'AWS::SQS::Queue':
        return `arn:aws:sqs:${region}:${account}:${name}`;
      default:
        return `arn:aws:cloudformation:${region}:${account}:resource/${id}`;
    }
  }

  function resolve(value: Json, resources: Resources): Json {
    if (Array.isArray(value)) return value.map((v) => resolve(v, resources));
    if (!value || typeof value !== 'object') return value;
    const v = value as Record<string, Json>;
    if ('Ref' in v) return ref(resources, String(v.Ref));
    if ('Fn::GetAtt' in v) {
      const [id, attr] = v['Fn::GetAtt'] as [string, string];
      return attr === 'Arn' ? arnOf(resources, id) : `${ref(resources, id)}.${attr}`;
    }
    if ('Fn::ImportValue' in v) {
      const name = resolve(v['Fn::ImportValue'], resources);
      const exported = exportsByName.get(String(name));
      if (exported === undefined) throw new Error(`unresolved import ${String(name)}`);
      return resolve(exported, dataJson.Resources);
    }
    if ('Fn::Join' in v) {
      const [sep, parts] = v['Fn::Join'] as [string, Json[]];
      return parts.map((p) => String(resolve(p, resources))).join(sep);
    }
    if ('Fn::Select' in v) {
      const [index, list] = v['Fn::Select'] as [number | string, Json];
      return (resolve(list, resources) as Json[])[Number(index)];
    }
    if ('Fn::Split' in v) {
      const [sep, source] = v['Fn::Split'] as [string, Json];
      return String(resolve(source, resources)).split(sep);
    }
    if ('Fn::Sub' in v) {
      const template = String(Array.isArray(v['Fn::Sub']) ? v['Fn::Sub'][0] : v['Fn::Sub']);
      return template.replace(/\$\{([^}]+)\}/g, (_, name: string) => ref(resources, name));
    }
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, resolve(x, resources)]));
  }

  /** `arn:aws:dynamodb:…:table/logbook-audit/index/byTime` → `Audit/index/byTime`. */
  function friendly(arn: string): string {
    for (const [prefix, name] of friendlyNames) {
      if (arn === prefix) return name;
      if (arn.startsWith(`${prefix}/`)) return `${name}${arn.slice(prefix.length)}`;
    }
    return arn.replace(`arn:aws:ses:${region}:${account}:identity/`, 'ses-identity/');
  }

  return { resolve: (value: Json) => resolve(value, apiJson.Resources), friendly };
}

/** Each function's identity policies (every AWS::IAM::Policy attached to its role), resolved. */
export function policiesOf(s: Synth, resolver: ReturnType<typeof resolverFor>): Map<string, Policy[]> {
  const resources = (s.apiTemplate.toJSON() as { Resources: Resources }).Resources;
  const out = new Map<string, Policy[]>();
  for (const [name, fn] of s.api.functions) {
    const roleId = s.api.getLogicalId(fn.role.node.defaultChild as CfnElement);
    const docs = Object.values(resources)
      .filter(
        (r) =>
          r.Type === 'AWS::IAM::Policy' &&
          ((r.Properties?.Roles as Json[]) ?? []).some((x) => (x as { Ref?: string }).Ref === roleId),
      )
      .map((r) => resolver.resolve(r.Properties?.PolicyDocument) as Policy);
    out.set(name, docs);
  }
  return out;
}

/** How a grant is named in infra/functions.ts `unexercised`: `dynamodb:GetItem Audit`. */
export function grantKey(action: string, friendlyResource: string): string {
  return `${action} ${friendlyResource}`;
}

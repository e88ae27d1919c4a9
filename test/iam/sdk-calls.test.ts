import { runSimulation } from '@cloud-copilot/iam-simulate';
import { beforeAll, describe, expect, it } from 'vitest';
import { FUNCTIONS, UNEXERCISED_LOCALLY } from '../../infra/functions.ts';
import { type Synth, synthLogbook } from '../infra/synth.ts';
import { type RecordedCall, type RecordingMeta, readRecording } from '../integration/support/sdk-calls.ts';
import { grantKey, type Policy, policiesOf, resolverFor } from './policies.ts';

/**
 * Every AWS SDK call a function sent while the integration suites ran (recorded by
 * test/integration/support/sdk-calls.ts) is evaluated against that function's IAM policy in the
 * synthesized template, with account, region and table and bucket names resolved, by a real IAM
 * policy evaluator (@cloud-copilot/iam-simulate: AGPL, a devDependency, never bundled). The local
 * stack enforces no IAM, so this is what proves a call cannot be denied in AWS. Then every
 * granted action no recorded call used must be justified in infra/functions.ts, or removed.
 *
 * Runs in the `iam` project, after the integration project (vitest groupOrder), on the calls
 * that run recorded. Nothing here names a function: new functions are covered by their manifest
 * entry and their calls.
 */
let recording: { meta: RecordingMeta; calls: RecordedCall[] };
let s: Synth;
let policies: Map<string, Policy[]>;
let friendly: (arn: string) => string;

beforeAll(() => {
  const read = readRecording();
  if (!read || read.calls.length === 0) {
    throw new Error(
      'No recorded SDK calls: the integration project records them (npm test runs it first; alone: npm run test:iam)',
    );
  }
  recording = read;
  // Deployed with the sender the local stack sends from, so the SES identities are the same.
  s = synthLogbook({ context: { senderEmail: recording.meta.names.SENDER_EMAIL } });
  const resolver = resolverFor(s, recording.meta);
  policies = policiesOf(s, resolver);
  friendly = resolver.friendly;
});

interface Verdict {
  call: RecordedCall;
  allowed: boolean;
  detail: string;
}

async function evaluate(call: RecordedCall, identityPolicies: Policy[]): Promise<Verdict> {
  const result = await runSimulation(
    {
      request: {
        principal: `arn:aws:iam::${recording.meta.account}:role/${call.fn}`,
        action: call.action,
        resource: { resource: call.resource, accountId: recording.meta.account },
        contextVariables: call.context ?? {},
      },
      identityPolicies: identityPolicies.map((policy, i) => ({ name: `${call.fn}-${i}`, policy })),
      serviceControlPolicies: [],
      resourceControlPolicies: [],
    },
    {},
  );
  if (result.resultType === 'error') return { call, allowed: false, detail: result.errors.message };
  return { call, allowed: result.overallResult === 'Allowed', detail: result.overallResult };
}

/** `*` and `?` of an IAM resource pattern, as a regular expression. */
const patternOf = (resource: string) =>
  new RegExp(
    `^${resource
      .replace(/[.+^${}()|[\]\\]/g, '\\$&')
      .replace(/\*/g, '.*')
      .replace(/\?/g, '.')}$`,
  );

describe('every recorded SDK call is allowed by its function’s deployed policy', () => {
  let verdicts: Verdict[];
  beforeAll(async () => {
    verdicts = [];
    for (const call of recording.calls) {
      const identity = policies.get(call.fn);
      verdicts.push(
        identity
          ? await evaluate(call, identity)
          : { call, allowed: false, detail: 'no such function in the synthesized template' },
      );
    }
  });

  it('denies none of them (function: action on resource)', () => {
    const denied = verdicts
      .filter((v) => !v.allowed)
      .map((v) => `${v.call.fn}: ${v.call.action} on ${v.call.resource} (${v.detail})`)
      .sort();
    expect(denied).toEqual([]);
  });

  it('covers every function the integration suites run', () => {
    const called = new Set(recording.calls.map((c) => c.fn));
    // Functions that send no SDK call at all (health, openapi, not-found) have nothing to check.
    const granted = [...policies.entries()]
      .filter(([, list]) => list.some((p) => p.Statement.some((st) => serviceActions(st).length > 0)))
      .map(([fn]) => fn);
    expect(granted.filter((fn) => !called.has(fn))).toEqual([]);
    console.info(
      `IAM parity: ${recording.calls.length} distinct (function, action, resource) calls from ${called.size} functions checked, ${verdicts.filter((v) => !v.allowed).length} denied`,
    );
  });
});

describe('the check fails on a manifest without the batch grants the adapters need', () => {
  /**
   * The faults issue 14 found in the template: the directory's BatchWriteItem and the audit
   * exports' BatchGetItem were never granted. The same recorded calls, evaluated against the
   * policies of a manifest with every `batch` option removed, must be denied, each by name.
   */
  it('denies the Directory BatchWriteItem and the Audit BatchGetItem of every function that sends them', async () => {
    const withoutBatch = Object.fromEntries(
      Object.entries(FUNCTIONS).map(([name, spec]) => [
        name,
        {
          ...spec,
          tables: Object.fromEntries(
            Object.entries(spec.tables ?? {}).map(([table, grant]) => [
              table,
              typeof grant === 'string' ? grant : grant.access,
            ]),
          ),
        },
      ]),
    );
    const mutated = synthLogbook({
      manifest: withoutBatch,
      context: { senderEmail: recording.meta.names.SENDER_EMAIL },
    });
    const mutatedPolicies = policiesOf(mutated, resolverFor(mutated, recording.meta));
    const denied: string[] = [];
    for (const call of recording.calls) {
      const verdict = await evaluate(call, mutatedPolicies.get(call.fn) ?? []);
      if (!verdict.allowed) denied.push(`${call.fn}: ${call.action} ${friendly(call.resource)}`);
    }
    const batchCalls = recording.calls
      .filter((c) => c.action === 'dynamodb:BatchGetItem' || c.action === 'dynamodb:BatchWriteItem')
      .map((c) => `${c.fn}: ${c.action} ${friendly(c.resource)}`);
    expect(denied.sort()).toEqual([...new Set(batchCalls)].sort());
    expect(denied).toEqual(
      expect.arrayContaining([
        'directory: dynamodb:BatchWriteItem Directory',
        'export-worker: dynamodb:BatchGetItem Audit',
        'schedule-run-worker: dynamodb:BatchGetItem Audit',
      ]),
    );
    console.info(`IAM parity, batch grants removed: ${denied.length} calls denied (${denied.join('; ')})`);
  });
});

/** Actions of the services the functions call through the SDK (not logs and X-Ray plumbing). */
const CHECKED_SERVICES = new Set(['dynamodb', 's3', 'ses', 'lambda', 'secretsmanager', 'sqs', 'kms']);
function serviceActions(st: Policy['Statement'][number]): string[] {
  const actions = Array.isArray(st.Action) ? st.Action : [st.Action];
  return actions.filter((a) => CHECKED_SERVICES.has(a.split(':')[0]!));
}

describe('every granted action is used by a recorded call, or justified in infra/functions.ts', () => {
  /**
   * A grant's unit: a table with its indexes (which index a query uses is the planner's choice per
   * filter), an S3 prefix, SES identities (address and domain: whichever the account verified).
   */
  const family = (resource: string) =>
    resource.startsWith('ses-identity/') ? 'ses-identity' : resource.replace(/\/index\/.*$/, '');

  /** `fn: action resource` for each grant no recorded call of that function used. */
  function unusedGrants(): Map<string, { fn: string; key: string }> {
    const out = new Map<string, { fn: string; key: string }>();
    const used = new Set<string>();
    for (const [fn, list] of policies) {
      const calls = recording.calls.filter((c) => c.fn === fn);
      for (const st of list.flatMap((p) => p.Statement)) {
        if (st.Effect !== 'Allow') continue;
        const resources = Array.isArray(st.Resource) ? st.Resource : [st.Resource];
        for (const action of serviceActions(st)) {
          for (const resource of resources) {
            const pattern = patternOf(resource);
            const key0 = `${fn}: ${grantKey(action, family(friendly(resource)))}`;
            if (calls.some((c) => c.action === action && pattern.test(c.resource))) {
              used.add(key0);
              continue;
            }
            const key = grantKey(action, family(friendly(resource)));
            out.set(`${fn}: ${key}`, { fn, key });
          }
        }
      }
    }
    for (const key of used) out.delete(key);
    return out;
  }

  const justification = (fn: string, key: string): string | undefined =>
    FUNCTIONS[fn]?.unexercised?.[key] ?? UNEXERCISED_LOCALLY[key.split(' ')[0]!];

  it('leaves no grant unused without a reason', () => {
    const unused = unusedGrants();
    const inManifest = [...unused.values()].filter(({ fn, key }) => FUNCTIONS[fn]?.unexercised?.[key]);
    console.info(
      `IAM parity: ${unused.size} granted (function, action, resource family) not used by any recorded call: ${inManifest.length} justified in their manifest entry, ${unused.size - inManifest.length} by UNEXERCISED_LOCALLY (${[...unused.keys()].sort().join('; ')})`,
    );
    const unjustified = [...unused.entries()]
      .filter(([, { fn, key }]) => !justification(fn, key))
      .map(([line]) => line)
      .sort();
    expect(unjustified).toEqual([]);
  });

  it('keeps no reason for a grant that calls do use', () => {
    const unused = unusedGrants();
    const stale = Object.entries(FUNCTIONS).flatMap(([fn, spec]) =>
      Object.keys(spec.unexercised ?? {})
        .filter((key) => !unused.has(`${fn}: ${key}`))
        .map((key) => `${fn}: ${key}`),
    );
    expect(stale).toEqual([]);
  });
});

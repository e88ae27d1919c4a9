import type { Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { SAMPLE_ROUTES, type Synth, synthLogbook } from './synth.ts';

/** cdk-nag's AwsSolutions pack runs as an Aspect of the app (infra/build.ts). */
const NAG = Match.stringLikeRegexp('AwsSolutions-.*');

interface Suppression {
  id: string;
  reason: string;
  applies_to?: unknown[];
}

function suppressions(stack: Stack): { path: string; rule: Suppression }[] {
  const template = Template.fromStack(stack).toJSON();
  const out: { path: string; rule: Suppression }[] = [];
  const collect = (path: string, metadata: unknown) => {
    const rules = (metadata as { cdk_nag?: { rules_to_suppress?: Suppression[] } } | undefined)?.cdk_nag
      ?.rules_to_suppress;
    for (const rule of rules ?? []) out.push({ path, rule });
  };
  collect('(stack)', template.Metadata);
  for (const [id, resource] of Object.entries(template.Resources as Record<string, { Metadata?: unknown }>)) {
    collect(id, resource.Metadata);
  }
  return out;
}

const cases: [string, () => Synth][] = [
  ['the app as it is today', () => synthLogbook()],
  ['every manifest function with routes of each auth kind', () => synthLogbook({ routes: SAMPLE_ROUTES })],
];

for (const [label, make] of cases) {
  describe(`cdk-nag AwsSolutions: ${label}`, () => {
    let s: Synth;
    beforeAll(() => {
      s = make();
    });

    it('leaves no unacknowledged error or warning in either stack', () => {
      for (const stack of [s.data, s.api]) {
        const annotations = Annotations.fromStack(stack);
        const messages = (xs: { id: string; entry: { data?: unknown } }[]) =>
          xs.map((x) => `${x.id}: ${String(x.entry.data).slice(0, 160)}`);
        expect(messages(annotations.findError('*', NAG))).toEqual([]);
        expect(messages(annotations.findWarning('*', NAG))).toEqual([]);
      }
    });

    it('gives every suppression a real reason, and scopes every IAM5 one to named findings', () => {
      const all = [...suppressions(s.data), ...suppressions(s.api)];
      expect(all.length).toBeGreaterThan(0);
      for (const { path, rule } of all) {
        expect(rule.id, path).toMatch(/^AwsSolutions-/);
        expect(rule.reason.length, `${path} ${rule.id}`).toBeGreaterThanOrEqual(60);
        if (rule.id === 'AwsSolutions-IAM5') expect(rule.applies_to?.length ?? 0, path).toBeGreaterThan(0);
      }
    });

    it('suppresses nothing at stack level', () => {
      expect(suppressions(s.data).filter((x) => x.path === '(stack)')).toEqual([]);
      expect(suppressions(s.api).filter((x) => x.path === '(stack)')).toEqual([]);
    });
  });
}

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildLogbook } from '../../infra/build.ts';
import { CONSOLE_CSP } from '../../infra/stacks/console-stack.ts';
import { buildConsole } from '../../local/console.ts';
import { cdkJsonContext, REPO_ROOT, synthLogbook, TEST_ISSUER } from './synth.ts';

/** The `console` setting: off by default; on, S3 + CloudFront with OAC and security headers, nag-clean. */
const NAG = Match.stringLikeRegexp('AwsSolutions-.*');
let scratch: string;
let template: Template;
let annotations: Annotations;

beforeAll(async () => {
  scratch = mkdtempSync(join(tmpdir(), 'logbook-console-stack-'));
  const dist = join(scratch, 'dist');
  await buildConsole(dist);
  const app = new App({
    outdir: join(scratch, 'cdk.out'),
    context: {
      ...cdkJsonContext(),
      jwtIssuer: TEST_ISSUER,
      stage: 'test',
      console: 'true',
      'aws:cdk:bundling-stacks': [],
    },
  });
  const built = buildLogbook(app, { projectRoot: REPO_ROOT, consoleDist: dist });
  if (!built.consoleSite) throw new Error('no console stack');
  template = Template.fromStack(built.consoleSite);
  annotations = Annotations.fromStack(built.consoleSite);
}, 180_000);

afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe('the console deployment', () => {
  it('is off by default: the app has no console stack', () => {
    const s = synthLogbook();
    expect(s.consoleSite).toBeUndefined();
    expect(s.app.node.children.map((c) => c.node.id).filter((id) => id.endsWith('-Console'))).toEqual([]);
  });

  it('keeps the files in a private, encrypted, TLS-only bucket that CloudFront reads through Origin Access Control', () => {
    template.hasResourceProperties('AWS::S3::Bucket', {
      PublicAccessBlockConfiguration: {
        BlockPublicAcls: true,
        BlockPublicPolicy: true,
        IgnorePublicAcls: true,
        RestrictPublicBuckets: true,
      },
      BucketEncryption: Match.objectLike({}),
      LoggingConfiguration: Match.objectLike({ LogFilePrefix: 'console-bucket/' }),
    });
    template.resourceCountIs('AWS::CloudFront::OriginAccessControl', 1);
    template.hasResourceProperties('AWS::CloudFront::OriginAccessControl', {
      OriginAccessControlConfig: Match.objectLike({
        OriginAccessControlOriginType: 's3',
        SigningBehavior: 'always',
      }),
    });
    template.hasResourceProperties('AWS::CloudFront::Distribution', {
      DistributionConfig: Match.objectLike({
        DefaultRootObject: 'index.html',
        DefaultCacheBehavior: Match.objectLike({ ViewerProtocolPolicy: 'redirect-to-https' }),
        CacheBehaviors: [Match.objectLike({ PathPattern: '/v1/*', ViewerProtocolPolicy: 'https-only' })],
      }),
    });
    template.resourceCountIs('Custom::CDKBucketDeployment', 1);
  });

  it('sends a CSP without unsafe-inline scripts, HSTS, no framing and no sniffing', () => {
    expect(CONSOLE_CSP).toContain("script-src 'self'");
    expect(CONSOLE_CSP).not.toContain('unsafe-inline');
    template.hasResourceProperties('AWS::CloudFront::ResponseHeadersPolicy', {
      ResponseHeadersPolicyConfig: Match.objectLike({
        SecurityHeadersConfig: Match.objectLike({
          ContentSecurityPolicy: { ContentSecurityPolicy: CONSOLE_CSP, Override: true },
          StrictTransportSecurity: Match.objectLike({
            AccessControlMaxAgeSec: 31_536_000,
            IncludeSubdomains: true,
          }),
          FrameOptions: { FrameOption: 'DENY', Override: true },
          ContentTypeOptions: { Override: true },
        }),
      }),
    });
  });

  it('leaves no unacknowledged cdk-nag error or warning, and names a reason for each suppression', () => {
    const messages = (found: { id: string; entry: { data?: unknown } }[]) =>
      found.map((f) => `${f.id}: ${String(f.entry.data).split('\n')[0]}`);
    expect(messages(annotations.findError('*', NAG))).toEqual([]);
    expect(messages(annotations.findWarning('*', NAG))).toEqual([]);
    const json = template.toJSON() as {
      Resources: Record<string, { Metadata?: { cdk_nag?: { rules_to_suppress?: { reason: string }[] } } }>;
    };
    const reasons = Object.values(json.Resources).flatMap(
      (r) => r.Metadata?.cdk_nag?.rules_to_suppress ?? [],
    );
    expect(reasons.length).toBeGreaterThan(0);
    for (const r of reasons) expect(r.reason.length).toBeGreaterThanOrEqual(60);
  });
});

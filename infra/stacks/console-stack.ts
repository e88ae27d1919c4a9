import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { CfnOutput, Duration, Fn, RemovalPolicy, Stack, type StackProps } from 'aws-cdk-lib';
import type { HttpApi } from 'aws-cdk-lib/aws-apigatewayv2';
import {
  AllowedMethods,
  CachePolicy,
  Distribution,
  HeadersFrameOption,
  HeadersReferrerPolicy,
  HttpVersion,
  OriginRequestPolicy,
  ResponseHeadersPolicy,
  SecurityPolicyProtocol,
  ViewerProtocolPolicy,
} from 'aws-cdk-lib/aws-cloudfront';
import { HttpOrigin, S3BucketOrigin } from 'aws-cdk-lib/aws-cloudfront-origins';
import { BlockPublicAccess, Bucket, BucketEncryption, ObjectOwnership } from 'aws-cdk-lib/aws-s3';
import { BucketDeployment, Source } from 'aws-cdk-lib/aws-s3-deployment';
import { NagSuppressions } from 'cdk-nag';
import type { Construct } from 'constructs';

/** The console's CSP: scripts and styles from its own files only (no `unsafe-inline`), the API on the same origin. */
export const CONSOLE_CSP =
  "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'self'; form-action 'self'";

export interface ConsoleStackProps extends StackProps {
  /** The API the console calls: CloudFront forwards `/v1/*` to it, so the console and the API share one origin. */
  api: HttpApi;
  /** Where server access logs of the console's bucket go (the data stack's access-log bucket). */
  accessLogsBucket: Bucket;
  /** The built console (`npm run console:build`). */
  consoleDist: string;
}

/**
 * The admin console next to the API (the `console` setting, off by default): a private S3 bucket
 * read by CloudFront through Origin Access Control, security headers on every answer (CSP without
 * inline scripts, HSTS, no framing, no sniffing), and `/v1/*` forwarded to the HTTP API uncached,
 * so the console calls the API on its own origin and needs no CORS.
 */
export class ConsoleStack extends Stack {
  readonly distribution: Distribution;
  readonly bucket: Bucket;

  constructor(scope: Construct, id: string, props: ConsoleStackProps) {
    super(scope, id, props);
    if (!existsSync(join(props.consoleDist, 'index.html'))) {
      throw new Error(
        `The console is not built (${props.consoleDist}): run \`npm run console:build\` before synth.`,
      );
    }

    this.bucket = new Bucket(this, 'Site', {
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      encryption: BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      objectOwnership: ObjectOwnership.BUCKET_OWNER_ENFORCED,
      serverAccessLogsBucket: props.accessLogsBucket,
      serverAccessLogsPrefix: 'console-bucket/',
      // Built files only, but kept like every bucket of the app: `cdk destroy` leaves it for a person to empty.
      removalPolicy: RemovalPolicy.RETAIN,
    });

    const headers = new ResponseHeadersPolicy(this, 'SecurityHeaders', {
      comment: 'Logbook console: CSP without inline scripts, HSTS, no framing',
      securityHeadersBehavior: {
        contentSecurityPolicy: { contentSecurityPolicy: CONSOLE_CSP, override: true },
        strictTransportSecurity: {
          accessControlMaxAge: Duration.days(365),
          includeSubdomains: true,
          preload: false,
          override: true,
        },
        contentTypeOptions: { override: true },
        frameOptions: { frameOption: HeadersFrameOption.DENY, override: true },
        referrerPolicy: { referrerPolicy: HeadersReferrerPolicy.NO_REFERRER, override: true },
      },
    });

    const apiDomain = Fn.select(2, Fn.split('/', props.api.apiEndpoint));
    this.distribution = new Distribution(this, 'Distribution', {
      comment: 'Logbook admin console',
      defaultRootObject: 'index.html',
      httpVersion: HttpVersion.HTTP2_AND_3,
      minimumProtocolVersion: SecurityPolicyProtocol.TLS_V1_2_2021,
      defaultBehavior: {
        origin: S3BucketOrigin.withOriginAccessControl(this.bucket),
        viewerProtocolPolicy: ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
        responseHeadersPolicy: headers,
        cachePolicy: CachePolicy.CACHING_OPTIMIZED,
      },
      additionalBehaviors: {
        '/v1/*': {
          origin: new HttpOrigin(apiDomain),
          viewerProtocolPolicy: ViewerProtocolPolicy.HTTPS_ONLY,
          allowedMethods: AllowedMethods.ALLOW_ALL,
          cachePolicy: CachePolicy.CACHING_DISABLED,
          originRequestPolicy: OriginRequestPolicy.ALL_VIEWER_EXCEPT_HOST_HEADER,
          responseHeadersPolicy: headers,
        },
      },
    });

    new BucketDeployment(this, 'Files', {
      sources: [Source.asset(props.consoleDist)],
      destinationBucket: this.bucket,
      distribution: this.distribution,
      distributionPaths: ['/index.html'],
    });

    new CfnOutput(this, 'ConsoleUrl', {
      description: 'The admin console (open with #token=<JWT>)',
      value: `https://${this.distribution.distributionDomainName}/`,
    });

    NagSuppressions.addResourceSuppressions(this.distribution, [
      {
        id: 'AwsSolutions-CFR1',
        reason:
          'The console is for a tenant’s admins wherever they work; the API behind it authorizes every call by JWT.',
      },
      {
        id: 'AwsSolutions-CFR2',
        reason:
          'Static files and an API that already throttles per stage; a WAF web ACL is a deployment choice documented in docs/console.md.',
      },
      {
        id: 'AwsSolutions-CFR3',
        reason:
          'Standard logging needs an ACL-enabled bucket; the API keeps its own access logs and the bucket its server access logs.',
      },
      {
        id: 'AwsSolutions-CFR4',
        reason:
          'The default CloudFront certificate allows TLSv1 at the edge; a custom domain with its own certificate gets TLSv1.2_2021 as set here.',
      },
    ]);
    // BucketDeployment's function is a singleton at stack level, not under `deployment`.
    const copier = this.node.children.find((c) => c.node.id.startsWith('Custom::CDKBucketDeployment'));
    if (!copier) throw new Error('BucketDeployment made no function');
    NagSuppressions.addResourceSuppressions(
      copier,
      [
        {
          id: 'AwsSolutions-L1',
          reason:
            'The runtime of CDK’s BucketDeployment function is chosen by aws-cdk-lib and moves with its upgrades; it runs only at deploy time.',
        },
        {
          id: 'AwsSolutions-IAM4',
          reason:
            'CDK’s BucketDeployment custom resource uses the AWS managed basic execution role for its own logs only.',
          appliesTo: [
            'Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole',
          ],
        },
        {
          id: 'AwsSolutions-IAM5',
          reason:
            'CDK’s BucketDeployment copies the asset into this bucket and invalidates this distribution: the wildcards are its object keys.',
          appliesTo: [
            'Action::s3:GetBucket*',
            'Action::s3:GetObject*',
            'Action::s3:List*',
            'Action::s3:Abort*',
            'Action::s3:DeleteObject*',
            'Resource::*',
            { regex: '/^Resource::arn:<AWS::Partition>:s3:::cdk-.*\\/\\*$/g' },
            { regex: '/^Resource::<Site[0-9A-F]+\\.Arn>\\/\\*$/g' },
          ],
        },
      ],
      true,
    );
  }
}

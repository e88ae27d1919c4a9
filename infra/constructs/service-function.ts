import { Duration, Stack } from 'aws-cdk-lib';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import { Architecture, Runtime, Tracing } from 'aws-cdk-lib/aws-lambda';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import { Charset, NodejsFunction, OutputFormat, SourceMapMode } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup, type RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { IBucket } from 'aws-cdk-lib/aws-s3';
import type { ISecret } from 'aws-cdk-lib/aws-secretsmanager';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { NagSuppressions } from 'cdk-nag';
import { Construct } from 'constructs';
import {
  HELD_EXPIRY_ATTRIBUTE,
  type TableDef,
  TTL_ATTRIBUTE,
} from '../../shared/adapters/dynamodb/tables.ts';
import type { Config } from '../../shared/config.ts';
import { aliasArgs, ESM_REQUIRE_BANNER } from '../bundling/esbuild.ts';
import type { TableAccess } from '../functions.ts';

/** A table together with its definition, so grants can name its indexes and its env var. */
export interface BoundTable {
  table: ITable;
  def: TableDef;
}

export interface ServiceFunctionProps {
  /** Folder under functions/; also the function's description prefix. */
  name: string;
  /** Absolute path of functions/<name>/handler.ts. */
  entry: string;
  /** Repository root (package-lock.json lives there). */
  projectRoot: string;
  description: string;
  memoryMb: number;
  timeoutSeconds: number;
  stage: string;
  logRetention: RetentionDays;
  /** Reserved concurrency; undefined or 0 = none reserved (the account's unreserved pool). */
  reservedConcurrency?: number;
}

/** Every variable a function can receive; the Config keys plus runtime plumbing. */
type EnvName =
  | keyof Config
  | 'NODE_OPTIONS'
  | 'POWERTOOLS_SERVICE_NAME'
  | `${Uppercase<string>}_FUNCTION`
  | `${Uppercase<string>}_QUEUE_URL`;

const APPEND_ACTIONS = ['dynamodb:PutItem'];
const WRITE_ACTIONS = ['dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem'];
const UPDATE_ACTIONS = ['dynamodb:UpdateItem'];
/** What the `expiry` level may change on a log entry (shared/adapters/dynamodb/tables.ts). */
const EXPIRY_ATTRIBUTES = [TTL_ATTRIBUTE, HELD_EXPIRY_ATTRIBUTE];
/** What the `seal` level may add to a legacy audit entry (audit-keys.ts; `e` and `integrity` name `e.integrity`). */
const SEAL_ATTRIBUTES = ['h', 'sl', 'ss', 'e', 'integrity'];
/** What the `erasure` level may change on an audit entry: the list view and the plaintext helpers. */
const ERASURE_ATTRIBUTES = ['e', 'f', 'ipp'];
/** How long a warm function keeps an unwrapped person key (an erasure waits this long). */
export const KEY_CACHE_SECONDS = 300;

/**
 * The one Lambda construct: Node.js 22 on ARM64, an esbuild bundle per function (the AWS SDK v3
 * bundled, so each function carries only the clients it imports), its own log group and role,
 * active tracing. Environment variables and IAM permissions come ONLY from the bind* helpers,
 * each of which sets the variable shared/config.ts reads and grants the least privilege it needs.
 */
export class ServiceFunction extends Construct {
  readonly name: string;
  readonly function: NodejsFunction;
  readonly role: Role;
  readonly logGroup: LogGroup;

  constructor(scope: Construct, id: string, props: ServiceFunctionProps) {
    super(scope, id);
    this.name = props.name;

    this.logGroup = new LogGroup(this, 'Logs', { retention: props.logRetention });
    this.role = new Role(this, 'Role', {
      assumedBy: new ServicePrincipal('lambda.amazonaws.com'),
      description: `Logbook ${props.stage} ${props.name}`,
    });
    // Instead of the AWSLambdaBasicExecutionRole managed policy (any log group): its own only.
    this.logGroup.grantWrite(this.role);

    this.function = new NodejsFunction(this, 'Function', {
      entry: props.entry,
      handler: 'handler',
      projectRoot: props.projectRoot,
      depsLockFilePath: `${props.projectRoot}/package-lock.json`,
      description: `Logbook ${props.stage}: ${props.description}`.slice(0, 256),
      runtime: Runtime.NODEJS_22_X,
      architecture: Architecture.ARM_64,
      memorySize: props.memoryMb,
      timeout: Duration.seconds(props.timeoutSeconds),
      role: this.role,
      logGroup: this.logGroup,
      tracing: Tracing.ACTIVE,
      ...(props.reservedConcurrency ? { reservedConcurrentExecutions: props.reservedConcurrency } : {}),
      bundling: {
        format: OutputFormat.ESM,
        target: 'node20',
        minify: true,
        sourceMap: true,
        sourceMapMode: SourceMapMode.DEFAULT,
        sourcesContent: false,
        charset: Charset.UTF8,
        mainFields: ['module', 'main'],
        banner: ESM_REQUIRE_BANNER,
        // Bundle everything, the AWS SDK v3 included: the runtime's copy is not pinned and is
        // loaded whole; a bundle carries only the clients its handler imports.
        externalModules: [],
        // zod without its translated error messages (infra/bundling/esbuild.ts).
        esbuildArgs: aliasArgs(),
        forceDockerBundling: false,
      },
    });

    this.setEnv('STAGE', props.stage);
    this.setEnv('NODE_OPTIONS', '--enable-source-maps');
    this.setEnv('POWERTOOLS_SERVICE_NAME', 'logbook');

    NagSuppressions.addResourceSuppressions(
      this.role,
      [
        {
          id: 'AwsSolutions-IAM5',
          reason:
            'X-Ray tracing: xray:PutTraceSegments and xray:PutTelemetryRecords support no resource-level permissions, so the resource is "*".',
          appliesTo: ['Resource::*'],
        },
      ],
      true,
    );
    NagSuppressions.addResourceSuppressions(this.function, [
      {
        id: 'AwsSolutions-L1',
        reason:
          'Pinned to nodejs22.x on purpose: bundles target node20 so the same code runs in the local stack; move with the project, not with the newest runtime.',
      },
    ]);
  }

  /**
   * Sets the table's variable (TableDef.envVar) and grants exactly the actions of `access` on the
   * table, and Query on each of its named indexes (never `index/*`, never Scan). `batch` adds
   * BatchGetItem (`read`) or BatchWriteItem (`write`) on the table; `true`, those of the level.
   */
  bindTable(
    bound: BoundTable,
    access: TableAccess,
    options: { batch?: boolean | 'read' | 'write' } = {},
  ): this {
    const { table, def } = bound;
    this.setEnv(def.envVar, table.tableName);
    const queries = access !== 'append' && access !== 'write';
    const itemReads = queries && access !== 'query' && access !== 'expiry';
    const limited =
      access === 'expiry'
        ? EXPIRY_ATTRIBUTES
        : access === 'erasure'
          ? ERASURE_ATTRIBUTES
          : access === 'seal'
            ? SEAL_ATTRIBUTES
            : undefined;
    const writes =
      access === 'readWrite' || access === 'write'
        ? WRITE_ACTIONS
        : access === 'append' || access === 'readAppend'
          ? APPEND_ACTIONS
          : access === 'readUpdate'
            ? UPDATE_ACTIONS
            : [];
    // `true` adds each batch action the level's own reads or writes call for; `read` and `write`
    // add theirs whatever the level (the directory queries and upserts in batches, nothing else).
    const batchGet = options.batch === 'read' || (options.batch === true && queries);
    const batchWrite = options.batch === 'write' || (options.batch === true && writes.length > 0);
    // Item reads on the table.
    const reads = [
      ...(itemReads ? ['dynamodb:GetItem'] : []),
      ...(batchGet ? ['dynamodb:BatchGetItem'] : []),
    ];
    if (reads.length > 0) {
      this.role.addToPrincipalPolicy(new PolicyStatement({ actions: reads, resources: [table.tableArn] }));
    }
    // Query on the table and on each named index (never `index/*`).
    if (queries) {
      this.role.addToPrincipalPolicy(
        new PolicyStatement({
          actions: ['dynamodb:Query'],
          resources: [table.tableArn, ...def.indexes.map((index) => `${table.tableArn}/index/${index.name}`)],
        }),
      );
    }
    if (limited) {
      // Only the key and the named attributes may appear in the update (its names and key).
      this.role.addToPrincipalPolicy(
        new PolicyStatement({
          actions: UPDATE_ACTIONS,
          resources: [table.tableArn],
          conditions: {
            'ForAllValues:StringEquals': {
              'dynamodb:Attributes': [def.partitionKey, ...limited],
            },
          },
        }),
      );
    }
    const writeActions = [...writes, ...(batchWrite ? ['dynamodb:BatchWriteItem'] : [])];
    if (writeActions.length > 0) {
      this.role.addToPrincipalPolicy(
        new PolicyStatement({ actions: writeActions, resources: [table.tableArn] }),
      );
    }
    return this;
  }

  /** EXPORTS_BUCKET, and object actions under `prefix` only (no listing, no bucket-level actions). */
  bindBucket(bucket: IBucket, access: 'read' | 'write' | 'readWrite', prefix: string): this {
    if (!/^[a-z0-9][a-z0-9-]*\/$/.test(prefix)) {
      throw new Error(`bindBucket: prefix "${prefix}" must be a folder like "exports/"`);
    }
    this.setEnv('EXPORTS_BUCKET', bucket.bucketName);
    const actions = [
      ...(access === 'read' || access === 'readWrite' ? ['s3:GetObject'] : []),
      // PutObject covers the multipart calls of lib-storage's Upload except the abort.
      ...(access === 'write' || access === 'readWrite' ? ['s3:PutObject', 's3:AbortMultipartUpload'] : []),
    ];
    this.role.addToPrincipalPolicy(
      new PolicyStatement({ actions, resources: [bucket.arnForObjects(`${prefix}*`)] }),
    );
    NagSuppressions.addResourceSuppressions(
      this.role,
      [
        {
          id: 'AwsSolutions-IAM5',
          reason: `Object keys are generated per export, so access is granted to every object under the "${prefix}" prefix of the exports bucket and nowhere else.`,
          appliesTo: [{ regex: `/^Resource::.*\\/${prefix.replace('/', '')}\\/\\*$/g` }],
        },
      ],
      true,
    );
    return this;
  }

  /** SIGNING_SECRET_ARN, and GetSecretValue on that secret (read once per cold start). */
  /**
   * KEYS_TABLE, PERSON_KEYS_KMS_KEY_ID and KEY_CACHE_SECONDS; GetItem on the Keys table and
   * kms:Decrypt on the key, plus PutItem and kms:GenerateDataKey (`create`) or PutItem and
   * DeleteItem (`erase`: the retired copy put, the current item and later the copy deleted; no
   * key made). KMS calls only under an EncryptionContext naming a tenant and a person.
   */
  bindPersonKeys(bound: BoundTable, key: IKey, level: 'read' | 'create' | 'erase'): this {
    const { table, def } = bound;
    this.setEnv(def.envVar, table.tableName);
    this.setEnv('PERSON_KEYS_KMS_KEY_ID', key.keyArn);
    this.setEnv('KEY_CACHE_SECONDS', String(KEY_CACHE_SECONDS));
    const items = [
      'dynamodb:GetItem',
      ...(level === 'read' ? [] : ['dynamodb:PutItem']),
      ...(level === 'erase' ? ['dynamodb:DeleteItem'] : []),
    ];
    this.role.addToPrincipalPolicy(new PolicyStatement({ actions: items, resources: [table.tableArn] }));
    this.role.addToPrincipalPolicy(
      new PolicyStatement({
        actions: ['kms:Decrypt', ...(level === 'create' ? ['kms:GenerateDataKey'] : [])],
        resources: [key.keyArn],
        conditions: {
          'ForAllValues:StringEquals': { 'kms:EncryptionContextKeys': ['tenantId', 'personId'] },
        },
      }),
    );
    return this;
  }

  /** SEAL_KMS_KEY_ID, and kms:Sign and kms:GetPublicKey on that key only. */
  bindSealKey(key: IKey): this {
    this.setEnv('SEAL_KMS_KEY_ID', key.keyArn);
    this.role.addToPrincipalPolicy(
      new PolicyStatement({ actions: ['kms:Sign', 'kms:GetPublicKey'], resources: [key.keyArn] }),
    );
    return this;
  }

  bindSigningSecret(secret: ISecret): this {
    this.setEnv('SIGNING_SECRET_ARN', secret.secretArn);
    this.role.addToPrincipalPolicy(
      new PolicyStatement({ actions: ['secretsmanager:GetSecretValue'], resources: [secret.secretArn] }),
    );
    return this;
  }

  /**
   * SENDER_EMAIL, and ses:SendEmail through its SES identity, only with that From address. The
   * identity may be the address itself or its domain (whichever was verified), so both are named.
   * In the SES sandbox, sends are also authorized against the (verified) recipients' identities.
   */
  bindSender(email: string, sandboxRecipients: readonly string[] = []): this {
    const domain = email.split('@')[1];
    if (!domain) throw new Error(`bindSender: "${email}" is not an e-mail address`);
    this.setEnv('SENDER_EMAIL', email);
    const stack = Stack.of(this);
    this.role.addToPrincipalPolicy(
      new PolicyStatement({
        actions: ['ses:SendEmail'],
        resources: [email, domain, ...sandboxRecipients].map((identity) =>
          stack.formatArn({ service: 'ses', resource: 'identity', resourceName: identity }),
        ),
        conditions: { StringEquals: { 'ses:FromAddress': email } },
      }),
    );
    return this;
  }

  /** `<NAME>_FUNCTION` (e.g. EXPORT_WORKER_FUNCTION) and lambda:InvokeFunction on that function only. */
  bindInvoke(target: ServiceFunction): this {
    this.setEnv(`${functionEnvPrefix(target.name)}_FUNCTION`, target.function.functionName);
    this.role.addToPrincipalPolicy(
      new PolicyStatement({ actions: ['lambda:InvokeFunction'], resources: [target.function.functionArn] }),
    );
    return this;
  }

  /** `<NAME>_QUEUE_URL` (e.g. SCHEDULE_RUNS_QUEUE_URL) and sqs:SendMessage (batches too) on that queue only. */
  bindQueueSender(name: string, queue: IQueue): this {
    this.setEnv(`${functionEnvPrefix(name)}_QUEUE_URL`, queue.queueUrl);
    this.role.addToPrincipalPolicy(
      new PolicyStatement({ actions: ['sqs:SendMessage'], resources: [queue.queueArn] }),
    );
    return this;
  }

  /**
   * The queue triggers this function, one message per invocation, failed messages reported back
   * (the event source mapping grants receive, delete and visibility changes on that queue only).
   */
  bindQueueConsumer(queue: IQueue, maxConcurrency: number): this {
    this.function.addEventSource(
      new SqsEventSource(queue, { batchSize: 1, reportBatchItemFailures: true, maxConcurrency }),
    );
    return this;
  }

  /**
   * JWT_CLAIM_*: the names of the claims that carry tenant, role, reporting and subject, read by
   * the HTTP middleware (shared/http/handler.ts) of every function behind a route.
   */
  bindClaims(claims: { tenantId: string; role: string; reporting: string; subject: string }): this {
    this.setEnv('JWT_CLAIM_TENANT_ID', claims.tenantId);
    this.setEnv('JWT_CLAIM_ROLE', claims.role);
    this.setEnv('JWT_CLAIM_REPORTING', claims.reporting);
    this.setEnv('JWT_CLAIM_SUB', claims.subject);
    return this;
  }

  /** A plain setting: retention, link lifetime, shards, the public base URL. */
  bindSetting(
    name:
      | 'AUDIT_RETENTION_MONTHS'
      | 'ACTIVITY_RETENTION_MONTHS'
      | 'EXPORT_LINK_DAYS'
      | 'PUBLIC_BASE_URL'
      | 'TENANT_SHARDS'
      | 'DEFAULT_SHARDS'
      | 'COST_HEADERS'
      | 'SERVICE_CALLERS',
    value: string | number,
  ): this {
    this.setEnv(name, String(value));
    return this;
  }

  private setEnv(name: EnvName, value: string): void {
    this.function.addEnvironment(name, value);
  }
}

/** `export-worker` → `EXPORT_WORKER` (the variable is `EXPORT_WORKER_FUNCTION`). */
function functionEnvPrefix(name: string): Uppercase<string> {
  return name.toUpperCase().replace(/-/g, '_') as Uppercase<string>;
}

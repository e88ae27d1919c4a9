import { Duration, RemovalPolicy, Stack, type StackProps } from 'aws-cdk-lib';
import { AttributeType, BillingMode, ProjectionType, Table, TableEncryption } from 'aws-cdk-lib/aws-dynamodb';
import { Key, KeySpec, KeyUsage } from 'aws-cdk-lib/aws-kms';
import { BlockPublicAccess, Bucket, BucketEncryption, ObjectOwnership } from 'aws-cdk-lib/aws-s3';
import { Secret } from 'aws-cdk-lib/aws-secretsmanager';
import { NagSuppressions } from 'cdk-nag';
import type { Construct } from 'constructs';
import { TABLES, type TableDef } from '../../shared/adapters/dynamodb/tables.ts';
import type { BoundTable } from '../constructs/service-function.ts';

export interface DataStackProps extends StackProps {
  /** Days a download link stays valid; export files expire one day later. */
  exportLinkDays: number;
}

/** Where export files live in the bucket; the lifecycle rule and every grant use it. */
export const EXPORTS_PREFIX = 'exports/';

/**
 * Everything stateful: the four tables (built from shared/adapters/dynamodb/tables.ts, never
 * re-spelt here), the exports bucket with its access-log bucket, and the signing secret.
 * Tables and the secret are retained when the stack goes away; the tables refuse deletion.
 */
export class DataStack extends Stack {
  readonly tables: Record<TableDef['id'], BoundTable>;
  readonly exportsBucket: Bucket;
  readonly accessLogsBucket: Bucket;
  readonly signingSecret: Secret;
  /** Signs audit digests (ECDSA P-256); its private half never leaves KMS. */
  readonly sealKey: Key;
  /** Wraps each person's data key (envelope encryption; erasure by crypto-shredding). */
  readonly personKeysKey: Key;

  constructor(scope: Construct, id: string, props: DataStackProps) {
    super(scope, id, props);

    const tables = {} as Record<TableDef['id'], BoundTable>;
    for (const def of TABLES) tables[def.id] = { table: buildTable(this, def), def };
    this.tables = tables;

    this.accessLogsBucket = new Bucket(this, 'AccessLogs', {
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      // Server access log delivery supports SSE-S3 only.
      encryption: BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      objectOwnership: ObjectOwnership.BUCKET_OWNER_ENFORCED,
      lifecycleRules: [{ id: 'expire-access-logs', expiration: Duration.days(365) }],
      removalPolicy: RemovalPolicy.RETAIN,
    });
    this.exportsBucket = new Bucket(this, 'Exports', {
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      encryption: BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      objectOwnership: ObjectOwnership.BUCKET_OWNER_ENFORCED,
      // Off: an export file is derived data that can be produced again, and it must really be
      // gone when its link expires (with versioning, expiry would only hide it behind a marker).
      versioned: false,
      serverAccessLogsBucket: this.accessLogsBucket,
      serverAccessLogsPrefix: 'exports-bucket/',
      lifecycleRules: [
        {
          id: 'expire-exports',
          prefix: EXPORTS_PREFIX,
          // A link is valid for exportLinkDays; the file outlives it by a day so a download
          // started on the last day can finish.
          expiration: Duration.days(props.exportLinkDays + 1),
          abortIncompleteMultipartUploadAfter: Duration.days(1),
        },
      ],
      removalPolicy: RemovalPolicy.RETAIN,
    });

    this.signingSecret = new Secret(this, 'SigningSecret', {
      description: 'Logbook: HMAC key for list cursors and download tokens',
      generateSecretString: { passwordLength: 64, excludePunctuation: true, includeSpace: false },
      removalPolicy: RemovalPolicy.RETAIN,
    });
    NagSuppressions.addResourceSuppressions(this.signingSecret, [
      {
        id: 'AwsSolutions-SMG4',
        reason:
          'Rotating the HMAC key would invalidate every open cursor and every e-mailed download link at once; rotation needs a two-key verification window first (docs/deploy.md).',
      },
    ]);

    // Asymmetric KMS keys do not rotate automatically: rotating means a new key and a new
    // SEAL_KMS_KEY_ID; the sealer lists each key it signed with, so old digests still verify
    // (docs/trust.md). Retained: digests signed by it must stay verifiable.
    this.sealKey = new Key(this, 'SealKey', {
      description: 'Logbook: signs the hourly audit digests (ECDSA P-256 / SHA-256)',
      keySpec: KeySpec.ECC_NIST_P256,
      keyUsage: KeyUsage.SIGN_VERIFY,
      removalPolicy: RemovalPolicy.RETAIN,
    });

    // Symmetric: GenerateDataKey makes each person's data key, Decrypt unwraps it (under the
    // EncryptionContext {tenantId, personId}). Yearly rotation keeps old wrapped keys readable.
    // Retained: without it no stored personal field can be read again.
    this.personKeysKey = new Key(this, 'PersonKeysKey', {
      description: "Logbook: wraps each person's data key (personal fields of the audit log)",
      enableKeyRotation: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });
  }
}

function buildTable(scope: Construct, def: TableDef): Table {
  const attr = (name: string) => ({ name, type: AttributeType.STRING });
  const table = new Table(scope, def.id, {
    partitionKey: attr(def.partitionKey),
    ...(def.sortKey ? { sortKey: attr(def.sortKey) } : {}),
    ...(def.ttlAttribute ? { timeToLiveAttribute: def.ttlAttribute } : {}),
    billingMode: BillingMode.PAY_PER_REQUEST,
    encryption: TableEncryption.AWS_MANAGED,
    pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
    deletionProtection: true,
    removalPolicy: RemovalPolicy.RETAIN,
  });
  for (const index of def.indexes) {
    table.addGlobalSecondaryIndex({
      indexName: index.name,
      partitionKey: attr(index.partitionKey),
      sortKey: attr(index.sortKey),
      projectionType: ProjectionType.INCLUDE,
      nonKeyAttributes: [...index.include],
    });
  }
  return table;
}

import { Match } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { TABLES } from '../../shared/adapters/dynamodb/tables.ts';
import { type Synth, synthLogbook } from './synth.ts';

let s: Synth;
beforeAll(() => {
  s = synthLogbook();
});

const tableProps = (id: string) => {
  const table = s.data.tables[id as keyof Synth['data']['tables']].table;
  const logicalId = s.data.getLogicalId(table.node.defaultChild as never);
  return s.dataTemplate.toJSON().Resources[logicalId] as {
    Properties: Record<string, unknown>;
    DeletionPolicy: string;
    UpdateReplacePolicy: string;
  };
};

describe('DataStack tables (built from shared/adapters/dynamodb/tables.ts)', () => {
  it('creates exactly the tables of TABLES', () => {
    s.dataTemplate.resourceCountIs('AWS::DynamoDB::Table', TABLES.length);
  });

  for (const def of TABLES) {
    describe(def.id, () => {
      it('has the defined keys, all attributes strings, on-demand billing', () => {
        const props = tableProps(def.id).Properties;
        expect(props.KeySchema).toEqual([
          { AttributeName: def.partitionKey, KeyType: 'HASH' },
          ...(def.sortKey ? [{ AttributeName: def.sortKey, KeyType: 'RANGE' }] : []),
        ]);
        expect(props.BillingMode).toBe('PAY_PER_REQUEST');
        const attributes = props.AttributeDefinitions as { AttributeName: string; AttributeType: string }[];
        expect(new Set(attributes.map((a) => a.AttributeType))).toEqual(new Set(['S']));
        const expected = new Set([
          def.partitionKey,
          ...(def.sortKey ? [def.sortKey] : []),
          ...def.indexes.flatMap((i) => [i.partitionKey, i.sortKey]),
        ]);
        expect(new Set(attributes.map((a) => a.AttributeName))).toEqual(expected);
      });

      it('has every GSI with its keys and INCLUDE projection, and no other', () => {
        const props = tableProps(def.id).Properties;
        const indexes = (props.GlobalSecondaryIndexes ?? []) as Record<string, unknown>[];
        expect(indexes.map((i) => i.IndexName)).toEqual(def.indexes.map((i) => i.name));
        for (const index of def.indexes) {
          expect(indexes.find((i) => i.IndexName === index.name)).toEqual({
            IndexName: index.name,
            KeySchema: [
              { AttributeName: index.partitionKey, KeyType: 'HASH' },
              { AttributeName: index.sortKey, KeyType: 'RANGE' },
            ],
            Projection: { ProjectionType: 'INCLUDE', NonKeyAttributes: [...index.include] },
          });
        }
      });

      it(def.ttlAttribute ? `expires items by "${def.ttlAttribute}"` : 'has no TTL', () => {
        const props = tableProps(def.id).Properties;
        expect(props.TimeToLiveSpecification).toEqual(
          def.ttlAttribute ? { AttributeName: def.ttlAttribute, Enabled: true } : undefined,
        );
      });

      it('has point-in-time recovery, deletion protection, encryption and is retained', () => {
        const resource = tableProps(def.id);
        expect(resource.Properties.PointInTimeRecoverySpecification).toEqual({
          PointInTimeRecoveryEnabled: true,
        });
        expect(resource.Properties.DeletionProtectionEnabled).toBe(true);
        // AWS-managed KMS key (aws/dynamodb): SSEEnabled with no customer key.
        expect(resource.Properties.SSESpecification).toEqual({ SSEEnabled: true });
        expect(resource.DeletionPolicy).toBe('Retain');
        expect(resource.UpdateReplacePolicy).toBe('Retain');
      });
    });
  }
});

describe('DataStack exports bucket', () => {
  const exportsBucketId = () => s.data.getLogicalId(s.data.exportsBucket.node.defaultChild as never);

  it('blocks all public access and encrypts at rest', () => {
    const props = s.dataTemplate.toJSON().Resources[exportsBucketId()].Properties;
    expect(props.PublicAccessBlockConfiguration).toEqual({
      BlockPublicAcls: true,
      BlockPublicPolicy: true,
      IgnorePublicAcls: true,
      RestrictPublicBuckets: true,
    });
    expect(props.BucketEncryption).toEqual({
      ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }],
    });
    expect(props.VersioningConfiguration).toBeUndefined();
  });

  it('expires files under exports/ one day after their link (exportLinkDays + 1)', () => {
    const props = s.dataTemplate.toJSON().Resources[exportsBucketId()].Properties;
    expect(props.LifecycleConfiguration.Rules).toEqual([
      {
        Id: 'expire-exports',
        Prefix: 'exports/',
        ExpirationInDays: s.settings.exportLinkDays + 1,
        AbortIncompleteMultipartUpload: { DaysAfterInitiation: 1 },
        Status: 'Enabled',
      },
    ]);
    expect(s.settings.exportLinkDays).toBe(7);
  });

  it('denies every request made without TLS', () => {
    s.dataTemplate.hasResourceProperties('AWS::S3::BucketPolicy', {
      Bucket: { Ref: exportsBucketId() },
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Effect: 'Deny',
            Action: 's3:*',
            Principal: { AWS: '*' },
            Condition: { Bool: { 'aws:SecureTransport': 'false' } },
          }),
        ]),
      },
    });
  });

  it('writes server access logs to a separate private, TLS-only bucket', () => {
    const resources = s.dataTemplate.toJSON().Resources;
    const logsId = s.data.getLogicalId(s.data.accessLogsBucket.node.defaultChild as never);
    expect(resources[exportsBucketId()].Properties.LoggingConfiguration).toEqual({
      DestinationBucketName: { Ref: logsId },
      LogFilePrefix: 'exports-bucket/',
    });
    expect(resources[logsId].Properties.PublicAccessBlockConfiguration.BlockPublicPolicy).toBe(true);
    s.dataTemplate.hasResourceProperties('AWS::S3::BucketPolicy', {
      Bucket: { Ref: logsId },
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
        ]),
      },
    });
  });

  it('follows exportLinkDays from context', () => {
    const other = synthLogbook({ context: { exportLinkDays: '3' } });
    other.dataTemplate.hasResourceProperties('AWS::S3::Bucket', {
      LifecycleConfiguration: { Rules: [Match.objectLike({ Prefix: 'exports/', ExpirationInDays: 4 })] },
    });
  });
});

describe('DataStack signing secret', () => {
  it('is generated by Secrets Manager (never in the template) and retained', () => {
    s.dataTemplate.resourceCountIs('AWS::SecretsManager::Secret', 1);
    s.dataTemplate.hasResource('AWS::SecretsManager::Secret', {
      Properties: {
        GenerateSecretString: Match.objectLike({ PasswordLength: 64, ExcludePunctuation: true }),
        SecretString: Match.absent(),
      },
      DeletionPolicy: 'Retain',
    });
  });
});

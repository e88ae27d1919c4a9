import { auditStoreFromConfig } from '../adapters/dynamodb/audit-store.ts';
import { dynamoDocumentClient } from '../adapters/dynamodb/client.ts';
import { DynamoDigestStore } from '../adapters/dynamodb/digest-store.ts';
import { DynamoSealIndex } from '../adapters/dynamodb/seal-index.ts';
import { digestSignerFromConfig } from '../adapters/kms/digest-signer.ts';
import { type Config, shardCount } from '../config.ts';
import { signingKey } from '../signing.ts';
import type { DigestReadDeps } from '../use-cases/integrity/read.ts';
import type { SealDeps } from '../use-cases/integrity/seal.ts';

/** The sealer's dependencies: the seal index (audit table), the digest store (state table), the signer. */
export function sealDeps(config: Config): SealDeps {
  const client = dynamoDocumentClient(config);
  return {
    index: new DynamoSealIndex(client, {
      tableName: config.AUDIT_TABLE,
      shardsFor: (tenantId) => shardCount(config, tenantId),
    }),
    digests: new DynamoDigestStore(client, config.STATE_TABLE),
    signer: digestSignerFromConfig(config),
    clock: () => new Date(),
  };
}

/** What the digest, key and proof routes read. */
export function digestReadDeps(config: Config): DigestReadDeps {
  const client = dynamoDocumentClient(config);
  return {
    digests: new DynamoDigestStore(client, config.STATE_TABLE),
    entries: auditStoreFromConfig(config, client),
    clock: () => new Date(),
    signingKey: () => signingKey(config),
  };
}

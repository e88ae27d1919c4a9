// The composition root of integrity: the digest store (the State table's digests, chain heads and
// keys, and the Audit table's bySeal index), the digest signer (KMS in AWS, a key file locally),
// for the audit-sealer function, the audit-digests routes and the local stack.

import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { SEAL_SHARDS } from '../adapters/dynamodb/audit-keys.ts';
import { dynamoDocumentClient } from '../adapters/dynamodb/client.ts';
import { DynamoDigestStore } from '../adapters/dynamodb/digest-store.ts';
import { digestSignerFromConfig } from '../adapters/kms/digest-signer.ts';
import { type Config, shardResolver } from '../config.ts';
import { systemClock } from '../domain/time.ts';
import {
  type DigestRouteDeps,
  digestLeaves,
  entryProof,
  listDigestKeys,
  listDigests,
} from '../use-cases/audit/digests.ts';
import { type SealDeps, sealClosedHours } from '../use-cases/audit/seal.ts';
import { auditStoreFromConfig } from './audit.ts';
import { bindAll } from './bind.ts';

export function digestStoreFromConfig(
  config: Config,
  client: DynamoDBDocumentClient = dynamoDocumentClient(config),
): DynamoDigestStore {
  return new DynamoDigestStore(client, { stateTable: config.STATE_TABLE, auditTable: config.AUDIT_TABLE });
}

/** The sealer's dependencies, as the audit-sealer function and the local stack build them. */
export function sealDepsFromConfig(config: Config): SealDeps {
  const store = digestStoreFromConfig(config);
  return {
    store,
    signer: digestSignerFromConfig(config),
    clock: systemClock,
    shards: SEAL_SHARDS,
    // A tenant's chain starts after its legacy backfill, at its oldest entry's hour.
    start: { store, shardsFor: shardResolver(config) },
  };
}

/** The digest routes' dependencies (audit-digests function): digests and keys, entries for proofs. */
export function digestRouteDeps(config: Config): DigestRouteDeps {
  const client = dynamoDocumentClient(config);
  return {
    digests: digestStoreFromConfig(config, client),
    entries: auditStoreFromConfig(config, client),
    clock: systemClock,
  };
}

/** The audit-sealer function's use case, bound to its deps. */
export function sealService(config: Config) {
  return bindAll(sealDepsFromConfig(config), { sealClosedHours });
}

/** The audit-digests function's use cases: digests, keys, a digest's leaves, an entry's proof. */
export function digestRouteService(config: Config) {
  const useCases = { list: listDigests, keys: listDigestKeys, leaves: digestLeaves, proof: entryProof };
  return bindAll(digestRouteDeps(config), useCases);
}

import { SEAL_SHARDS } from '../adapters/dynamodb/audit-keys.ts';
import { digestStoreFromConfig } from '../adapters/dynamodb/digest-store.ts';
import { digestSignerFromConfig } from '../adapters/kms/digest-signer.ts';
import type { Config } from '../config.ts';
import type { SealDeps } from '../use-cases/audit/seal.ts';

/** The sealer's dependencies, as the audit-sealer function and the local stack build them. */
export function sealDepsFromConfig(config: Config): SealDeps {
  return {
    store: digestStoreFromConfig(config),
    signer: digestSignerFromConfig(config),
    clock: () => new Date(),
    shards: SEAL_SHARDS,
  };
}

// The composition root of the export sweeper: the state table only (one Query per state, a
// consistent read and a conditional update per candidate), apart from ./exports.ts so its bundle
// carries no S3 code.

import { dynamoDocumentClient } from '../adapters/dynamodb/client.ts';
import { DynamoExportStore, DynamoOpenExports } from '../adapters/dynamodb/export-store.ts';
import type { Config } from '../config.ts';
import { systemClock } from '../domain/time.ts';
import { type SweepExportsDeps, sweepStuckExports } from '../use-cases/exports/sweep.ts';
import { bindAll } from './bind.ts';

export function exportSweepDeps(config: Config): SweepExportsDeps {
  const dynamo = dynamoDocumentClient(config);
  return {
    store: new DynamoExportStore(dynamo, { tableName: config.STATE_TABLE }),
    open: new DynamoOpenExports(dynamo, { tableName: config.STATE_TABLE }),
    clock: systemClock,
  };
}

/** The export-sweeper function's use case, bound to the state table. */
export function exportSweepService(config: Config) {
  return bindAll(exportSweepDeps(config), { sweep: sweepStuckExports });
}

// The composition roots of running exports, built once per process (a cold start) from
// configuration. Requests (./export-requests.ts) and downloads (./downloads.ts) have their own,
// so each function's bundle carries only the AWS SDK clients it calls, and each builder reads
// only the settings (and so needs only the grants) of what its function does:
// - `exportWorkerDeps`: the export worker (`executeExport`): reads the logs and the directory,
//   writes the file; it records nothing in the audit log and signs no link;
// - `exportDeps`: `runExport` (scheduled runs: create, record, run and link in one go).

import { ulid } from 'ulidx';
import { dynamoDocumentClient } from '../adapters/dynamodb/client.ts';
import { DynamoExportStore } from '../adapters/dynamodb/export-store.ts';
import { s3Client } from '../adapters/s3/client.ts';
import { S3ExportFiles } from '../adapters/s3/export-files.ts';
import type { Config } from '../config.ts';
import { systemClock } from '../domain/time.ts';
import { type ExecuteExportDeps, executeExport } from '../use-cases/exports/execute.ts';
import type { LinkSettings } from '../use-cases/exports/ports.ts';
import type { RunExportDeps } from '../use-cases/exports/run.ts';
import { bindAll } from './bind.ts';
import { directoryStoreFromConfig } from './directory.ts';
import { exportLinks } from './export-links.ts';
import { directoryLookup, entrySources, logSources } from './log-sources.ts';

export type ExportDeps = RunExportDeps & { links: LinkSettings };

let cached: { config: Config; deps: ExportDeps } | undefined;

export function exportDeps(config: Config): ExportDeps {
  if (cached?.config === config) return cached.deps;
  const dynamo = dynamoDocumentClient(config);
  const logs = logSources(config, dynamo);
  const deps: ExportDeps = {
    store: new DynamoExportStore(dynamo, { tableName: config.STATE_TABLE }),
    files: new S3ExportFiles(s3Client(config), config.EXPORTS_BUCKET),
    sources: logs.sources,
    directory: logs.directory,
    audit: logs.audit,
    clock: systemClock,
    links: exportLinks(config),
    newId: () => ulid(),
  };
  cached = { config, deps };
  return deps;
}

export function exportWorkerDeps(config: Config): ExecuteExportDeps {
  const dynamo = dynamoDocumentClient(config);
  const directoryStore = directoryStoreFromConfig(config, dynamo);
  return {
    store: new DynamoExportStore(dynamo, { tableName: config.STATE_TABLE }),
    files: new S3ExportFiles(s3Client(config), config.EXPORTS_BUCKET),
    sources: entrySources(config, dynamo, directoryStore),
    directory: directoryLookup(directoryStore),
    clock: systemClock,
  };
}

/** The export worker's use case, bound to its deps. */
export function exportWorkerService(config: Config) {
  return bindAll(exportWorkerDeps(config), { execute: executeExport });
}

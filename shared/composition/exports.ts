import { ulid } from 'ulidx';
import { dynamoDocumentClient } from '../adapters/dynamodb/client.ts';
import { DynamoExportStore } from '../adapters/dynamodb/export-store.ts';
import { s3Client } from '../adapters/s3/client.ts';
import { S3ExportFiles } from '../adapters/s3/export-files.ts';
import type { Config } from '../config.ts';
import type { LinkSettings } from '../use-cases/exports/ports.ts';
import type { RunExportDeps } from '../use-cases/exports/run.ts';
import { exportLinks } from './export-links.ts';
import { logSources } from './log-sources.ts';

/**
 * The composition root of running exports: the real adapters behind the export worker
 * (`executeExport`) and `runExport` (scheduled reports), built once per process (a cold start)
 * from configuration. Requests (./export-requests.ts) and downloads (./downloads.ts) have their
 * own, so each function's bundle carries only the AWS SDK clients it calls: this one writes
 * files to S3 and never invokes a Lambda.
 */
export type ExportDeps = RunExportDeps & { links: LinkSettings };

let cached: { config: Config; deps: ExportDeps } | undefined;

export function exportDeps(config: Config): ExportDeps {
  if (cached?.config === config) return cached.deps;
  const dynamo = dynamoDocumentClient(config);
  const logs = logSources(config, dynamo);
  const deps: ExportDeps = {
    store: new DynamoExportStore(dynamo, config.STATE_TABLE),
    files: new S3ExportFiles(s3Client(config), config.EXPORTS_BUCKET),
    sources: logs.sources,
    directory: logs.directory,
    audit: logs.audit,
    clock: { now: () => new Date() },
    links: exportLinks(config),
    newId: () => ulid(),
  };
  cached = { config, deps };
  return deps;
}

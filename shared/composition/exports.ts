import { LambdaClient } from '@aws-sdk/client-lambda';
import { ulid } from 'ulidx';
import { dynamoDocumentClient } from '../adapters/dynamodb/client.ts';
import { DynamoExportStore } from '../adapters/dynamodb/export-store.ts';
import { InProcessExportDispatcher, LambdaExportDispatcher } from '../adapters/lambda/export-dispatcher.ts';
import { s3Client } from '../adapters/s3/client.ts';
import { S3ExportFiles } from '../adapters/s3/export-files.ts';
import type { Config } from '../config.ts';
import { signingKey } from '../signing.ts';
import { executeExport } from '../use-cases/exports/execute.ts';
import type { ExportDispatcher, LinkSettings } from '../use-cases/exports/ports.ts';
import type { RequestExportDeps } from '../use-cases/exports/request.ts';
import type { RunExportDeps } from '../use-cases/exports/run.ts';
import { logSources } from './log-sources.ts';

/**
 * The composition root of exports: the real adapters behind the export use cases, built once
 * per process (a cold start) from configuration. The exports, downloads and export-worker
 * handlers use it, and so do features that call `runExport` (scheduled reports).
 *
 * The worker is started by an asynchronous Lambda invoke when EXPORT_WORKER_FUNCTION is set
 * (AWS), else in this process in the background (the dev gateway runs every handler in one
 * process, so `npm start` and the integration tests need no extra moving part).
 */
export type ExportDeps = RequestExportDeps & RunExportDeps & { links: LinkSettings };

let cached: { config: Config; deps: ExportDeps } | undefined;

export function exportDeps(config: Config): ExportDeps {
  if (cached?.config === config) return cached.deps;
  const dynamo = dynamoDocumentClient(config);
  const logs = logSources(config, dynamo);
  let dispatcher: ExportDispatcher;
  if (config.EXPORT_WORKER_FUNCTION) {
    dispatcher = new LambdaExportDispatcher(
      new LambdaClient({ region: config.AWS_REGION }),
      config.EXPORT_WORKER_FUNCTION,
    );
  } else {
    dispatcher = new InProcessExportDispatcher((ref) => executeExport(deps, ref));
  }
  const deps: ExportDeps = {
    store: new DynamoExportStore(dynamo, config.STATE_TABLE),
    files: new S3ExportFiles(s3Client(config), config.EXPORTS_BUCKET),
    sources: logs.sources,
    directory: logs.directory,
    audit: logs.audit,
    dispatcher,
    clock: { now: () => new Date() },
    links: {
      publicBaseUrl: config.PUBLIC_BASE_URL,
      linkDays: config.EXPORT_LINK_DAYS,
      signingKey: () => signingKey(config),
    },
    newId: () => ulid(),
  };
  cached = { config, deps };
  return deps;
}

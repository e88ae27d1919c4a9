import { LambdaClient } from '@aws-sdk/client-lambda';
import { ulid } from 'ulidx';
import { dynamoDocumentClient } from '../adapters/dynamodb/client.ts';
import { DynamoExportStore } from '../adapters/dynamodb/export-store.ts';
import { InProcessExportDispatcher, LambdaExportDispatcher } from '../adapters/lambda/export-dispatcher.ts';
import { localInvoker } from '../adapters/lambda/local-invoke.ts';
import { s3Client } from '../adapters/s3/client.ts';
import { S3ExportFiles } from '../adapters/s3/export-files.ts';
import { observeClient } from '../adapters/sdk-observer.ts';
import type { Config } from '../config.ts';
import { signingKeyLoader } from '../signing.ts';
import { directoryStoreFromConfig } from '../use-cases/activity/wiring.ts';
import type { DownloadDeps } from '../use-cases/exports/download.ts';
import type { ExecuteExportDeps } from '../use-cases/exports/execute.ts';
import type { GetExportDeps } from '../use-cases/exports/get.ts';
import type { ExportDispatcher } from '../use-cases/exports/ports.ts';
import type { RequestExportDeps } from '../use-cases/exports/request.ts';
import type { RunExportDeps } from '../use-cases/exports/run.ts';
import {
  directoryLookup,
  entrySources,
  exportAuditRecorder,
  filterChecks,
  logSources,
} from './log-sources.ts';

/**
 * The composition roots of exports: the real adapters behind the export use cases, built once
 * per process (a cold start) from configuration. One builder per function, each reading only the
 * settings (and so needing only the grants) of what that function does:
 * - `exportRequestDeps`: POST/GET /v1/exports (the exports function),
 * - `downloadDeps`: GET /v1/downloads/{token},
 * - `exportWorkerDeps`: the export worker,
 * - `exportRunDeps`: scheduled runs (the dispatcher creates and runs an export in one go).
 *
 * The worker is started by an asynchronous Lambda invoke (EXPORT_WORKER_FUNCTION, AWS); locally
 * the dev gateway runs the worker's own handler in this process, in the background.
 */
export type ExportDeps = RequestExportDeps & GetExportDeps;

let requestCache: { config: Config; deps: ExportDeps } | undefined;

export function exportRequestDeps(config: Config): ExportDeps {
  if (requestCache?.config === config) return requestCache.deps;
  const dynamo = dynamoDocumentClient(config);
  const directoryStore = directoryStoreFromConfig(config, dynamo);
  const workerFunction = config.EXPORT_WORKER_FUNCTION;
  const dispatcher: ExportDispatcher = workerFunction
    ? new LambdaExportDispatcher(
        observeClient(new LambdaClient({ region: config.AWS_REGION })),
        workerFunction,
      )
    : new InProcessExportDispatcher((ref) => localInvoker()('export-worker', ref));
  const deps: ExportDeps = {
    store: new DynamoExportStore(dynamo, config.STATE_TABLE),
    sources: filterChecks(directoryStore),
    directory: directoryLookup(directoryStore),
    audit: exportAuditRecorder(config, dynamo),
    dispatcher,
    clock: { now: () => new Date() },
    links: {
      publicBaseUrl: config.PUBLIC_BASE_URL,
      linkDays: config.EXPORT_LINK_DAYS,
      signingKey: signingKeyLoader(config),
    },
    newId: () => ulid(),
  };
  requestCache = { config, deps };
  return deps;
}

export function downloadDeps(config: Config): DownloadDeps {
  return {
    store: new DynamoExportStore(dynamoDocumentClient(config), config.STATE_TABLE),
    files: new S3ExportFiles(s3Client(config), config.EXPORTS_BUCKET),
    clock: { now: () => new Date() },
    links: { signingKey: signingKeyLoader(config) },
  };
}

/** The worker reads the logs and the directory and writes the file; it records nothing in the audit log. */
export function exportWorkerDeps(config: Config): ExecuteExportDeps {
  const dynamo = dynamoDocumentClient(config);
  const directoryStore = directoryStoreFromConfig(config, dynamo);
  return {
    store: new DynamoExportStore(dynamo, config.STATE_TABLE),
    files: new S3ExportFiles(s3Client(config), config.EXPORTS_BUCKET),
    sources: entrySources(config, dynamo, directoryStore),
    directory: directoryLookup(directoryStore),
    clock: { now: () => new Date() },
  };
}

let runCache: { config: Config; deps: RunExportDeps } | undefined;

export function exportRunDeps(config: Config): RunExportDeps {
  if (runCache?.config === config) return runCache.deps;
  const dynamo = dynamoDocumentClient(config);
  const logs = logSources(config, dynamo);
  const deps: RunExportDeps = {
    store: new DynamoExportStore(dynamo, config.STATE_TABLE),
    files: new S3ExportFiles(s3Client(config), config.EXPORTS_BUCKET),
    sources: logs.sources,
    directory: logs.directory,
    audit: logs.audit,
    clock: { now: () => new Date() },
    links: {
      publicBaseUrl: config.PUBLIC_BASE_URL,
      linkDays: config.EXPORT_LINK_DAYS,
      signingKey: signingKeyLoader(config),
    },
    newId: () => ulid(),
  };
  runCache = { config, deps };
  return deps;
}

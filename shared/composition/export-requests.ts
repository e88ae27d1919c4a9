import { LambdaClient } from '@aws-sdk/client-lambda';
import { ulid } from 'ulidx';
import { dynamoDocumentClient } from '../adapters/dynamodb/client.ts';
import { DynamoExportStore } from '../adapters/dynamodb/export-store.ts';
import {
  type ExportRef,
  InProcessExportDispatcher,
  LambdaExportDispatcher,
} from '../adapters/lambda/export-dispatcher.ts';
import type { Config } from '../config.ts';
import type { GetExportDeps } from '../use-cases/exports/get.ts';
import type { ExportDispatcher, LinkSettings } from '../use-cases/exports/ports.ts';
import type { RequestExportDeps } from '../use-cases/exports/request.ts';
import { exportLinks } from './export-links.ts';
import { logSources } from './log-sources.ts';

/**
 * The composition root of export requests (`POST /v1/exports`, `GET /v1/exports/{id}`): the job
 * store, the logs' filters and the audit log, and the dispatcher that starts the worker. In AWS
 * that is an asynchronous Lambda invoke of EXPORT_WORKER_FUNCTION. Locally the dev gateway runs
 * every handler in one process and registers the worker here (`runExportWorkerInProcess`), so
 * the worker runs in this process in the background, and this function's bundle carries no S3
 * client. Without either, the dispatch logs that EXPORT_WORKER_FUNCTION is missing and the job
 * stays queued until it is reported failed as stale.
 */
export type ExportRequestDeps = RequestExportDeps & GetExportDeps & { links: LinkSettings };

type Worker = (ref: ExportRef) => Promise<unknown>;
let inProcessWorker: Worker | undefined;

/** The dev gateway's export worker, run in the same process when no worker function is set. */
export function runExportWorkerInProcess(worker: Worker): void {
  inProcessWorker = worker;
}

let cached: { config: Config; deps: ExportRequestDeps } | undefined;

export function exportRequestDeps(config: Config): ExportRequestDeps {
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
    dispatcher = new InProcessExportDispatcher(async (ref) => {
      if (!inProcessWorker)
        throw new Error('EXPORT_WORKER_FUNCTION is not set and no export worker runs here');
      return inProcessWorker(ref);
    });
  }
  const deps: ExportRequestDeps = {
    store: new DynamoExportStore(dynamo, config.STATE_TABLE),
    sources: logs.sources,
    directory: logs.directory,
    audit: logs.audit,
    dispatcher,
    clock: { now: () => new Date() },
    links: exportLinks(config),
    newId: () => ulid(),
  };
  cached = { config, deps };
  return deps;
}

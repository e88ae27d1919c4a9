// The composition root of export requests (`POST /v1/exports`, `GET /v1/exports/{id}`): the job
// store, the filter checks (the directory only: no log is read here), the audit log's append,
// and the dispatcher that starts the worker. In AWS that is an asynchronous Lambda invoke of
// EXPORT_WORKER_FUNCTION. Locally the dev gateway installs an invoker that runs the worker's own
// handler in this process, in the background (shared/adapters/lambda/local-invoke.ts), so this
// function's bundle carries no S3 client and it reads no setting it is not given.

import { LambdaClient } from '@aws-sdk/client-lambda';
import { ulid } from 'ulidx';
import { dynamoDocumentClient } from '../adapters/dynamodb/client.ts';
import { DynamoExportStore } from '../adapters/dynamodb/export-store.ts';
import { InProcessExportDispatcher, LambdaExportDispatcher } from '../adapters/lambda/export-dispatcher.ts';
import { localInvoker } from '../adapters/lambda/local-invoke.ts';
import { observeClient } from '../adapters/sdk-observer.ts';
import type { Config } from '../config.ts';
import { systemClock } from '../domain/time.ts';
import { type GetExportDeps, getExport } from '../use-cases/exports/get.ts';
import { type ListExportsDeps, listMyExports } from '../use-cases/exports/list.ts';
import type { ExportDispatcher, LinkSettings } from '../use-cases/exports/ports.ts';
import { type RequestExportDeps, requestExport } from '../use-cases/exports/request.ts';
import { bindAll } from './bind.ts';
import { directoryStoreFromConfig } from './directory.ts';
import { exportLinks } from './export-links.ts';
import { directoryLookup, exportAuditRecorder, filterChecks } from './log-sources.ts';

export type ExportRequestDeps = RequestExportDeps & GetExportDeps & ListExportsDeps & { links: LinkSettings };

let cached: { config: Config; deps: ExportRequestDeps } | undefined;

export function exportRequestDeps(config: Config): ExportRequestDeps {
  if (cached?.config === config) return cached.deps;
  const dynamo = dynamoDocumentClient(config);
  const directoryStore = directoryStoreFromConfig(config, dynamo);
  const workerFunction = config.EXPORT_WORKER_FUNCTION;
  const dispatcher: ExportDispatcher = workerFunction
    ? new LambdaExportDispatcher(
        observeClient(new LambdaClient({ region: config.AWS_REGION })),
        workerFunction,
      )
    : new InProcessExportDispatcher((ref) => localInvoker()('export-worker', ref));
  const store = new DynamoExportStore(dynamo, { tableName: config.STATE_TABLE });
  const deps: ExportRequestDeps = {
    store,
    history: store,
    sources: filterChecks(directoryStore),
    directory: directoryLookup(directoryStore),
    audit: exportAuditRecorder(config, dynamo),
    dispatcher,
    clock: systemClock,
    links: exportLinks(config),
    newId: () => ulid(),
  };
  cached = { config, deps };
  return deps;
}

/** The exports function's use cases: the caller's exports, one export, a new request. */
export function exportRequestService(config: Config) {
  return bindAll(exportRequestDeps(config), {
    listMine: listMyExports,
    get: getExport,
    request: requestExport,
  });
}

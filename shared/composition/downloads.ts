// The composition root of `GET /v1/downloads/{token}`: the job store, S3 presigning (no
// uploads: no lib-storage in the bundle) and the signing key that verifies the token (the link
// settings are the exports' business: this function is not given them).

import { dynamoDocumentClient } from '../adapters/dynamodb/client.ts';
import { DynamoExportStore } from '../adapters/dynamodb/export-store.ts';
import { s3Client } from '../adapters/s3/client.ts';
import { S3ExportLinks } from '../adapters/s3/export-links.ts';
import type { Config } from '../config.ts';
import { systemClock } from '../domain/time.ts';
import { signingKeyLoader } from '../signing.ts';
import { type DownloadDeps, resolveDownload } from '../use-cases/exports/download.ts';
import { bindAll } from './bind.ts';

export function downloadDeps(config: Config): DownloadDeps {
  const dynamo = dynamoDocumentClient(config);
  return {
    store: new DynamoExportStore(dynamo, { tableName: config.STATE_TABLE }),
    files: new S3ExportLinks(s3Client(config), config.EXPORTS_BUCKET),
    links: { signingKey: signingKeyLoader(config) },
    clock: systemClock,
  };
}

/** The downloads function's use case: a token resolved to a freshly presigned URL. */
export function downloadService(config: Config) {
  return bindAll(downloadDeps(config), { resolve: resolveDownload });
}

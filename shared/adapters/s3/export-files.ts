// Export files into the exports bucket. Uploads stream through lib-storage's multipart Upload:
// 5 MiB parts, two in flight, so memory stays near 15 MB at any file size; on any failure the
// multipart upload is aborted (no object, no orphaned parts). Download links are
// ./export-links.ts (a function that only presigns carries no lib-storage).

import type { Readable } from 'node:stream';
import type { S3Client } from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import type { ExportFiles } from '../../use-cases/exports/ports.ts';
import { attachmentDisposition } from './content-disposition.ts';
import { storageError } from './errors.ts';

export const PART_SIZE = 5 * 1024 * 1024;
export const QUEUE_SIZE = 2;

export class S3ExportFiles implements Pick<ExportFiles, 'upload'> {
  constructor(
    private readonly client: S3Client,
    private readonly bucket: string,
    private readonly options: { partSize?: number; queueSize?: number } = {},
  ) {}

  async upload(key: string, body: Readable, contentType: string, filename?: string): Promise<void> {
    const upload = new Upload({
      client: this.client,
      params: {
        Bucket: this.bucket,
        Key: key,
        Body: body,
        ContentType: contentType,
        ...(filename ? { ContentDisposition: attachmentDisposition(filename) } : {}),
      },
      partSize: Math.max(PART_SIZE, this.options.partSize ?? PART_SIZE),
      queueSize: this.options.queueSize ?? QUEUE_SIZE,
      leavePartsOnError: false,
    });
    try {
      await upload.done();
    } catch (err) {
      // lib-storage aborts the multipart upload itself; make sure, and stop reading the body.
      await upload.abort().catch(() => undefined);
      if (!body.destroyed) body.destroy();
      throw storageError(err);
    }
  }
}

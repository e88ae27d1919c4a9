import type { Readable } from 'node:stream';
import { GetObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { ThrottledError, UnavailableError } from '../../domain/errors.ts';
import type { ExportFiles, PresignOptions } from '../../use-cases/exports/ports.ts';
import { toDomainError } from '../aws-errors.ts';

/**
 * Export files in the exports bucket. Uploads stream through lib-storage's multipart Upload:
 * 5 MiB parts, two in flight, so memory stays near 15 MB at any file size; on any failure the
 * multipart upload is aborted (no object, no orphaned parts). Downloads are presigned GET URLs
 * that name the file (Content-Disposition) and its type.
 */
export const PART_SIZE = 5 * 1024 * 1024;
export const QUEUE_SIZE = 2;

export class S3ExportFiles implements ExportFiles {
  constructor(
    private readonly client: S3Client,
    private readonly bucket: string,
    private readonly options: { partSize?: number; queueSize?: number } = {},
  ) {}

  async upload(key: string, body: Readable, contentType: string): Promise<void> {
    const upload = new Upload({
      client: this.client,
      params: {
        Bucket: this.bucket,
        Key: key,
        Body: body,
        ContentType: contentType,
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
      throw mapError(err);
    }
  }

  async presignDownload(key: string, options: PresignOptions): Promise<string> {
    const ascii = options.filename.replace(/[^\x20-\x7e]|["\\]/g, '_');
    const command = new GetObjectCommand({
      Bucket: this.bucket,
      Key: key,
      ResponseContentDisposition: `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(options.filename)}`,
      ResponseContentType: options.contentType,
    });
    try {
      return await getSignedUrl(this.client, command, { expiresIn: options.expiresInSeconds });
    } catch (err) {
      throw mapError(err);
    }
  }
}

/** Errors from the body (the query, the directory) pass through: they are already domain errors. */
function mapError(err: unknown): unknown {
  if (err instanceof Error && 'statusCode' in err && 'expose' in err) return err;
  return toDomainError(err, 'Storage');
}

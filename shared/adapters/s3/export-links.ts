import { GetObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import type { ExportFiles, PresignOptions } from '../../use-cases/exports/ports.ts';
import { attachmentDisposition } from './content-disposition.ts';
import { storageError } from './errors.ts';

/** Download links to export files: presigned GET URLs that name the file (Content-Disposition) and its type. */
export class S3ExportLinks implements Pick<ExportFiles, 'presignDownload'> {
  constructor(
    private readonly client: S3Client,
    private readonly bucket: string,
  ) {}

  async presignDownload(key: string, options: PresignOptions): Promise<string> {
    const command = new GetObjectCommand({
      Bucket: this.bucket,
      Key: key,
      ResponseContentDisposition: attachmentDisposition(options.filename),
      ResponseContentType: options.contentType,
    });
    try {
      return await getSignedUrl(this.client, command, { expiresIn: options.expiresInSeconds });
    } catch (err) {
      throw storageError(err);
    }
  }
}

import { S3Client } from '@aws-sdk/client-s3';
import type { Config } from '../../config.ts';
import { observeClient } from '../sdk-observer.ts';

/**
 * s3rver needs path-style URLs, its fixed credentials, and checksums only when required:
 * without the last two settings a streamed upload is stored with aws-chunked framing inside
 * the file (see FIELD-NOTES).
 */
export function s3Client(config: Config): S3Client {
  return observeClient(
    new S3Client({
      region: config.AWS_REGION,
      ...(config.S3_ENDPOINT
        ? {
            endpoint: config.S3_ENDPOINT,
            forcePathStyle: true,
            credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
            requestChecksumCalculation: 'WHEN_REQUIRED' as const,
            responseChecksumValidation: 'WHEN_REQUIRED' as const,
          }
        : {}),
    }),
  );
}

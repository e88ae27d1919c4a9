import { z } from 'zod';
import type { ZodOpenApiPathsObject } from 'zod-openapi';
import { errors, errorWhen, PUBLIC_SECURITY, problemSchema } from '../openapi.ts';

export const downloadParamsSchema = z.object({
  token: z.string().min(1).max(2048).meta({ description: 'The signed token from an export’s `downloadUrl`' }),
});

export const paths: ZodOpenApiPathsObject = {
  '/v1/downloads/{token}': {
    get: {
      operationId: 'downloadExport',
      summary: 'Download an export file; needs no token',
      description:
        'The signed token in the path is the permission (bound to the tenant and the export, valid 7 days). ' +
        'Answers 302 to a storage URL presigned afresh on every call and valid 5 minutes, which saves the file ' +
        'as e.g. `activity-log-2026-11-22.csv`. An expired, altered or unknown token answers 404.',
      tags: ['Exports'],
      security: PUBLIC_SECURITY,
      requestParams: { path: downloadParamsSchema },
      responses: {
        '302': {
          description: 'Redirect to the file in storage',
          headers: z.object({ location: z.string().meta({ description: 'The presigned storage URL' }) }),
        },
        ...errorWhen('404', 'The token is altered, expired or unknown, or its file is no longer stored'),
        ...errors('429', '500', '503'),
        // A redirect is this route's success; `default` keeps linters that want a 2XX content.
        default: {
          description: 'Any other outcome: problem details',
          content: { 'application/problem+json': { schema: problemSchema } },
        },
      },
    },
  },
};

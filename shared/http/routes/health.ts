import { z } from 'zod';
import type { ZodOpenApiPathsObject } from 'zod-openapi';
import { errors, jsonContent } from '../openapi.ts';

export const paths: ZodOpenApiPathsObject = {
  '/health': {
    get: {
      operationId: 'getHealth',
      summary: 'Liveness check; needs no token',
      description: 'Answers 200 `{"status":"ok"}` while the API is reachable; touches no storage.',
      tags: ['Service'],
      security: [],
      responses: {
        '200': {
          description: 'The service is up',
          content: jsonContent(z.object({ status: z.literal('ok') })),
        },
        ...errors('429', '500'),
      },
    },
  },
};

import { z } from 'zod';
import type { ZodOpenApiPathsObject } from 'zod-openapi';
import { errors, jsonContent } from '../openapi.ts';

export const paths: ZodOpenApiPathsObject = {
  '/v1/openapi.json': {
    get: {
      operationId: 'getOpenApi',
      summary: 'This document; needs no token',
      description:
        'The OpenAPI 3.1 document, generated from the zod schemas the handlers validate with. The local stack ' +
        'also serves it as an HTML reference at `/docs` (`npm run docs` builds the same page).',
      tags: ['Service'],
      security: [],
      responses: {
        '200': {
          description: 'The OpenAPI 3.1 document',
          content: jsonContent(z.record(z.string(), z.unknown())),
        },
        ...errors('429', '500'),
      },
    },
  },
};

import { z } from 'zod';
import type { ZodOpenApiPathsObject } from 'zod-openapi';
import { errors, jsonContent } from '../../shared/http/openapi.ts';

export const paths: ZodOpenApiPathsObject = {
  '/v1/openapi.json': {
    get: {
      operationId: 'getOpenApi',
      summary: 'This document; needs no token',
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

import { z } from 'zod';
import type { ZodOpenApiPathsObject } from 'zod-openapi';
import { errors, jsonContent } from '../openapi.ts';

/** The body of `GET /v1/catalog`: the domain's catalogs, static. */
export { CATALOG } from '../../domain/catalog.ts';

const entrySchema = z
  .object({
    value: z.string().meta({ description: 'What the filter takes' }),
    label: z.string().meta({ description: 'What a person reads' }),
  })
  .meta({ id: 'CatalogEntry' });
const entries = (what: string) => z.array(entrySchema).meta({ description: what });

export const catalogSchema = z
  .object({
    actions: entries(
      'Audit actions (`action` of `GET /v1/audit-events`), labelled as the CSV’s Event column',
    ),
    objectTypes: entries('Audit object types (`objectType`)'),
    sources: entries('Audit source kinds (`source`), labelled as an entry’s attribution'),
    activityActions: entries('Activity actions (`action` of `GET /v1/activity`)'),
    contentTypes: entries('Activity content types (`contentType`)'),
  })
  .meta({
    id: 'Catalog',
    description: 'Every value the logs’ enum filters take, with its label, in the catalogs’ order',
  });

export const paths: ZodOpenApiPathsObject = {
  '/v1/catalog': {
    get: {
      operationId: 'getCatalog',
      summary: 'The values of the logs’ filters, with labels (any signed-in role)',
      description:
        'What frontends build their filter controls from: the same catalogs the filters validate against, so ' +
        'a value listed here is never refused. The same for every tenant; may be cached for an hour ' +
        '(`Cache-Control: private, max-age=3600`).',
      tags: ['Service'],
      responses: {
        '200': { description: 'The catalogs', content: jsonContent(catalogSchema) },
        ...errors('401', '403', '429', '500'),
      },
    },
  },
};

import { z } from 'zod';
import type { ZodOpenApiPathsObject } from 'zod-openapi';
import { activityEntrySchema } from '../../shared/domain/activity/event.ts';
import { activityFiltersSchema, myActivityFiltersSchema } from '../../shared/domain/activity/filters.ts';
import {
  COST_HEADERS_DOC,
  errors,
  errorWhen,
  jsonContent,
  listQueryBase,
  READ_BUDGET_NOTE,
} from '../../shared/http/openapi.ts';

export const activityQuerySchema = activityFiltersSchema.extend(listQueryBase).strict();
export const myActivityQuerySchema = myActivityFiltersSchema.extend(listQueryBase).strict();

const pageSchema = z
  .object({
    items: z.array(activityEntrySchema),
    nextCursor: z.string().nullable().meta({ description: 'null on the last page' }),
  })
  .meta({ id: 'ActivityPage' });

const costHeaders = COST_HEADERS_DOC;

export const paths: ZodOpenApiPathsObject = {
  '/v1/activity': {
    get: {
      operationId: 'listActivity',
      summary: 'Read the activity log (company, team, group or managed scope)',
      description:
        'Owners, admins, hr, reporters, learning designers, and curators with `reporting` see any scope. A ' +
        'manager sees only their direct and indirect reports whatever they ask: company scope is their whole ' +
        'tree, and team, group, teamId, groupId and userId are intersected with it; `managerId` outside their ' +
        'tree is a 403. Learners, curators without `reporting` and services get 403. Scopes and the ' +
        '`includeDeactivated` filter use the directory as it is now; an unknown teamId/groupId in its scope is ' +
        'a 404. `managerId`/`includeSubManagers` outside scope=managed and `includeSubTeams`/`primaryOnly` ' +
        'outside scope=team are a 400, as is any unknown query parameter. Newest first unless `order=asc`; ' +
        'default window is the 3 calendar months before `to` (default now). Entries past retention are never ' +
        'returned. The cursor is bound to the tenant, the filters and the caller’s visibility. ' +
        READ_BUDGET_NOTE,
      tags: ['Activity log'],
      requestParams: { query: activityQuerySchema },
      responses: {
        '200': { description: 'A page of entries', headers: costHeaders, content: jsonContent(pageSchema) },
        ...errors('400', '401', '403'),
        ...errorWhen('404', 'A team or group named in `teamId` or `groupId` is not in the directory'),
        ...errors('429', '500', '503'),
      },
    },
  },
  '/v1/me/activity': {
    get: {
      operationId: 'listMyActivity',
      summary: 'The caller’s own activity (every user role)',
      description:
        'The same filters as `/v1/activity` except scope and people: scope, teamId, groupId, managerId, userId, ' +
        'includeSubTeams, primaryOnly, includeSubManagers and includeDeactivated are rejected with 400. ' +
        'Services get 403. ' +
        READ_BUDGET_NOTE,
      tags: ['Activity log'],
      requestParams: { query: myActivityQuerySchema },
      responses: {
        '200': {
          description: 'A page of the caller’s entries',
          headers: costHeaders,
          content: jsonContent(pageSchema),
        },
        ...errors('400', '401', '403', '429', '500', '503'),
      },
    },
  },
};

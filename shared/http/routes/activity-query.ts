import { z } from 'zod';
import type { ZodOpenApiPathsObject } from 'zod-openapi';
import { activityEntrySchema } from '../../domain/activity/event.ts';
import { activityFiltersSchema, myActivityFiltersSchema } from '../../domain/activity/filters.ts';
import { booleanFlag } from '../../domain/query-values.ts';
import {
  COST_HEADERS_DOC,
  errors,
  errorWhen,
  jsonContent,
  listQueryBase,
  pageOf,
  pageResponses,
  READ_BUDGET_NOTE,
} from '../openapi.ts';

export const activityQuerySchema = activityFiltersSchema.extend(listQueryBase).strict();
export const myActivityQuerySchema = myActivityFiltersSchema.extend(listQueryBase).strict();

const pageSchema = pageOf(activityEntrySchema, 'ActivityPage');

// The directory's read side for pickers (recipients, Team, Group, People). Served here, beside the
// activity log it scopes: this function already reads the directory (Query) and signs cursors,
// and nothing it does writes.

const searchQuery = z.string().trim().min(1).max(100).optional().meta({
  description: 'Case-insensitive prefix of a name (first, last or full) or, for users, an e-mail address',
});

export const directoryUsersQuerySchema = z
  .object({
    q: searchQuery,
    includeDeactivated: booleanFlag('Default false: users deactivated now are left out'),
    ...listQueryBase,
  })
  .strict();
export const directoryNamesQuerySchema = z.object({ q: searchQuery, ...listQueryBase }).strict();

const directoryUserItemSchema = z
  .object({
    id: z.string(),
    name: z.string().meta({ description: '"First Last" as the directory holds it now' }),
    email: z.string(),
    status: z.enum(['active', 'deactivated']),
  })
  .meta({ id: 'DirectoryUser', description: 'A person to pick (a report recipient, a People filter)' });
const namedItemSchema = z
  .object({ id: z.string(), name: z.string() })
  .meta({ id: 'DirectoryName', description: 'A team or group to pick' });

const DIRECTORY_SCOPE =
  'Owners, admins, hr, reporters, learning designers, and curators with `reporting` see the tenant’s whole ' +
  'directory; a manager sees';

function directoryReadPaths(): ZodOpenApiPathsObject {
  const get = (
    operationId: string,
    summary: string,
    description: string,
    query: z.ZodObject,
    page: z.ZodType,
  ) => ({
    get: {
      operationId,
      summary,
      description:
        `${description} Learners, curators without \`reporting\` and services get 403. Sorted by name ` +
        '(case-insensitive), then id; the cursor is bound to the tenant, the caller and `q`. The directory as ' +
        'the platform last pushed it (`PUT /v1/directory/*`), seen within about 30 seconds of a write.',
      tags: ['Directory'],
      requestParams: { query },
      responses: pageResponses('One page', page),
    },
  });
  return {
    '/v1/directory/users': get(
      'listDirectoryUsers',
      'People to pick from (report recipients, the People filter)',
      `${DIRECTORY_SCOPE} only themselves and their direct and indirect reports. Items carry only id, name, ` +
        'e-mail address and status.',
      directoryUsersQuerySchema,
      pageOf(directoryUserItemSchema, 'DirectoryUserPage'),
    ),
    '/v1/directory/teams': get(
      'listDirectoryTeams',
      'Teams to pick from (the Team scope and filter)',
      `${DIRECTORY_SCOPE} only the teams (primary or secondary) of themselves and their reports.`,
      directoryNamesQuerySchema,
      pageOf(namedItemSchema, 'DirectoryTeamPage'),
    ),
    '/v1/directory/groups': get(
      'listDirectoryGroups',
      'Groups to pick from (the Group scope)',
      `${DIRECTORY_SCOPE} only the groups of themselves and their reports.`,
      directoryNamesQuerySchema,
      pageOf(namedItemSchema, 'DirectoryGroupPage'),
    ),
  };
}

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
      responses: pageResponses('A page of the caller’s entries', pageSchema, costHeaders),
    },
  },
  ...directoryReadPaths(),
};

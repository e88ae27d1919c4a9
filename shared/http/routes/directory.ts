import type { ZodOpenApiPathsObject } from 'zod-openapi';
import {
  putContentSchema,
  putGroupsSchema,
  putTeamsSchema,
  putUsersSchema,
  upsertedSchema,
} from '../../domain/directory/schemas.ts';
import { serviceWrite } from '../openapi.ts';

export { putContentSchema, putGroupsSchema, putTeamsSchema, putUsersSchema };

const put = (operationId: string, summary: string, body: Parameters<typeof serviceWrite>[0]) => ({
  put: {
    operationId,
    summary,
    description:
      'Platform services only. 1–100 records; validated all-or-nothing (a 400 names every bad path and ' +
      'writes nothing). A record with a known id replaces the stored one. The tenant is the body’s ' +
      '`tenantId`. Reads use the directory within about 30 seconds of a write.',
    tags: ['Directory'],
    ...serviceWrite(body, 'Records written', upsertedSchema),
  },
});

export const paths: ZodOpenApiPathsObject = {
  '/v1/directory/users': put('putDirectoryUsers', 'Create or replace users', putUsersSchema),
  '/v1/directory/teams': {
    put: {
      ...put('putDirectoryTeams', 'Create or replace teams', putTeamsSchema).put,
      description:
        'Platform services only. 1–100 teams; `parentId` builds the hierarchy and may name a team not pushed ' +
        'yet. A batch that would make the hierarchy loop is a 400 naming `teams[i].parentId`.',
    },
  },
  '/v1/directory/groups': put('putDirectoryGroups', 'Create or replace groups', putGroupsSchema),
  '/v1/directory/content': put(
    'putDirectoryContent',
    'Create or replace content (an archived item shows as archived in the activity log)',
    putContentSchema,
  ),
};

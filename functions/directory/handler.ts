import { directoryStoreFromConfig } from '../../shared/composition/directory.ts';
import { loadConfig } from '../../shared/config.ts';
import { parseInput } from '../../shared/domain/issues.ts';
import { apiHandler } from '../../shared/http/handler.ts';
import { json } from '../../shared/http/responses.ts';
import {
  putContentSchema,
  putGroupsSchema,
  putTeamsSchema,
  putUsersSchema,
} from '../../shared/http/routes/directory.ts';
import {
  upsertContent,
  upsertGroups,
  upsertTeams,
  upsertUsers,
} from '../../shared/use-cases/directory/upsert.ts';

const config = loadConfig();
const deps = { directory: directoryStoreFromConfig(config) };

/** `PUT /v1/directory/{users|teams|groups|content}` (platform services). */
export const handler = apiHandler(
  { auth: 'service', serviceCallers: config.SERVICE_CALLERS },
  {
    'PUT /v1/directory/users': async ({ body }) =>
      json(200, await upsertUsers(deps, parseInput(putUsersSchema, body))),
    'PUT /v1/directory/teams': async ({ body }) =>
      json(200, await upsertTeams(deps, parseInput(putTeamsSchema, body))),
    'PUT /v1/directory/groups': async ({ body }) =>
      json(200, await upsertGroups(deps, parseInput(putGroupsSchema, body))),
    'PUT /v1/directory/content': async ({ body }) =>
      json(200, await upsertContent(deps, parseInput(putContentSchema, body))),
  },
);

import { directoryUpsertService } from '../../shared/composition/directory.ts';
import { loadConfig } from '../../shared/config.ts';
import { apiHandler } from '../../shared/http/handler.ts';
import { parseInput } from '../../shared/http/input.ts';
import { json } from '../../shared/http/responses.ts';
import {
  putContentSchema,
  putGroupsSchema,
  putTeamsSchema,
  putUsersSchema,
} from '../../shared/http/routes/directory.ts';

const config = loadConfig();
const directory = directoryUpsertService(config);

/** `PUT /v1/directory/{users|teams|groups|content}` (platform services). */
export const handler = apiHandler(
  { auth: 'service', serviceCallers: config.SERVICE_CALLERS },
  {
    'PUT /v1/directory/users': async ({ body }) =>
      json(200, await directory.users(parseInput(putUsersSchema, body))),
    'PUT /v1/directory/teams': async ({ body }) =>
      json(200, await directory.teams(parseInput(putTeamsSchema, body))),
    'PUT /v1/directory/groups': async ({ body }) =>
      json(200, await directory.groups(parseInput(putGroupsSchema, body))),
    'PUT /v1/directory/content': async ({ body }) =>
      json(200, await directory.content(parseInput(putContentSchema, body))),
  },
);

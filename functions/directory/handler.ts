import { directoryStoreFromConfig } from '../../shared/composition/directory.ts';
import { loadConfig } from '../../shared/config.ts';
import { NotFoundError } from '../../shared/domain/errors.ts';
import { parseInput } from '../../shared/domain/issues.ts';
import { apiHandler } from '../../shared/http/handler.ts';
import { json } from '../../shared/http/responses.ts';
import {
  upsertContent,
  upsertGroups,
  upsertTeams,
  upsertUsers,
} from '../../shared/use-cases/directory/upsert.ts';
import { putContentSchema, putGroupsSchema, putTeamsSchema, putUsersSchema } from './schema.ts';

const config = loadConfig();
const deps = { directory: directoryStoreFromConfig(config) };

/** `PUT /v1/directory/{users|teams|groups|content}` (platform services). */
export const handler = apiHandler(
  { auth: 'service', serviceCallers: config.SERVICE_CALLERS },
  async ({ event, body }) => {
    const kind = event.routeKey.split('/').pop();
    switch (kind) {
      case 'users':
        return json(200, await upsertUsers(deps, parseInput(putUsersSchema, body)));
      case 'teams':
        return json(200, await upsertTeams(deps, parseInput(putTeamsSchema, body)));
      case 'groups':
        return json(200, await upsertGroups(deps, parseInput(putGroupsSchema, body)));
      case 'content':
        return json(200, await upsertContent(deps, parseInput(putContentSchema, body)));
      default:
        throw new NotFoundError('No such directory collection.');
    }
  },
);

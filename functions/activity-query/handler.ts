import { activityQueryService } from '../../shared/composition/activity.ts';
import { loadConfig } from '../../shared/config.ts';
import { costHeaders } from '../../shared/http/cost.ts';
import { apiHandler } from '../../shared/http/handler.ts';
import { parseInput } from '../../shared/http/input.ts';
import { json } from '../../shared/http/responses.ts';
import {
  activityQuerySchema,
  directoryNamesQuerySchema,
  directoryUsersQuerySchema,
  myActivityQuerySchema,
} from '../../shared/http/routes/activity-query.ts';

const config = loadConfig();
// Read at the cold start, as every setting: a function deployed without it fails to load.
const costSettings = { COST_HEADERS: config.COST_HEADERS };
const activity = activityQueryService(config);

type ActivityList = Awaited<ReturnType<typeof activity.list>>;

/** The page, with cost headers for org-wide readers. */
function answer(orgWide: boolean, out: ActivityList) {
  const cost = costHeaders(costSettings, orgWide, { scanned: out.scanned, index: out.plan.index });
  return json(200, { items: out.items, nextCursor: out.nextCursor }, cost);
}

/**
 * `GET /v1/activity` (org, team, group and managed scopes), `GET /v1/me/activity`, and the
 * directory's pickers `GET /v1/directory/{users|teams|groups}` (scoped like the activity log).
 */
export const handler = apiHandler(
  { auth: 'user' },
  {
    'GET /v1/activity': async ({ caller, query }) => {
      const { limit, cursor, ...filters } = parseInput(activityQuerySchema, query);
      return answer(activity.readsOrgWide(caller), await activity.list(caller, filters, { limit, cursor }));
    },
    'GET /v1/me/activity': async ({ caller, query }) => {
      const { limit, cursor, ...filters } = parseInput(myActivityQuerySchema, query);
      return answer(
        activity.readsOrgWide(caller),
        await activity.listMine(caller, filters, { limit, cursor }),
      );
    },
    'GET /v1/directory/users': async ({ caller, query }) =>
      json(200, await activity.users(caller, parseInput(directoryUsersQuerySchema, query))),
    'GET /v1/directory/teams': async ({ caller, query }) =>
      json(200, await activity.teams(caller, parseInput(directoryNamesQuerySchema, query))),
    'GET /v1/directory/groups': async ({ caller, query }) =>
      json(200, await activity.groups(caller, parseInput(directoryNamesQuerySchema, query))),
  },
);

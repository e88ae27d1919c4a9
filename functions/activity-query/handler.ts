import { trustReaderFromConfig } from '../../shared/composition/trust-reader.ts';
import { loadConfig } from '../../shared/config.ts';
import { canReadOrgActivity } from '../../shared/http/caller.ts';
import { costHeaders } from '../../shared/http/cost.ts';
import { apiHandler } from '../../shared/http/handler.ts';
import { json } from '../../shared/http/responses.ts';
import { parseInput } from '../../shared/http/validate.ts';
import { signingKeyLoader } from '../../shared/signing.ts';
import { listActivity, listMyActivity } from '../../shared/use-cases/activity/query.ts';
import { activityAdapters } from '../../shared/use-cases/activity/wiring.ts';
import { activityQuerySchema, myActivityQuerySchema } from './schema.ts';

const config = loadConfig();
// Read at the cold start, as every setting: a function deployed without it fails to load.
const costSettings = { COST_HEADERS: config.COST_HEADERS };
const { activityStore, directory, client } = activityAdapters(config);
const trust = trustReaderFromConfig(config, client);
const signingKey = signingKeyLoader(config);

/** `GET /v1/activity` (org, team, group and managed scopes) and `GET /v1/me/activity`. */
export const handler = apiHandler({ auth: 'user' }, async ({ event, caller, query }) => {
  const deps = {
    store: activityStore,
    directory,
    signingKey: await signingKey(),
    clock: () => new Date(),
    trust,
  };
  let out: Awaited<ReturnType<typeof listActivity>>;
  if (event.routeKey === 'GET /v1/me/activity') {
    const { limit, cursor, ...filters } = parseInput(myActivityQuerySchema, query);
    out = await listMyActivity(deps, caller, filters, { limit, cursor });
  } else {
    const { limit, cursor, ...filters } = parseInput(activityQuerySchema, query);
    out = await listActivity(deps, caller, filters, { limit, cursor });
  }
  const cost = costHeaders(costSettings, canReadOrgActivity(caller), {
    scanned: out.scanned,
    index: out.plan.index,
  });
  return json(200, { items: out.items, nextCursor: out.nextCursor }, cost);
});

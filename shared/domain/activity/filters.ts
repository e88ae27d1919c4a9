// The activity log's filters in query-string shape (`GET /v1/activity`, exports, saved reports).
// Lists are comma-separated strings (an array is accepted too, for JSON bodies); booleans are
// `true`/`false`; timestamps are ISO 8601 and normalised to UTC. `limit` and `cursor` are not
// filters and live with the route.

import { z } from 'zod';
import { CONTENT_TYPES } from '../directory/schemas.ts';
import {
  booleanFlag,
  enumItems,
  enumValue,
  FROM_DOC,
  listFilter,
  TO_DOC,
  windowBoundSchema,
} from '../query-values.ts';
import { ACTIVITY_ACTIONS } from './event.ts';

const list = listFilter;

const bool = booleanFlag;

const id = z.string().min(1).max(128);

export const ACTIVITY_SCOPES = ['company', 'team', 'group', 'managed'] as const;

export const activityFiltersSchema = z.object({
  scope: enumValue(ACTIVITY_SCOPES)
    .optional()
    .meta({
      description:
        'company (default) · team (teamId; includeSubTeams, primaryOnly) · group (groupId) · managed ' +
        '(the caller’s direct reports, or managerId’s; includeSubManagers adds indirect ones). ' +
        'A manager is always limited to their direct and indirect reports, whatever the scope.',
    }),
  teamId: list(
    id,
    'scope=team: the team(s). Other scopes: only members (primary or secondary) of these teams.',
  ),
  includeSubTeams: bool('scope=team: include every team below'),
  primaryOnly: bool('scope=team: only members whose primary team it is'),
  groupId: list(id, 'scope=group: the group(s).'),
  managerId: id.optional().meta({
    description:
      'scope=managed: whose reports (default the caller). Owners and admins may name anyone; a manager ' +
      'only someone in their own tree (else 403); other roles with org-wide access may name anyone.',
  }),
  includeSubManagers: bool('scope=managed: include indirect reports'),
  completed: bool('true: only completions; false: only non-completions'),
  expired: bool('true: only entries whose expiresAt has passed; false: only the others'),
  action: list(
    enumValue(ACTIVITY_ACTIONS, 'activityActions'),
    'Actions (`GET /v1/catalog` lists them with labels, as `activityActions`).',
    enumItems(ACTIVITY_ACTIONS),
  ),
  contentType: list(
    enumValue(CONTENT_TYPES, 'contentTypes'),
    'Content types (`GET /v1/catalog` → `contentTypes`).',
    enumItems(CONTENT_TYPES),
  ),
  itemType: list(id, 'Item types, i.e. content.contentType (Video, Article, …).'),
  contentId: list(id, 'Content ids.'),
  title: z
    .string()
    .min(1)
    .max(200)
    .optional()
    .meta({ description: 'Case-insensitive substring of the title' }),
  tag: list(z.string().min(1).max(200), 'Content tags (case-insensitive).'),
  userId: list(id, 'Learners.'),
  source: list(z.string().min(1).max(200), 'Sources.'),
  cpdLabel: list(z.string().min(1).max(200), 'CPD labels (case-insensitive).'),
  bulkImportId: list(id, 'Bulk import ids.'),
  includeDeactivated: bool('Default false: entries of users deactivated now are hidden'),
  from: windowBoundSchema.optional().meta({ description: FROM_DOC }),
  to: windowBoundSchema.optional().meta({ description: TO_DOC }),
  order: enumValue(['asc', 'desc']).optional().meta({ description: 'Default desc (newest first)' }),
});

export type ActivityFilters = z.output<typeof activityFiltersSchema>;

/** The people filters `/v1/me/activity` does not take. */
export const PEOPLE_FILTERS = [
  'scope',
  'teamId',
  'includeSubTeams',
  'primaryOnly',
  'groupId',
  'managerId',
  'includeSubManagers',
  'userId',
  'includeDeactivated',
] as const;

export const myActivityFiltersSchema = activityFiltersSchema.omit(
  Object.fromEntries(PEOPLE_FILTERS.map((k) => [k, true])) as {
    [K in (typeof PEOPLE_FILTERS)[number]]: true;
  },
);
export type MyActivityFilters = z.output<typeof myActivityFiltersSchema>;

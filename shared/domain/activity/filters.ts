// The activity log's filters in query-string shape (`GET /v1/activity`, exports, saved reports).
// Lists are comma-separated strings (an array is accepted too, for JSON bodies); booleans are
// `true`/`false`; timestamps are ISO 8601 and normalised to UTC. `limit` and `cursor` are not
// filters and live with the route.

import { z } from 'zod';
import { CONTENT_TYPES } from '../directory/schemas.ts';
import { ACTIVITY_ACTIONS } from './event.ts';

const MAX_LIST = 100;

function list<T extends z.ZodType<string, string>>(item: T, description: string) {
  return z
    .union([z.string(), z.array(z.string())])
    .transform((raw) =>
      (Array.isArray(raw) ? raw : raw.split(',')).map((s) => s.trim()).filter((s) => s.length > 0),
    )
    .pipe(z.array(item).min(1).max(MAX_LIST))
    .optional()
    .meta({ description: `${description} Comma-separated; any of them.` });
}

const bool = (description: string) =>
  z
    .union([z.boolean(), z.enum(['true', 'false'])])
    .transform((v) => v === true || v === 'true')
    .optional()
    .meta({ description });

const id = z.string().min(1).max(128);
const timestamp = z.iso
  .datetime({ offset: true })
  .transform((v) => new Date(v).toISOString())
  .optional();

export const ACTIVITY_SCOPES = ['company', 'team', 'group', 'managed'] as const;

export const activityFiltersSchema = z
  .object({
    scope: z
      .enum(ACTIVITY_SCOPES)
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
    action: list(z.enum(ACTIVITY_ACTIONS), 'Actions.'),
    contentType: list(z.enum(CONTENT_TYPES), 'Content types (Item, Quiz, …).'),
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
    from: timestamp.meta({ description: 'Inclusive; default 3 calendar months before `to`' }),
    to: timestamp.meta({ description: 'Exclusive; default now' }),
    order: z.enum(['asc', 'desc']).optional().meta({ description: 'Default desc (newest first)' }),
  })
  .meta({ id: 'ActivityFilters' });

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

export const myActivityFiltersSchema = activityFiltersSchema
  .omit(
    Object.fromEntries(PEOPLE_FILTERS.map((k) => [k, true])) as {
      [K in (typeof PEOPLE_FILTERS)[number]]: true;
    },
  )
  .meta({ id: 'MyActivityFilters' });
export type MyActivityFilters = z.output<typeof myActivityFiltersSchema>;

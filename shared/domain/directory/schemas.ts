// The log's copy of the platform's people and structure. The platform pushes it with the
// `PUT /v1/directory/*` routes; scopes (team, group, managed), names in descriptions, the
// deactivated filter, archived content and the activity CSV columns read it.

import { z } from 'zod';
import { tenantIdSchema } from '../caller.ts';

export const directoryIdSchema = z
  .string()
  .regex(/^[A-Za-z0-9._:@-]{1,128}$/, 'must be 1-128 of A-Z a-z 0-9 . _ : @ -');

const isoTimestamp = z.iso
  .datetime({ offset: true })
  .transform((v) => new Date(v).toISOString())
  .meta({ description: 'ISO 8601; normalised to UTC with milliseconds' });

export const USER_STATUSES = ['active', 'deactivated'] as const;

export const userRecordSchema = z
  .object({
    id: directoryIdSchema,
    firstName: z.string().min(1).max(200),
    lastName: z.string().max(200),
    email: z.email().max(320),
    role: z.string().min(1).max(64).meta({ description: 'Platform role, e.g. Learner, Manager' }),
    reporting: z
      .boolean()
      .optional()
      .meta({
        description:
          'A curator’s "reporting" permission as the platform holds it now (absent = false). Scheduled reports ' +
          'read it when they run: a curator owner without it has the schedule paused; a curator recipient without ' +
          'it is skipped. The token’s `reporting` claim only governs the request that carries it.',
      }),
    jobTitle: z.string().max(200).optional(),
    language: z.string().max(64).optional(),
    location: z.string().max(200).optional(),
    joinedAt: isoTimestamp.optional(),
    managerId: directoryIdSchema.optional(),
    primaryTeamId: directoryIdSchema.optional(),
    secondaryTeamIds: z.array(directoryIdSchema).max(200).optional(),
    groupIds: z.array(directoryIdSchema).max(500).optional(),
    status: z.enum(USER_STATUSES),
    deactivatedAt: isoTimestamp.optional(),
    customFields: z
      .record(z.string().min(1).max(100), z.string().max(1000))
      .optional()
      .meta({ description: 'Custom user fields by name; one CSV column each in activity exports' }),
  })
  .meta({ id: 'UserRecord' });
export type UserRecord = z.output<typeof userRecordSchema>;

export const teamRecordSchema = z
  .object({
    id: directoryIdSchema,
    name: z.string().min(1).max(200),
    parentId: directoryIdSchema.optional().meta({
      description: 'The parent team. May name a team not pushed yet; a cycle is a 400.',
    }),
  })
  .meta({ id: 'TeamRecord' });
export type TeamRecord = z.output<typeof teamRecordSchema>;

export const groupRecordSchema = z
  .object({ id: directoryIdSchema, name: z.string().min(1).max(200) })
  .meta({ id: 'GroupRecord' });
export type GroupRecord = z.output<typeof groupRecordSchema>;

export const CONTENT_TYPES = ['Item', 'Learnlist', 'Channel', 'Event', 'Quiz', 'Survey'] as const;
export const contentTypeSchema = z.enum(CONTENT_TYPES);

export const contentRecordSchema = z
  .object({
    id: directoryIdSchema,
    type: contentTypeSchema,
    title: z.string().min(1).max(500),
    archived: z.boolean().optional(),
  })
  .meta({ id: 'ContentRecord' });
export type ContentRecord = z.output<typeof contentRecordSchema>;

const batch = <S extends z.ZodType>(item: S) => z.array(item).min(1).max(100);

export const putUsersSchema = z
  .object({ tenantId: tenantIdSchema, users: batch(userRecordSchema) })
  .meta({ id: 'PutDirectoryUsers' });
export const putTeamsSchema = z
  .object({ tenantId: tenantIdSchema, teams: batch(teamRecordSchema) })
  .meta({ id: 'PutDirectoryTeams' });
export const putGroupsSchema = z
  .object({ tenantId: tenantIdSchema, groups: batch(groupRecordSchema) })
  .meta({ id: 'PutDirectoryGroups' });
export const putContentSchema = z
  .object({ tenantId: tenantIdSchema, content: batch(contentRecordSchema) })
  .meta({ id: 'PutDirectoryContent' });

export const upsertedSchema = z
  .object({ upserted: z.number().int() })
  .meta({ id: 'DirectoryUpserted', description: 'How many records were written (created or replaced)' });

export type DirectoryKind = 'users' | 'teams' | 'groups' | 'content';

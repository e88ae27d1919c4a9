import { z } from 'zod';

export const ROLES = [
  'owner',
  'admin',
  'hr',
  'reporter',
  'learning_designer',
  'curator',
  'manager',
  'learner',
  'service',
] as const;
export const roleSchema = z.enum(ROLES);
export type Role = z.infer<typeof roleSchema>;

/** Who is calling. The tenant of every read comes from here, never from the request. */
export interface UserCaller {
  kind: 'user';
  tenantId: string;
  userId: string;
  role: Exclude<Role, 'service'>;
  /** The curator's "reporting" permission. */
  reporting: boolean;
}
export interface ServiceCaller {
  kind: 'service';
  /** IAM principal ARN in AWS; the token subject locally. */
  principal: string;
}
export type Caller = UserCaller | ServiceCaller;

export const tenantIdSchema = z.string().regex(/^[A-Za-z0-9._-]{1,64}$/, 'must be 1-64 of A-Z a-z 0-9 . _ -');

/** Claims as API Gateway's JWT authorizer passes them (every value may arrive as a string). */
export const claimsSchema = z.object({
  sub: z.string().min(1),
  tenant_id: tenantIdSchema.optional(),
  role: roleSchema,
  reporting: z
    .union([z.boolean(), z.enum(['true', 'false'])])
    .optional()
    .transform((v) => v === true || v === 'true'),
});
export type Claims = z.input<typeof claimsSchema>;

export const AUDIT_READERS: ReadonlySet<Role> = new Set(['owner', 'admin']);
export const ORG_ACTIVITY_READERS: ReadonlySet<Role> = new Set([
  'owner',
  'admin',
  'hr',
  'reporter',
  'learning_designer',
]);

export function canReadAudit(caller: UserCaller): boolean {
  return AUDIT_READERS.has(caller.role);
}

/** Company, team and group scopes of the activity log (managers are narrowed to their reports). */
export function canReadOrgActivity(caller: UserCaller): boolean {
  return ORG_ACTIVITY_READERS.has(caller.role) || (caller.role === 'curator' && caller.reporting);
}

/** Why the caller may not read the activity log org-wide: names the missing claim for a curator. */
export function activityDenial(caller: Pick<UserCaller, 'role' | 'reporting'>, what: string): string {
  if (caller.role === 'curator' && !caller.reporting)
    return `A curator may ${what} only with the \`reporting\` claim set to true; this token's \`reporting\` claim is missing or false.`;
  return `Your role may not ${what}.`;
}

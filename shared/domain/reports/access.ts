// Who may use a log in reports: audit for owners and admins; activity for every role that can
// read it (managers too: their visibility narrows what the export holds when it runs).

import { canReadAudit, canReadOrgActivity, ROLES, type Role, type UserCaller } from '../../http/caller.ts';
import type { ReportLog } from './report.ts';

export interface Holder {
  role: UserCaller['role'];
  reporting: boolean;
}

export function canUseLog(who: Holder, log: ReportLog): boolean {
  const caller = { kind: 'user', tenantId: '', userId: '', ...who } as const;
  if (log === 'audit') return canReadAudit(caller);
  return canReadOrgActivity(caller) || who.role === 'manager';
}

export function canUseReports(who: Holder): boolean {
  return canUseLog(who, 'audit') || canUseLog(who, 'activity');
}

/**
 * The platform role a directory record names ("Learning Designer", "admin", "Manager") as one of
 * ours; undefined for anything else (such a person may receive no report).
 */
export function roleFromDirectory(raw: string): Exclude<Role, 'service'> | undefined {
  const norm = raw
    .trim()
    .toLowerCase()
    .replace(/[\s-]+/g, '_');
  const role = (ROLES as readonly string[]).includes(norm) ? (norm as Role) : undefined;
  return role === 'service' ? undefined : role;
}

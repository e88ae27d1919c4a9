// Who may use a log in reports: audit for owners and admins; activity for every role that can
// read it (managers too: their visibility narrows what the export holds when it runs).

import { canReadAudit, canReadOrgActivity, ROLES, type Role, type UserCaller } from '../caller.ts';
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

/** Someone whose view of a log matters to a scheduled run: the report's owner or a recipient. */
export interface Viewer extends Holder {
  userId: string;
  /** Their manager chain, nearest first. */
  managers: readonly string[];
}

/**
 * The view a recipient gets of an owner's report: the owner's view narrowed to the recipient's
 * own, named so that recipients with the same effective view share one file. undefined when the
 * recipient may not read the log at all.
 * - audit: owners and admins read all of it (`all`); nobody else gets anything.
 * - activity: org-wide readers read everyone, a manager only their direct and indirect reports.
 *   The view is the intersection of the managers' trees among owner and recipient: `all` when
 *   neither is narrowed, one tree when only one is or when one tree lies inside the other, else
 *   both (two trees that do not nest share nobody, or a manager chain loops).
 */
export function sharedView(owner: Viewer, recipient: Viewer, log: ReportLog): string | undefined {
  if (!canUseLog(recipient, log)) return undefined;
  if (log === 'audit') return 'all';
  // Past canUseLog, someone not org-wide is a manager: narrowed to their own tree.
  const narrowed = (v: Viewer) => !orgWide(v);
  const trees: string[] = [];
  if (narrowed(owner)) trees.push(owner.userId);
  if (narrowed(recipient) && recipient.userId !== owner.userId) {
    const ownerAbove = recipient.managers.includes(owner.userId);
    const recipientAbove = owner.managers.includes(recipient.userId);
    if (!narrowed(owner)) trees.push(recipient.userId);
    else if (ownerAbove && !recipientAbove) trees.splice(0, 1, recipient.userId);
    else if (!(recipientAbove && !ownerAbove)) trees.push(recipient.userId);
  }
  return trees.length === 0 ? 'all' : `managers:${[...trees].sort().join(',')}`;
}

function orgWide(who: Holder): boolean {
  return canReadOrgActivity({ kind: 'user', tenantId: '', userId: '', ...who });
}

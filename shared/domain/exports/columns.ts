// The CSV columns of both logs (API.md "Exports"), in order, and the functions that turn one
// entry into one row of cells. Cells are plain strings; the formula-injection guard is applied
// here, RFC 4180 quoting by the CSV writer.

import { formatDuration } from '../activity/description.ts';
import type { ActivityEntryLike, AuditEntryLike, ExportUser } from './entries.ts';
import type { ExportVariant } from './export-job.ts';

export const ACTIVITY_USER_COLUMNS = [
  'First name',
  'Last name',
  'Email address',
  'Role',
  'Job title',
  'Language',
  'Location',
  'Join date',
  'Manager name',
  'Primary team',
  'Secondary teams',
  'Status (at time of export)',
  'Deactivated',
] as const;

export const ACTIVITY_ENTRY_COLUMNS = [
  'Action',
  'Title',
  'Type',
  'Content Type',
  'Unique ID',
  'Happened at',
  'Completed',
  'Expired at',
  'Tags',
] as const;

export const ELEARNING_COLUMNS = [
  'E-learning / Quiz result',
  'E-learning / Quiz score',
  'E-learning / Quiz total time',
  'Total time in seconds',
  'Certificate expires at',
] as const;

export const AUDIT_COLUMNS = [
  'Happened at',
  'Actor',
  'Actor ID',
  'Event',
  'Type',
  'Object name',
  'Object ID',
  'On behalf of',
  'Source',
  'IP address',
  'Summary',
  'Changes',
] as const;

const FORMULA_START = new Set(['=', '+', '-', '@', '\t', '\r']);

/** A cell a spreadsheet would run as a formula gets a leading `'` (OWASP CSV injection). */
export function guardCell(value: string): string {
  return value.length > 0 && FORMULA_START.has(value[0]!) ? `'${value}` : value;
}

/** Header of an activity CSV; custom fields come sorted, after the fixed columns. */
export function activityHeader(variant: ExportVariant, customFieldNames: readonly string[]): string[] {
  const fixed: string[] = [
    ...ACTIVITY_USER_COLUMNS,
    ...ACTIVITY_ENTRY_COLUMNS,
    ...(variant === 'elearning' ? ELEARNING_COLUMNS : []),
  ];
  const taken = new Set(fixed);
  // A custom field named like a fixed column keeps a distinct header.
  const custom = customFieldNames.map((name) => (taken.has(name) ? `${name} (custom field)` : name));
  return [...fixed, ...custom].map(guardCell);
}

export function auditHeader(): string[] {
  return [...AUDIT_COLUMNS];
}

/** `PasswordChanged` → `Password changed`, `EnrolledFor` → `Enrolled for`, `LoginAs` → `Login as`. */
export function actionLabel(action: string): string {
  const words = action
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    .split(/[\s_]+/)
    .filter(Boolean);
  return words
    .map((w, i) => (i === 0 ? w[0]!.toUpperCase() + w.slice(1) : /^[A-Z]{2,}$/.test(w) ? w : w.toLowerCase()))
    .join(' ');
}

/** `learning_designer` → `Learning Designer` */
export function roleLabel(role: string): string {
  return role
    .split('_')
    .filter(Boolean)
    .map((w) => w[0]!.toUpperCase() + w.slice(1))
    .join(' ');
}

/** One duration wording for the activity description and the CSV's total time. */
export { formatDuration };

function text(value: unknown): string {
  if (value === undefined || value === null) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return JSON.stringify(value);
}

/** `field: before → after; …`; an absent side shows as `(none)`. */
export function formatChanges(changes: AuditEntryLike['changes']): string {
  if (!changes?.length) return '';
  return changes
    .map((c) => {
      const before = c.before === undefined ? '(none)' : text(c.before);
      const after = c.after === undefined ? '(none)' : text(c.after);
      return `${c.field}: ${before} → ${after}`;
    })
    .join('; ');
}

export function auditRow(
  entry: AuditEntryLike,
  eventLabel: (action: string) => string = actionLabel,
): string[] {
  return [
    entry.occurredAt,
    entry.actor.name,
    entry.actor.id ?? '',
    eventLabel(entry.action),
    entry.object.type,
    entry.object.name ?? '',
    entry.object.id,
    entry.subject?.name ?? '',
    entry.attribution,
    entry.ip ?? '',
    entry.summary,
    formatChanges(entry.changes),
  ].map(guardCell);
}

/** When the user is not (or no longer) in the directory, the entry's own name is all there is. */
function fallbackUser(entry: ActivityEntryLike): ExportUser {
  const name = entry.user.name;
  const space = name.indexOf(' ');
  return {
    id: entry.user.id,
    firstName: space > 0 ? name.slice(0, space) : name,
    lastName: space > 0 ? name.slice(space + 1) : '',
    email: '',
    role: '',
    status: 'active',
  };
}

export function activityRow(
  entry: ActivityEntryLike,
  user: ExportUser | undefined,
  variant: ExportVariant,
  customFieldNames: readonly string[],
): string[] {
  const u = user ?? fallbackUser(entry);
  const known = user !== undefined;
  const content = entry.content;
  const cells: string[] = [
    u.firstName,
    u.lastName,
    u.email,
    u.role ? roleLabel(u.role) : '',
    u.jobTitle ?? '',
    u.language ?? '',
    u.location ?? '',
    u.joinedAt ?? '',
    u.managerName ?? '',
    u.primaryTeamName ?? '',
    (u.secondaryTeamNames ?? []).join(', '),
    known ? (u.status === 'deactivated' ? 'Deactivated' : 'Active') : '',
    u.deactivatedAt ?? '',
    actionLabel(entry.action),
    content ? (content.archived ? `${content.title} (Archived)` : content.title) : '',
    content?.type ?? '',
    content?.contentType ?? '',
    content?.id ?? '',
    entry.occurredAt,
    entry.completed ? 'Yes' : 'No',
    entry.expiresAt ?? '',
    (content?.tags ?? []).join(', '),
  ];
  if (variant === 'elearning') {
    const r = entry.result;
    cells.push(
      r ? (r.outcome === 'passed' ? 'Passed' : r.outcome === 'failed' ? 'Failed' : r.outcome) : '',
      r?.scorePercent !== undefined ? String(r.scorePercent) : '',
      r?.durationSeconds !== undefined ? formatDuration(r.durationSeconds) : '',
      r?.durationSeconds !== undefined ? String(r.durationSeconds) : '',
      entry.certificateExpiresAt ?? '',
    );
  }
  for (const name of customFieldNames) cells.push(u.customFields?.[name] ?? '');
  return cells.map(guardCell);
}

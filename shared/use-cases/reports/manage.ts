// Saved reports and their schedules, as their owners and the tenant's owners/admins manage them.
// A report another user may not see answers 404 (never revealing it exists); one they may see
// but not change answers 403.

import { ulid } from 'ulidx';
import { activityDenial, type UserCaller } from '../../domain/caller.ts';
import { type FieldError, ForbiddenError, NotFoundError, ValidationError } from '../../domain/errors.ts';
import { canUseLog, canUseReports } from '../../domain/reports/access.ts';
import { nextOccurrence } from '../../domain/reports/periods.ts';
import {
  REPORT_QUOTA,
  type Report,
  type ReportInput,
  type ReportQuota,
  reportCsvBom,
  type ScheduleInput,
  type StoredReport,
  type StoredSchedule,
  toReport,
} from '../../domain/reports/report.ts';
import { decodeCursor, encodeCursor } from '../../query/cursor.ts';
import type {
  AccessChecker,
  AuditRecorder,
  Clock,
  FilterValidator,
  ReportAuditEvent,
  ReportStore,
} from './ports.ts';

export interface ManageDeps {
  reports: ReportStore;
  people: AccessChecker;
  filters: FilterValidator;
  audit: AuditRecorder;
  clock: Clock;
  newId?: () => string;
  /** Default REPORT_QUOTA (200 reports, 50 schedules per tenant). */
  quota?: ReportQuota;
}

function assertMayUseReports(caller: UserCaller): void {
  if (!canUseReports(caller)) throw new ForbiddenError(activityDenial(caller, 'use saved reports'));
}

function isVisible(report: StoredReport, caller: UserCaller): boolean {
  if (report.ownerId === caller.userId) return true;
  return report.visibility === 'shared' && canUseLog(caller, report.log);
}

function mayManage(report: StoredReport, caller: UserCaller): boolean {
  if (report.ownerId === caller.userId) return true;
  return report.visibility === 'shared' && (caller.role === 'owner' || caller.role === 'admin');
}

async function load(deps: ManageDeps, caller: UserCaller, id: string): Promise<StoredReport> {
  assertMayUseReports(caller);
  const report = await deps.reports.get(caller.tenantId, id);
  if (!report || !isVisible(report, caller)) throw new NotFoundError('No such report.');
  return report;
}

async function loadForChange(deps: ManageDeps, caller: UserCaller, id: string): Promise<StoredReport> {
  const report = await load(deps, caller, id);
  if (!mayManage(report, caller))
    throw new ForbiddenError(
      'Only the report’s owner, or an owner or admin for a shared report, may change it.',
    );
  return report;
}

function validateFilters(deps: ManageDeps, input: ReportInput, caller: UserCaller): void {
  if (!canUseLog(caller, input.log)) {
    throw new ForbiddenError(
      input.log === 'activity'
        ? activityDenial(caller, 'save reports of the activity log')
        : 'Your role may not save reports of the audit log.',
    );
  }
  const problems = deps.filters.validate(input.log, input.filters);
  if (problems.length > 0) {
    throw new ValidationError(
      problems.map((p) => ({
        path: p.path === '(root)' ? 'filters' : `filters.${p.path}`,
        message: p.message,
      })),
    );
  }
}

async function actorOf(deps: ManageDeps, caller: UserCaller): Promise<ReportAuditEvent['actor']> {
  const person = (await deps.people.people(caller.tenantId, [caller.userId])).get(caller.userId);
  return { type: 'user', id: caller.userId, name: person?.name || caller.userId };
}

async function record(
  deps: ManageDeps,
  caller: UserCaller,
  at: string,
  event: Pick<ReportAuditEvent, 'action' | 'object' | 'changes' | 'details'>,
): Promise<void> {
  await deps.audit.record([
    {
      tenantId: caller.tenantId,
      occurredAt: at,
      actor: await actorOf(deps, caller),
      source: { kind: 'web' },
      ...event,
    },
  ]);
}

function diff(before: Record<string, unknown>, after: Record<string, unknown>, fields: string[]) {
  return fields
    .filter((f) => JSON.stringify(before[f]) !== JSON.stringify(after[f]))
    .map((field) => ({ field, before: before[field], after: after[field] }));
}

export async function createReport(
  deps: ManageDeps,
  caller: UserCaller,
  input: ReportInput,
): Promise<Report> {
  assertMayUseReports(caller);
  validateFilters(deps, input, caller);
  const now = deps.clock.now().toISOString();
  const report: StoredReport = {
    tenantId: caller.tenantId,
    id: (deps.newId ?? ulid)(),
    ...input,
    ownerId: caller.userId,
    createdAt: now,
    updatedAt: now,
  };
  await deps.reports.create(report, deps.quota ?? REPORT_QUOTA);
  await record(deps, caller, now, {
    action: 'Created',
    object: { type: 'Report', id: report.id, name: report.name },
    changes: diff({}, report, ['name', 'log', 'filters', 'visibility']),
  });
  return toReport(report);
}

export async function getReport(deps: ManageDeps, caller: UserCaller, id: string): Promise<Report> {
  return toReport(await load(deps, caller, id));
}

export interface ReportPage {
  items: Report[];
  nextCursor: string | null;
}

export async function listReports(
  deps: ManageDeps & { cursorKey: Uint8Array },
  caller: UserCaller,
  page: { limit: number; cursor?: string },
): Promise<ReportPage> {
  assertMayUseReports(caller);
  const binding = { tenantId: caller.tenantId, list: `reports:${caller.userId}`, filters: {} };
  const after = page.cursor ? decodeCursor(deps.cursorKey, binding, page.cursor) : undefined;
  const visible = (await deps.reports.listByTenant(caller.tenantId))
    .filter((r) => isVisible(r, caller))
    .sort((a, b) => (a.id < b.id ? 1 : a.id > b.id ? -1 : 0))
    .filter((r) => after === undefined || r.id < after);
  const items = visible.slice(0, page.limit);
  const last = items[items.length - 1];
  return {
    items: items.map(toReport),
    nextCursor: visible.length > page.limit && last ? encodeCursor(deps.cursorKey, binding, last.id) : null,
  };
}

export async function updateReport(
  deps: ManageDeps,
  caller: UserCaller,
  id: string,
  input: ReportInput,
): Promise<Report> {
  const before = await loadForChange(deps, caller, id);
  validateFilters(deps, input, caller);
  if (before.schedule && input.log !== before.log) {
    // Recipients were checked against the old log: they must be checked again.
    throw new ValidationError([
      { path: 'log', message: 'cannot change while the report is scheduled; remove the schedule first' },
    ]);
  }
  const now = deps.clock.now().toISOString();
  const after: StoredReport = {
    ...before,
    ...input,
    updatedAt: now,
  };
  await deps.reports.save(after, before, deps.quota ?? REPORT_QUOTA);
  await record(deps, caller, now, {
    action: 'Updated',
    object: { type: 'Report', id, name: after.name },
    changes: diff({ ...before, csvBom: reportCsvBom(before) }, after, [
      'name',
      'log',
      'filters',
      'visibility',
      'csvBom',
    ]),
  });
  return toReport(after);
}

export async function deleteReport(deps: ManageDeps, caller: UserCaller, id: string): Promise<void> {
  const report = await loadForChange(deps, caller, id);
  await deps.reports.delete(report);
  const now = deps.clock.now().toISOString();
  await record(deps, caller, now, {
    action: 'Deleted',
    object: { type: 'Report', id, name: report.name },
    ...(report.schedule ? { details: { schedule: report.schedule.frequency } } : {}),
  });
}

/** Every recipient must be an active directory user allowed to see the report's log. */
export async function checkRecipients(
  people: AccessChecker,
  tenantId: string,
  log: StoredReport['log'],
  recipients: readonly string[],
): Promise<FieldError[]> {
  const found = await people.people(tenantId, recipients);
  const errors: FieldError[] = [];
  recipients.forEach((userId, i) => {
    const person = found.get(userId);
    const path = `recipients[${i}]`;
    if (!person) errors.push({ path, message: `user ${userId} is not in the directory` });
    else if (!person.active) errors.push({ path, message: `user ${userId} is deactivated` });
    else if (!person.role || !canUseLog({ role: person.role, reporting: person.reporting }, log))
      errors.push({ path, message: `user ${userId} may not see the ${log} log` });
  });
  return errors;
}

export async function putSchedule(
  deps: ManageDeps,
  caller: UserCaller,
  id: string,
  input: ScheduleInput,
): Promise<Report> {
  const report = await loadForChange(deps, caller, id);
  if (!canUseLog(caller, report.log))
    throw new ForbiddenError(
      report.log === 'activity'
        ? activityDenial(caller, 'schedule activity reports')
        : 'Your role may not schedule audit reports.',
    );
  const errors = await checkRecipients(deps.people, caller.tenantId, report.log, input.recipients);
  if (errors.length > 0) throw new ValidationError(errors, 'Some recipients may not receive this report.');
  const now = deps.clock.now();
  const schedule: StoredSchedule = {
    version: (deps.newId ?? ulid)(),
    ...input,
    nextRunAt: nextOccurrence(input, now).toISOString(),
    paused: false,
    createdAt: report.schedule?.createdAt ?? now.toISOString(),
    updatedAt: now.toISOString(),
  };
  const after: StoredReport = { ...report, schedule };
  await deps.reports.save(after, report, deps.quota ?? REPORT_QUOTA);
  const fields = ['frequency', 'recipients', 'timeZone', 'hour'];
  await record(deps, caller, now.toISOString(), {
    action: report.schedule ? 'Updated' : 'Created',
    object: { type: 'ReportSchedule', id, name: report.name },
    changes: diff(report.schedule ?? {}, schedule, fields),
  });
  return toReport(after);
}

export async function deleteSchedule(deps: ManageDeps, caller: UserCaller, id: string): Promise<void> {
  const report = await loadForChange(deps, caller, id);
  if (!report.schedule) throw new NotFoundError('The report has no schedule.');
  const { schedule, ...rest } = report;
  const now = deps.clock.now().toISOString();
  await deps.reports.save({ ...rest }, report, deps.quota ?? REPORT_QUOTA);
  await record(deps, caller, now, {
    action: 'Deleted',
    object: { type: 'ReportSchedule', id, name: report.name },
    changes: [{ field: 'frequency', before: schedule.frequency }],
  });
}

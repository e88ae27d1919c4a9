// `POST /v1/exports`: check the caller may export that log, validate the filters with the log's
// own schema, store the job (queued), record the export in the tenant's audit log, and start the
// worker without waiting for it.

import { activityDenial, canReadAudit, canReadOrgActivity, type UserCaller } from '../../domain/caller.ts';
import { DomainError, ForbiddenError, QuotaExceededError } from '../../domain/errors.ts';
import {
  EXPORT_QUOTA_RETRY_SECONDS,
  type ExportFormat,
  type ExportJob,
  type ExportLog,
  type ExportRequester,
  type ExportSourceKind,
  type ExportVariant,
  fileExtension,
  MAX_ACTIVE_EXPORTS,
  type QueryFilters,
} from '../../domain/exports/export-job.ts';
import { toQueryForm } from '../../domain/query-values.ts';
import { logger } from '../../observability.ts';
import type {
  AuditRecorder,
  Clock,
  DirectoryLookup,
  EntrySources,
  ExportDispatcher,
  ExportStore,
  LinkSettings,
} from './ports.ts';

export interface CreateExportDeps {
  store: ExportStore;
  sources: Pick<EntrySources, 'validateFilters'>;
  directory: Pick<DirectoryLookup, 'getUsers'>;
  audit: AuditRecorder;
  clock: Clock;
  links: Pick<LinkSettings, 'linkDays'>;
  newId: () => string;
}

export interface RequestExportDeps extends CreateExportDeps {
  dispatcher: ExportDispatcher;
}

export interface ExportInput {
  log: ExportLog;
  format: ExportFormat;
  variant?: ExportVariant;
  /** Query-string shaped; arrays, booleans and numbers are accepted and normalised. */
  filters: Record<string, unknown>;
  /** People every row must also be visible to (scheduled reports' recipients); each must be allowed to export the log. */
  viewers?: readonly ExportRequester[];
  /** CSV only: start the file with a UTF-8 byte-order mark (default true). */
  csvBom?: boolean;
  /** The name the file is saved under (a scheduled report's); default: the log and the window. */
  fileName?: string;
}

export interface RequestMeta {
  source?: ExportSourceKind;
  /** Shown with the source in the audit entry, e.g. the scheduled report's name. */
  sourceName?: string;
  ip?: string;
  userAgent?: string;
  /** At most this many of the requester's exports queued or running (API.md: 3 per user). */
  maxActive?: number;
}

/** Filter names that page a list and mean nothing for a whole-view export. */
const PAGING = new Set(['limit', 'cursor']);

export function assertMayExport(caller: Pick<UserCaller, 'role' | 'reporting'>, log: ExportLog): void {
  if (log === 'audit') {
    if (!canReadAudit(caller as UserCaller))
      throw new ForbiddenError('Only owners and admins may export the audit log.');
    return;
  }
  if (!canReadOrgActivity(caller as UserCaller) && caller.role !== 'manager')
    throw new ForbiddenError(activityDenial(caller, 'export the activity log'));
}

/** `{action: ['Created','Deleted'], system: true}` → `{action: 'Created,Deleted', system: 'true'}`, paging dropped */
export function normaliseFilters(raw: Record<string, unknown>): Record<string, unknown> {
  return toQueryForm(Object.fromEntries(Object.entries(raw).filter(([name]) => !PAGING.has(name))));
}

export async function requestExport(
  deps: RequestExportDeps,
  caller: UserCaller,
  input: ExportInput,
  meta: RequestMeta = {},
): Promise<{ id: string; status: 'queued' }> {
  const job = await createExportJob(deps, caller.tenantId, caller, input, {
    maxActive: MAX_ACTIVE_EXPORTS,
    ...meta,
  });
  try {
    await deps.dispatcher.dispatch({ tenantId: job.tenantId, exportId: job.id });
  } catch (err) {
    await failQuietly(deps, job, 'The export could not be started. Please try again.');
    throw err;
  }
  return { id: job.id, status: 'queued' };
}

/** Validates, stores and audits a queued job. Shared by requests and scheduled runs. */
export async function createExportJob(
  deps: CreateExportDeps,
  tenantId: string,
  requester: ExportRequester,
  input: ExportInput,
  meta: RequestMeta = {},
): Promise<ExportJob> {
  assertMayExport(requester, input.log);
  for (const viewer of input.viewers ?? []) assertMayExport(viewer, input.log);
  const now = deps.clock.now();
  const filters = normaliseFilters(input.filters);
  // Pin the window's end to now, so the file shows the view as it was when asked for.
  if (filters.to === undefined) filters.to = now.toISOString();
  await deps.sources.validateFilters(
    input.log,
    { kind: 'user', tenantId, ...requesterOf(requester) },
    filters as QueryFilters,
  );

  const variant = input.log === 'activity' ? (input.variant ?? 'standard') : 'standard';
  const job: ExportJob = {
    tenantId,
    id: deps.newId(),
    log: input.log,
    format: input.format,
    variant,
    filters: filters as QueryFilters,
    requester: requesterOf(requester),
    ...(input.viewers?.length ? { viewers: input.viewers.map(requesterOf) } : {}),
    source: meta.source ?? 'web',
    ...(input.format === 'csv' ? { csvBom: input.csvBom ?? true } : {}),
    ...(input.fileName ? { fileName: input.fileName } : {}),
    status: 'queued',
    createdAt: now.toISOString(),
  };
  // The job outlives its link by a day, so a late GET still explains what happened.
  const forgetAt = Math.floor(now.getTime() / 1000) + (deps.links.linkDays + 1) * 86_400;
  if (meta.maxActive !== undefined && !(await deps.store.claimSlot(job, meta.maxActive))) {
    throw new QuotaExceededError(
      `You have ${meta.maxActive} exports queued or running; wait until one finishes.`,
      EXPORT_QUOTA_RETRY_SECONDS,
    );
  }
  await deps.store.create(job, forgetAt);

  try {
    const [person] = await deps.directory.getUsers(tenantId, [requester.userId]);
    const actorName = person ? `${person.firstName} ${person.lastName}`.trim() : requester.userId;
    await deps.audit.record({
      id: `export-${job.id}`,
      tenantId,
      occurredAt: job.createdAt,
      actor: { type: 'user', id: requester.userId, name: actorName || requester.userId },
      action: 'Created',
      object: { type: 'CsvExport', id: job.id, name: exportName(job) },
      source: { kind: job.source, ...(meta.sourceName ? { name: meta.sourceName } : {}) },
      ...(meta.ip ? { ip: meta.ip } : {}),
      ...(meta.userAgent ? { userAgent: meta.userAgent } : {}),
      details: { log: job.log, format: job.format, variant: job.variant, filters: job.filters },
    });
  } catch (err) {
    // An export that is not in the audit log must not run.
    await failQuietly(deps, job, 'The export could not be recorded in the audit log. Please try again.');
    throw err;
  }
  return job;
}

function requesterOf(r: ExportRequester): ExportRequester {
  return { userId: r.userId, role: r.role, reporting: r.reporting };
}

/** `Activity log export (CSV, e-learning)` */
export function exportName(job: Pick<ExportJob, 'log' | 'format' | 'variant'>): string {
  const log = job.log === 'audit' ? 'Audit log' : 'Activity log';
  const variant = job.log === 'activity' && job.variant === 'elearning' ? ', e-learning' : '';
  return `${log} export (${fileExtension(job.format).toUpperCase()}${variant})`;
}

async function failQuietly(
  deps: { store: ExportStore; clock: Clock },
  job: ExportJob,
  message: string,
): Promise<void> {
  try {
    await deps.store.transition(job.tenantId, job.id, ['queued'], 'failed', {
      error: message,
      finishedAt: deps.clock.now().toISOString(),
    });
  } catch (err) {
    logger.warn('could not mark the export failed', { exportId: job.id, error: err as Error });
  }
}

export function isExposed(err: unknown): err is DomainError {
  return err instanceof DomainError && err.expose;
}

// The small interfaces report and schedule use cases depend on. Adapters implement them over
// DynamoDB, SES, the directory, exports and the audit log; tests pass in-memory fakes.

import type { UserCaller } from '../../domain/caller.ts';
import type { ReportFilters, ReportLog, ReportQuota, StoredReport } from '../../domain/reports/report.ts';
import type { RunFile, RunKey, RunRecord, SendRecord } from '../../domain/reports/run.ts';

export type { Clock } from '../../domain/time.ts';

export interface ReportStore {
  get(tenantId: string, id: string): Promise<StoredReport | undefined>;
  listByTenant(tenantId: string): Promise<StoredReport[]>;
  /**
   * Creates a report, counted against the tenant's quota in the same transaction: DuplicateError
   * when the id exists, ConflictError (409) when the tenant already has `quota.reports`.
   */
  create(report: StoredReport, quota: ReportQuota): Promise<void>;
  /**
   * Replaces `previous` (as it was read) with `report`: ConflictError when it changed meanwhile
   * (removed, or its schedule added, replaced or removed), or when a schedule it adds would pass
   * `quota.schedules`. A schedule added or removed moves the tenant's count in the same transaction.
   */
  save(report: StoredReport, previous: StoredReport, quota: ReportQuota): Promise<void>;
  /** Deletes `report` (as it was read) and uncounts it and its schedule; ConflictError when it changed meanwhile. */
  delete(report: StoredReport): Promise<void>;
}

export interface DueSchedule {
  tenantId: string;
  reportId: string;
  nextRunAt: string;
}

/** The dispatcher's view of schedules: the due ones, and state changes that never clobber a PUT. */
export interface ScheduleStore {
  /** Active schedules with `nextRunAt <= now` (through the sparse byDue index, never a scan). */
  due(now: Date, limit: number): Promise<DueSchedule[]>;
  /**
   * Sets `nextRunAt` and the pause of a schedule, only if it still has `version` (else false:
   * the schedule was replaced or removed meanwhile). A paused schedule leaves the due index.
   */
  advance(
    tenantId: string,
    reportId: string,
    version: string,
    state: { nextRunAt: string; paused?: { reason: string; at: string } },
  ): Promise<boolean>;
}

export type { RunFile, RunKey, RunRecord, SendRecord };

export interface RunLedger {
  /** Conditional put (attribute_not_exists): true when this caller created the run. */
  claim(run: RunRecord): Promise<boolean>;
  get(key: RunKey): Promise<RunRecord | undefined>;
  /** Takes over an incomplete run whose lease has expired; false when someone else holds it. */
  takeOver(key: RunKey, now: string, leaseUntil: string): Promise<RunRecord | undefined>;
  update(
    key: RunKey,
    patch: Partial<Pick<RunRecord, 'status' | 'outcome' | 'files' | 'skipped' | 'error' | 'leaseUntil'>>,
  ): Promise<void>;
  /**
   * The worker's start of attempt `attempt`: only when the run is still running, that attempt,
   * and queued (not yet started by another delivery). Moves it to `started` with a fresh lease.
   */
  start(key: RunKey, attempt: number, now: string, leaseUntil: string): Promise<RunRecord | undefined>;
  /**
   * Records "sending to userId" before the e-mail goes out: true when no send is recorded yet
   * or the last one failed; false when it was sent (or may have been) already.
   */
  claimSend(key: RunKey, userId: string, to: string, at: string): Promise<boolean>;
  markSend(
    key: RunKey,
    userId: string,
    result: { status: 'sent' | 'failed'; messageId?: string; error?: string; at: string },
  ): Promise<void>;
  sends(key: RunKey): Promise<SendRecord[]>;
}

export interface Email {
  to: string;
  subject: string;
  text: string;
  html: string;
}

export interface Mailer {
  send(email: Email): Promise<{ messageId: string }>;
}

/** What an export made for a run: a run's file, less the view and window the run adds. */
export type ExportResult = Omit<RunFile, 'view' | 'from' | 'to'>;

/** A claimed run handed to a run worker (one queue message or in-process call). */
export interface RunTask extends RunKey {
  /** The occurrence (ISO) the run is for. */
  scheduledFor: string;
  /** The attempt the claim made: a worker starts only that one. */
  attempt: number;
}

/**
 * Fan-out of claimed runs to run workers, in the order given. Resolves, per task, with the
 * run's status when the workers ran in this process, or `queued` when they were only queued.
 */
export interface RunQueue {
  enqueue(tasks: readonly RunTask[]): Promise<Array<'queued' | 'sent' | 'retrying' | 'failed' | 'skipped'>>;
}

export interface ExportRunner {
  run(input: {
    tenantId: string;
    caller: UserCaller;
    /** Every row must also be visible to each of them (the recipients the file is for). */
    viewers?: UserCaller[];
    log: ReportLog;
    /** The report's filters with the time window resolved to `from`/`to` (ISO, UTC). */
    filters: ReportFilters;
    source: { kind: 'scheduled_job'; name: string };
    /** The file's format (scheduled reports: csv). */
    format: 'csv' | 'json';
    /** The name the file is saved under: the report's name and the period. */
    fileName?: string;
    /** CSV only: start the file with a UTF-8 byte-order mark (the report's `csvBom`, default true). */
    csvBom?: boolean;
  }): Promise<ExportResult>;
}

/** A person as the directory knows them now. */
export interface Person {
  id: string;
  name: string;
  email: string;
  active: boolean;
  /** Our role for their directory role; undefined when it maps to none. */
  role: UserCaller['role'] | undefined;
  /** A curator's `reporting` permission as the directory holds it now. */
  reporting: boolean;
  /** Their manager chain, nearest first (who sees them as a report). */
  managers: readonly string[];
}

export interface AccessChecker {
  people(tenantId: string, ids: readonly string[]): Promise<Map<string, Person>>;
}

/** Checks a report's filters against its log's own filter schema (paths relative to `filters`). */
export interface FilterValidator {
  validate(log: ReportLog, filters: ReportFilters): { path: string; message: string }[];
}

export interface ReportAuditEvent {
  /** Idempotency key, where a retry could record the same fact twice. */
  id?: string;
  tenantId: string;
  occurredAt: string;
  actor: { type: 'user' | 'system'; id?: string; name: string };
  action: 'Created' | 'Updated' | 'Deleted' | 'Generated';
  object: { type: 'Report' | 'ReportSchedule'; id: string; name?: string };
  source: { kind: 'web' | 'scheduled_job'; name?: string };
  changes?: { field: string; before?: unknown; after?: unknown }[];
  details?: Record<string, unknown>;
}

export interface AuditRecorder {
  record(events: ReportAuditEvent[]): Promise<void>;
}

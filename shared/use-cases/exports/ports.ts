// What the export use cases need from the world, as small interfaces. Adapters implement them
// (DynamoDB, S3, Lambda, the logs' own use cases); tests hand in in-memory fakes.

import type { Readable } from 'node:stream';
import type { UserCaller } from '../../domain/caller.ts';
import type { UserRecord } from '../../domain/directory/schemas.ts';
import type { ActivityEntryLike, AuditEntryLike } from '../../domain/exports/entries.ts';
import type { ExportJob, ExportLog, QueryFilters } from '../../domain/exports/export-job.ts';

/** Fields the worker may change after creation. */
export type ExportJobUpdate = Partial<
  Pick<ExportJob, 'startedAt' | 'finishedAt' | 'rowCount' | 'fileKey' | 'error'>
>;

export interface ExportStore {
  /** Stores a new job; `expiresAt` (epoch seconds) is when the store may forget it. */
  create(job: ExportJob, expiresAt: number): Promise<void>;
  /** The job, or null when unknown, forgotten, or another tenant's. */
  get(tenantId: string, id: string): Promise<ExportJob | null>;
  /**
   * Moves the job from one of `from` to `to` with `changes`, atomically (a conditional write).
   * Answers false, changing nothing, when the job is not in one of `from`.
   */
  transition(
    tenantId: string,
    id: string,
    from: readonly ExportJob['status'][],
    to: ExportJob['status'],
    changes: ExportJobUpdate,
  ): Promise<boolean>;
  /**
   * Claims one of the requester's `max` slots for this (not yet stored) job; false when `max`
   * unfinished jobs hold them. A slot is released when its job succeeds or fails (any
   * transition to a terminal status, a sweeper's included) or is never stored.
   */
  claimSlot(job: ExportJob, max: number): Promise<boolean>;
}

/** A requester's own exports, newest first (`GET /v1/exports`). */
export interface ExportHistory {
  /**
   * Up to `limit` of the user's exports created before the one at `after` (a position this
   * returned as `last`), newest first; `last` is set when more follow. Only jobs whose requester
   * is `userId` in `tenantId`; forgotten jobs are left out.
   */
  listByRequester(
    tenantId: string,
    userId: string,
    limit: number,
    after?: string,
  ): Promise<{ jobs: ExportJob[]; last?: string }>;
}

export interface PresignOptions {
  filename: string;
  contentType: string;
  expiresInSeconds: number;
}

export interface ExportFiles {
  /**
   * Streams `body` into storage at `key`. Resolves only when the whole object is stored; on any
   * failure (the body's or storage's) it aborts, so no object exists at `key`, and rejects.
   * `filename`: the object's own Content-Disposition, so a plain GET saves it under that name too.
   */
  upload(key: string, body: Readable, contentType: string, filename?: string): Promise<void>;
  /** A short-lived GET URL that makes the browser save the file under `filename`. */
  presignDownload(key: string, options: PresignOptions): Promise<string>;
}

/** The logs' query side, seen from exports: validate filters, and iterate every match in order. */
export interface EntrySources {
  /**
   * Rejects filters the log's query would reject for this caller: a ValidationError whose paths
   * start with `filters.`, or the query's own 403/404 (a manager naming someone outside their tree,
   * an unknown team), so a bad export fails at request time, not in the worker.
   */
  validateFilters(log: ExportLog, caller: UserCaller, filters: QueryFilters): Promise<void>;
  /** `viewers`: every row must also be visible to each of them (their visibility narrows the caller's). */
  activity(
    caller: UserCaller,
    filters: QueryFilters,
    viewers?: readonly UserCaller[],
  ): AsyncIterable<ActivityEntryLike>;
  audit(
    caller: UserCaller,
    filters: QueryFilters,
    viewers?: readonly UserCaller[],
  ): AsyncIterable<AuditEntryLike>;
  /** The audit catalog's label of an action (the CSV's Event column); a generic one when absent. */
  auditActionLabel?(action: string): string;
}

/** A directory user as stored (API.md UserRecord): the directory's own schema type. */
export type DirectoryUserRecord = UserRecord;

/** The directory as it is now: user columns are filled at export time, not at event time. */
export interface DirectoryLookup {
  getUsers(tenantId: string, ids: readonly string[]): Promise<DirectoryUserRecord[]>;
  getTeams(tenantId: string, ids: readonly string[]): Promise<Array<{ id: string; name: string }>>;
  /** Every custom user field name in use in the tenant's directory. */
  customFieldNames(tenantId: string): Promise<string[]>;
}

/** The slice of API.md's AuditEventInput an export records about itself. */
export interface ExportAuditEvent {
  id: string;
  tenantId: string;
  occurredAt: string;
  actor: { type: 'user'; id: string; name: string };
  action: 'Created';
  object: { type: 'CsvExport'; id: string; name: string };
  source: { kind: 'web' | 'scheduled_job' | 'api'; name?: string };
  ip?: string;
  userAgent?: string;
  details: Record<string, unknown>;
}

export interface AuditRecorder {
  record(event: ExportAuditEvent): Promise<void>;
}

/** Starts the worker for a stored job without waiting for it (Lambda Event invoke, or in-process). */
export interface ExportDispatcher {
  dispatch(ref: { tenantId: string; exportId: string }): Promise<void>;
}

export type { Clock } from '../../domain/time.ts';

export interface LinkSettings {
  publicBaseUrl: string;
  linkDays: number;
  signingKey: () => Promise<Uint8Array>;
}

/** Export jobs still `queued` or `running` (the sweeper's candidates). */
export interface OpenExportRef {
  tenantId: string;
  id: string;
}

export interface OpenExports {
  /** Jobs that entered `status` before `before` (oldest first), at most `limit`. */
  listOpen(status: 'queued' | 'running', before: Date, limit: number): Promise<OpenExportRef[]>;
}

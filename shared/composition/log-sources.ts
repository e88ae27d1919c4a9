// The logs as exports see them: their filter schemas (the list routes' names and rules, unknown
// names rejected), their iterators run as the requester, the directory as it is now, and the
// audit log's ingest for recording each export.

import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { z } from 'zod';
import type { DynamoDirectoryStore } from '../adapters/dynamodb/directory-store.ts';
import type { Config } from '../config.ts';
import { activityFiltersSchema } from '../domain/activity/filters.ts';
import { actionLabel, isAction } from '../domain/audit/catalog.ts';
import { auditFiltersShape, fromNotAfterTo } from '../domain/audit/filters.ts';
import { canReadAudit, type UserCaller } from '../domain/caller.ts';
import { type FieldError, ForbiddenError, ValidationError } from '../domain/errors.ts';
import type { ExportLog, QueryFilters } from '../domain/exports/export-job.ts';
import { issuesToFieldErrors } from '../domain/issues.ts';
import { systemClock } from '../domain/time.ts';
import { iterateActivity, resolvePeople } from '../use-cases/activity/query.ts';
import { ingestAuditEvents } from '../use-cases/audit/ingest.ts';
import { iterateAuditEvents } from '../use-cases/audit/query.ts';
import type {
  AuditRecorder,
  DirectoryLookup,
  DirectoryUserRecord,
  EntrySources,
} from '../use-cases/exports/ports.ts';
import { activityStoreFromConfig } from './activity.ts';
import { auditStoreFromConfig } from './audit.ts';
import { directoryStoreFromConfig } from './directory.ts';
import { trustReaderFromConfig } from './trust-reader.ts';

const auditExportFilters = z
  .object(auditFiltersShape)
  .catchall(z.never({ error: 'is not a known filter' }))
  .superRefine(fromNotAfterTo);
const activityExportFilters = activityFiltersSchema
  .catchall(z.never({ error: 'is not a known filter' }))
  .superRefine((v, ctx) => {
    if (v.from && v.to && v.from > v.to)
      ctx.addIssue({ code: 'custom', path: ['from'], message: 'must not be after `to`' });
  });

/** Parses filters, naming every bad one as `filters.<name>` (an unknown name included). */
function parseFilters<S extends z.ZodType>(schema: S, filters: QueryFilters): z.output<S> {
  const out = schema.safeParse(filters);
  if (out.success) return out.data;
  const errors: FieldError[] = [];
  for (const issue of out.error.issues) {
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) errors.push({ path: `filters.${key}`, message: 'is not a known filter' });
    } else errors.push(...issuesToFieldErrors([issue], 'filters'));
  }
  throw new ValidationError(errors);
}

function prefixed(err: unknown): unknown {
  if (!(err instanceof ValidationError)) return err;
  const errors: FieldError[] = err.errors.map((e) => ({ ...e, path: `filters.${e.path}` }));
  return new ValidationError(errors, err.message);
}

/**
 * Filter checks at request time: the schemas, and for activity the people the filters name
 * (the directory only; no log is read).
 */
export function filterChecks(directoryStore: DynamoDirectoryStore): Pick<EntrySources, 'validateFilters'> {
  return {
    async validateFilters(log: ExportLog, caller: UserCaller, filters: QueryFilters) {
      if (log === 'audit') {
        parseFilters(auditExportFilters, filters);
        return;
      }
      const parsed = parseFilters(activityExportFilters, filters);
      try {
        resolvePeople(caller, parsed, await directoryStore.snapshot(caller.tenantId));
      } catch (err) {
        throw prefixed(err);
      }
    },
  };
}

/** The directory as exports read it (user columns, the requester's name). */
export function directoryLookup(directoryStore: DynamoDirectoryStore): DirectoryLookup {
  return {
    async getUsers(tenantId, ids) {
      const snap = await directoryStore.snapshot(tenantId);
      return ids.map((id) => snap.user(id)).filter((u): u is DirectoryUserRecord => u !== undefined);
    },
    async getTeams(tenantId, ids) {
      const snap = await directoryStore.snapshot(tenantId);
      return ids.flatMap((id) => {
        const t = snap.team(id);
        return t ? [{ id: t.id, name: t.name }] : [];
      });
    },
    async customFieldNames(tenantId) {
      const snap = await directoryStore.snapshot(tenantId);
      const names = new Set<string>();
      for (const u of snap.data.users) for (const name of Object.keys(u.customFields ?? {})) names.add(name);
      return [...names];
    },
  };
}

/** Each export recorded through the audit log's own ingest (append only). */
export function exportAuditRecorder(config: Config, client: DynamoDBDocumentClient): AuditRecorder {
  const ingest = {
    store: auditStoreFromConfig(config, client),
    clock: systemClock,
    retentionMonths: config.AUDIT_RETENTION_MONTHS,
  };
  return {
    async record(event) {
      await ingestAuditEvents(ingest, [event]);
    },
  };
}

/** Both logs' iterators, run as the requester (the worker and scheduled runs). */
export function entrySources(
  config: Config,
  client: DynamoDBDocumentClient,
  directoryStore: DynamoDirectoryStore,
): EntrySources {
  const clock = systemClock;
  const trust = trustReaderFromConfig(config, client);
  const auditQuery = {
    store: auditStoreFromConfig(config, client),
    clock,
    retentionMonths: config.AUDIT_RETENTION_MONTHS,
    trust,
    // Iteration never makes a cursor; the key is only part of the query's deps shape.
    signingKey: async () => new Uint8Array(),
  };
  const activityQuery = {
    store: activityStoreFromConfig(config, client),
    directory: directoryStore,
    clock,
    trust,
  };
  return {
    ...filterChecks(directoryStore),
    activity(caller, filters, viewers) {
      return iterateActivity(activityQuery, caller, parseFilters(activityExportFilters, filters), viewers);
    },
    audit(caller, filters, viewers) {
      for (const viewer of viewers ?? []) {
        if (!canReadAudit(viewer))
          throw new ForbiddenError('A recipient of this file may not read the audit log.');
      }
      return iterateAuditEvents(auditQuery, caller, parseFilters(auditExportFilters, filters));
    },
    auditActionLabel(action) {
      return isAction(action) ? actionLabel(action) : action;
    },
  };
}

/** Everything above on one client (scheduled runs' exports, tests). */
export function logSources(
  config: Config,
  client: DynamoDBDocumentClient,
): { sources: EntrySources; directory: DirectoryLookup; audit: AuditRecorder } {
  const directoryStore = directoryStoreFromConfig(config, client);
  return {
    sources: entrySources(config, client, directoryStore),
    directory: directoryLookup(directoryStore),
    audit: exportAuditRecorder(config, client),
  };
}

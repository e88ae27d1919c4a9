import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { z } from 'zod';
import type { Config } from '../config.ts';
import { activityFiltersSchema } from '../domain/activity/filters.ts';
import { auditFiltersSchema } from '../domain/audit/filters.ts';
import { toQueryForm } from '../domain/query-values.ts';
import { systemClock } from '../domain/time.ts';
import { issuesToFieldErrors } from '../http/validate.ts';
import { signingKeyLoader } from '../signing.ts';
import { type IngestAuditDeps, ingestAuditEvents } from '../use-cases/audit/ingest.ts';
import type { ManageDeps } from '../use-cases/reports/manage.ts';
import type { AuditRecorder, FilterValidator } from '../use-cases/reports/ports.ts';
import { auditStoreFromConfig } from './dynamodb/audit-store.ts';
import { dynamoDocumentClient } from './dynamodb/client.ts';
import { DynamoDirectoryStore } from './dynamodb/directory-store.ts';
import { DirectoryAccessChecker } from './dynamodb/report-people.ts';
import { DynamoReportStore } from './dynamodb/report-store.ts';

/**
 * The composition root of saved reports and schedules: the real adapters behind the use cases'
 * ports — the state table, the directory, the audit log's ingest and the logs' filter schemas —
 * built once per cold start by the reports handler; the schedule dispatcher adds SES and
 * `runExport` (./dispatch-deps.ts), so the reports bundle carries neither SES nor S3.
 */

const FILTER_SCHEMAS: Record<'audit' | 'activity', z.ZodObject> = {
  audit: auditFiltersSchema as unknown as z.ZodObject,
  activity: activityFiltersSchema as unknown as z.ZodObject,
};

/** The log's own filter schema: unknown names and bad values, each with its path. */
export const logFilters: FilterValidator = {
  validate(log, filters) {
    const { range: _range, ...rest } = filters;
    const schema = FILTER_SCHEMAS[log];
    const known = new Set(Object.keys(schema.shape));
    const unknown = Object.keys(rest)
      .filter((k) => !known.has(k))
      .map((path) => ({ path, message: `is not a filter of the ${log} log` }));
    const parsed = schema.safeParse(toQueryForm(rest));
    return [...unknown, ...(parsed.success ? [] : issuesToFieldErrors(parsed.error.issues))];
  },
};

/**
 * Report events through the audit log's own ingest. An entry is stamped no later than now (a
 * local run "as if" at a later moment records when it really ran).
 */
export function auditRecorder(deps: IngestAuditDeps): AuditRecorder {
  return {
    record: async (events) => {
      const now = deps.clock.now().getTime();
      const stamped = events.map((e) => ({
        ...e,
        occurredAt: new Date(Math.min(Date.parse(e.occurredAt), now)).toISOString(),
      }));
      await ingestAuditEvents(deps, stamped);
    },
  };
}

/**
 * The adapters reports, the schedule dispatcher's tick and the run worker all use: the state
 * table and the directory. Each builder reads only the settings its adapters need, so the tick
 * (which records nothing in the audit log) is neither given nor granted the audit table.
 */
export function reportAdapters(config: Config) {
  const client = dynamoDocumentClient(config);
  return {
    client,
    store: new DynamoReportStore(client, { tableName: config.STATE_TABLE }),
    people: new DirectoryAccessChecker(
      new DynamoDirectoryStore(client, { tableName: config.DIRECTORY_TABLE }),
    ),
  };
}

/** Report and run events through the audit log's own ingest (reports and the run worker). */
export function reportAuditRecorder(config: Config, client: DynamoDBDocumentClient): AuditRecorder {
  return auditRecorder({
    store: auditStoreFromConfig(config, client),
    clock: systemClock,
    retentionMonths: config.AUDIT_RETENTION_MONTHS,
  });
}

/** Settings are read before the first await, so a missing one fails the cold start. */
export function buildManageDeps(config: Config): Promise<ManageDeps & { cursorKey: Uint8Array }> {
  const { client, store, people } = reportAdapters(config);
  const audit = reportAuditRecorder(config, client);
  const cursorKey = signingKeyLoader(config);
  return cursorKey().then((key) => ({
    reports: store,
    people,
    filters: logFilters,
    audit,
    clock: systemClock,
    cursorKey: key,
  }));
}

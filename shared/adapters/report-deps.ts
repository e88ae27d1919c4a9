import type { z } from 'zod';
import { exportRunDeps } from '../composition/exports.ts';
import type { Config } from '../config.ts';
import { activityFiltersSchema } from '../domain/activity/filters.ts';
import { auditFiltersSchema } from '../domain/audit/filters.ts';
import { issuesToFieldErrors } from '../http/validate.ts';
import { signingKeyLoader } from '../signing.ts';
import { type IngestAuditDeps, ingestAuditEvents } from '../use-cases/audit/ingest.ts';
import { runExport } from '../use-cases/exports/run.ts';
import type { DispatchDeps } from '../use-cases/reports/dispatch.ts';
import type { ManageDeps } from '../use-cases/reports/manage.ts';
import type { AuditRecorder, ExportRunner, FilterValidator } from '../use-cases/reports/ports.ts';
import { auditStoreFromConfig } from './dynamodb/audit-store.ts';
import { dynamoDocumentClient } from './dynamodb/client.ts';
import { DynamoDirectoryStore } from './dynamodb/directory-store.ts';
import { DirectoryAccessChecker } from './dynamodb/report-people.ts';
import { DynamoReportStore, DynamoRunLedger } from './dynamodb/report-store.ts';
import { sesClient } from './ses/client.ts';
import { SesMailer } from './ses/mailer.ts';

/**
 * The composition root of saved reports and schedules: the real adapters behind the use cases'
 * ports — the state table, SES, the directory, the audit log's ingest, the logs' filter schemas
 * and `runExport` — built once per cold start by the reports and dispatcher handlers and the
 * local stack.
 */
const systemClock = { now: () => new Date() };

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
    const parsed = schema.safeParse(rest);
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
      const now = deps.clock().getTime();
      const stamped = events.map((e) => ({
        ...e,
        occurredAt: new Date(Math.min(Date.parse(e.occurredAt), now)).toISOString(),
      }));
      await ingestAuditEvents(deps, stamped);
    },
  };
}

function shared(config: Config) {
  const client = dynamoDocumentClient(config);
  return {
    client,
    store: new DynamoReportStore(client, config.STATE_TABLE),
    people: new DirectoryAccessChecker(new DynamoDirectoryStore(client, config.DIRECTORY_TABLE)),
    audit: auditRecorder({
      store: auditStoreFromConfig(config, client),
      clock: () => new Date(),
      retentionMonths: config.AUDIT_RETENTION_MONTHS,
    }),
  };
}

/** Settings are read before the first await, so a missing one fails the cold start. */
export function buildManageDeps(config: Config): Promise<ManageDeps & { cursorKey: Uint8Array }> {
  const { store, people, audit } = shared(config);
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

export function buildDispatchDeps(config: Config, clock: { now(): Date } = systemClock): DispatchDeps {
  const { client, store, people, audit } = shared(config);
  const runDeps = exportRunDeps(config);
  const exporter: ExportRunner = {
    run: (input) => runExport(runDeps, { ...input, format: 'csv' }),
  };
  return {
    reports: store,
    schedules: store,
    runs: new DynamoRunLedger(client, config.STATE_TABLE),
    mailer: new SesMailer(sesClient(config), config.SENDER_EMAIL),
    exports: exporter,
    people,
    audit,
    clock,
    linkDays: config.EXPORT_LINK_DAYS,
  };
}

// The composition root of saved reports and schedules: the real adapters behind the use cases'
// ports — the state table, the directory, the audit log's ingest and the logs' filter checks —
// built once per cold start by the reports handler; the schedule dispatcher adds SES and
// `runExport` (./schedule.ts), so the reports bundle carries neither SES nor S3.

import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { dynamoDocumentClient } from '../adapters/dynamodb/client.ts';
import { DirectoryAccessChecker } from '../adapters/dynamodb/report-people.ts';
import { DynamoReportStore } from '../adapters/dynamodb/report-store.ts';
import type { Config } from '../config.ts';
import { systemClock } from '../domain/time.ts';
import { signingKeyLoader } from '../signing.ts';
import { auditRecorder } from '../use-cases/reports/audit-recorder.ts';
import { logFilters } from '../use-cases/reports/log-filters.ts';
import type { ManageDeps } from '../use-cases/reports/manage.ts';
import * as manage from '../use-cases/reports/manage.ts';
import type { AuditRecorder } from '../use-cases/reports/ports.ts';
import { auditStoreFromConfig } from './audit.ts';
import { bindAllAsync } from './bind.ts';
import { directoryStoreFromConfig } from './directory.ts';

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
    people: new DirectoryAccessChecker(directoryStoreFromConfig(config, client)),
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

/** The reports function's use cases (saved reports and their schedules), bound to its deps. */
export function reportService(config: Config) {
  const ready = buildManageDeps(config);
  return bindAllAsync(() => ready, {
    create: manage.createReport,
    list: manage.listReports,
    get: manage.getReport,
    update: manage.updateReport,
    delete: manage.deleteReport,
    putSchedule: manage.putSchedule,
    deleteSchedule: manage.deleteSchedule,
  });
}

import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { z } from 'zod';
import type { Config } from '../config.ts';
import { activityFiltersSchema } from '../domain/activity/filters.ts';
import { UnavailableError } from '../domain/errors.ts';
import { issuesToFieldErrors } from '../http/validate.ts';
import { logger } from '../observability.ts';
import { signingKey } from '../signing.ts';
import type { DispatchDeps } from '../use-cases/reports/dispatch.ts';
import type { ManageDeps } from '../use-cases/reports/manage.ts';
import type { AuditRecorder, ExportRunner, FilterValidator } from '../use-cases/reports/ports.ts';
import { dynamoDocumentClient } from './dynamodb/client.ts';
import { DynamoDirectoryStore } from './dynamodb/directory-store.ts';
import { DirectoryAccessChecker } from './dynamodb/report-people.ts';
import { DynamoReportStore, DynamoRunLedger } from './dynamodb/report-store.ts';
import { sesClient } from './ses/client.ts';
import { SesMailer } from './ses/mailer.ts';

/**
 * The composition root of saved reports and schedules: the real adapters behind the use cases'
 * ports, built once per cold start by the reports and dispatcher handlers and the local stack.
 */
const systemClock = { now: () => new Date() };

function people(client: DynamoDBDocumentClient, config: Config) {
  return new DirectoryAccessChecker(new DynamoDirectoryStore(client, config.DIRECTORY_TABLE));
}

const FILTER_SCHEMAS: Partial<Record<'audit' | 'activity', z.ZodObject>> = {
  activity: activityFiltersSchema as unknown as z.ZodObject,
};

/** The log's own filter schema: unknown names and bad values, each with its path. */
export const logFilters: FilterValidator = {
  validate(log, filters) {
    const { range: _range, ...rest } = filters;
    const schema = FILTER_SCHEMAS[log];
    if (!schema) return [];
    const known = new Set(Object.keys(schema.shape));
    const unknown = Object.keys(rest)
      .filter((k) => !known.has(k))
      .map((path) => ({ path, message: `is not a filter of the ${log} log` }));
    const parsed = schema.safeParse(rest);
    return [...unknown, ...(parsed.success ? [] : issuesToFieldErrors(parsed.error.issues))];
  },
};

const loggedAudit: AuditRecorder = {
  record: async (events) => {
    for (const e of events) logger.debug('report audit event', { event: e });
  },
};

const noExports: ExportRunner = {
  run: async () => {
    throw new UnavailableError('Exports are not available yet.');
  },
};

export async function buildManageDeps(config: Config): Promise<ManageDeps & { cursorKey: Uint8Array }> {
  const client = dynamoDocumentClient(config);
  return {
    reports: new DynamoReportStore(client, config.STATE_TABLE),
    people: people(client, config),
    filters: logFilters,
    audit: loggedAudit,
    clock: systemClock,
    cursorKey: await signingKey(config),
  };
}

export function buildDispatchDeps(config: Config, clock: { now(): Date } = systemClock): DispatchDeps {
  const client = dynamoDocumentClient(config);
  const store = new DynamoReportStore(client, config.STATE_TABLE);
  return {
    reports: store,
    schedules: store,
    runs: new DynamoRunLedger(client, config.STATE_TABLE),
    mailer: new SesMailer(sesClient(config), config.SENDER_EMAIL),
    exports: noExports,
    people: people(client, config),
    audit: loggedAudit,
    clock,
    linkDays: config.EXPORT_LINK_DAYS,
  };
}

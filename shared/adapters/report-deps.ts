import { BatchGetCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Config } from '../config.ts';
import { UnavailableError } from '../domain/errors.ts';
import { logger } from '../observability.ts';
import { signingKey } from '../signing.ts';
import type { DispatchDeps } from '../use-cases/reports/dispatch.ts';
import type { ManageDeps } from '../use-cases/reports/manage.ts';
import type { AuditRecorder, ExportRunner, FilterValidator } from '../use-cases/reports/ports.ts';
import { dynamoDocumentClient } from './dynamodb/client.ts';
import {
  DirectoryAccessChecker,
  type DirectoryUserLike,
  type DirectoryUsers,
} from './dynamodb/report-people.ts';
import { DynamoReportStore, DynamoRunLedger } from './dynamodb/report-store.ts';
import { sesClient } from './ses/client.ts';
import { SesMailer } from './ses/mailer.ts';

/**
 * The composition root of saved reports and schedules: the real adapters behind the use cases'
 * ports, built once per cold start by the reports and dispatcher handlers and the local stack.
 */
const systemClock = { now: () => new Date() };

/** Directory users read straight from the directory table (pk tenant, sk `USER#id`, `r` = record). */
class TableDirectoryUsers implements DirectoryUsers {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}
  async snapshot(tenantId: string) {
    return { user: (id: string) => this.cache.get(`${tenantId}|${id}`) };
  }
  readonly cache = new Map<string, DirectoryUserLike>();
  async load(tenantId: string, ids: readonly string[]): Promise<void> {
    for (let i = 0; i < ids.length; i += 100) {
      const keys = ids.slice(i, i + 100).map((id) => ({ pk: tenantId, sk: `USER#${id}` }));
      const out = await this.client.send(
        new BatchGetCommand({ RequestItems: { [this.table]: { Keys: keys } } }),
      );
      for (const item of out.Responses?.[this.table] ?? []) {
        const r = item.r as DirectoryUserLike | undefined;
        if (r?.id) this.cache.set(`${tenantId}|${r.id}`, r);
      }
    }
  }
}

function people(client: DynamoDBDocumentClient, config: Config) {
  const users = new TableDirectoryUsers(client, config.DIRECTORY_TABLE);
  const checker = new DirectoryAccessChecker(users);
  return {
    people: async (tenantId: string, ids: readonly string[]) => {
      await users.load(tenantId, ids);
      return checker.people(tenantId, ids);
    },
  };
}

const anyFilters: FilterValidator = { validate: () => [] };

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
    filters: anyFilters,
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

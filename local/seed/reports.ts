import { dynamoDocumentClient } from '../../shared/adapters/dynamodb/client.ts';
import { DynamoReportStore } from '../../shared/adapters/dynamodb/report-store.ts';
import { nextOccurrence } from '../../shared/domain/reports/periods.ts';
import { REPORT_QUOTA } from '../../shared/domain/reports/report.ts';
import { DEMO_PEOPLE, DEMO_TENANT } from './demo.ts';
import type { SeedContext } from './index.ts';

/** Two saved reports for the demo tenant; the audit one is e-mailed weekly to the owner and admin. */
export async function seedReports(ctx: SeedContext): Promise<void> {
  const store = new DynamoReportStore(dynamoDocumentClient(ctx.config), {
    tableName: ctx.config.STATE_TABLE,
  });
  const at = ctx.now.toISOString();
  const timing = { frequency: 'weekly' as const, timeZone: 'Europe/London', hour: 6 };
  await store.create(
    {
      tenantId: DEMO_TENANT,
      id: 'demo-report-deletions',
      name: 'Deletions, previous week',
      log: 'audit',
      filters: { action: 'Deleted', range: 'previousPeriod' },
      visibility: 'shared',
      ownerId: DEMO_PEOPLE.admin.sub,
      createdAt: at,
      updatedAt: at,
      schedule: {
        version: 'seed',
        ...timing,
        recipients: [DEMO_PEOPLE.owner.sub, DEMO_PEOPLE.admin.sub],
        nextRunAt: nextOccurrence(timing, ctx.now).toISOString(),
        paused: false,
        createdAt: at,
        updatedAt: at,
      },
    },
    REPORT_QUOTA,
  );
  await store.create(
    {
      tenantId: DEMO_TENANT,
      id: 'demo-report-completions',
      name: 'Completions, last 30 days',
      log: 'activity',
      filters: { completed: 'true', range: 'last30d' },
      visibility: 'private',
      ownerId: DEMO_PEOPLE.manager.sub,
      createdAt: at,
      updatedAt: at,
    },
    REPORT_QUOTA,
  );
  ctx.log('saved reports: 2 (one scheduled weekly)');
}

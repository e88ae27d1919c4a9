import './env.ts';
import { startBanner } from './banner.ts';
import { ensureConsoleBuilt } from './console.ts';
import { scheduleRoutes, startScheduleTicker } from './schedules.ts';
import { sealRoutes, startSealTicker } from './seal.ts';
import { DEMO_PEOPLE, DEMO_TENANT } from './seed/demo.ts';
import { seedDemoTenant } from './seed/index.ts';
import { startLocalStack } from './stack.ts';
import { defaultSecretWarning, mintToken } from './tokens.ts';
import { startExpiryTicker, trustRoutes } from './trust.ts';

/**
 * `npm start`: DynamoDB Local, s3rver and SES v2 local embedded; the dev gateway on PORT; the
 * demo tenant seeded on first start; tokens printed. Ctrl-C or SIGTERM stops everything.
 */
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
const port = Number(process.env.PORT ?? 3000);
const dataDir = process.env.DATA_DIR ?? '.logbook';
const base = Number(process.env.EMULATOR_BASE_PORT ?? 8600);

async function main() {
  console.log('Logbook: starting DynamoDB Local, s3rver and SES v2 local …');
  // The console's build runs while the emulators start.
  const consoleBuilt = ensureConsoleBuilt((l) => console.log(`  ${l}`)).catch((err: unknown) =>
    console.error(
      `  the admin console could not be built: ${err instanceof Error ? err.message : String(err)}`,
    ),
  );
  const stack = await startLocalStack({
    dataDir,
    port,
    emulatorPorts: { dynamodb: base, s3: base + 1, ses: base + 2 },
    localRoutes: (config) => [...scheduleRoutes(config), ...sealRoutes(config), ...trustRoutes(config)],
  });
  const stopExpiry = startExpiryTicker(
    () => stack.config,
    (err) => console.error(`  expiry job failed: ${err instanceof Error ? err.message : String(err)}`),
  );
  const stopTicker = startScheduleTicker(
    () => stack.config,
    (err) => console.error(`  schedule tick failed: ${err instanceof Error ? err.message : String(err)}`),
  );
  const stopSealer = startSealTicker(
    () => stack.config,
    (err) => console.error(`  sealing failed: ${err instanceof Error ? err.message : String(err)}`),
  );
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    stopTicker();
    stopSealer();
    stopExpiry();
    console.log(`\n${signal}: stopping Logbook …`);
    await stack.stop();
    console.log('Stopped.');
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));

  await consoleBuilt;
  const seeded = await seedDemoTenant({
    config: stack.config,
    now: new Date(),
    log: (l) => console.log(`  ${l}`),
  });

  const tokens = await Promise.all(
    Object.entries(DEMO_PEOPLE).map(async ([label, p]) => ({
      label,
      name: p.name,
      role: p.role,
      token: await mintToken({
        sub: p.sub,
        role: p.role,
        tenant: p.role === 'service' ? undefined : DEMO_TENANT,
        expiresIn: '30d',
      }),
    })),
  );
  console.log(
    startBanner({
      url: stack.url,
      dataDir,
      tenant: DEMO_TENANT,
      seeded: seeded === 'seeded',
      sesEndpoint: stack.emulators.sesEndpoint,
      dynamoEndpoint: stack.emulators.dynamoEndpoint,
      s3Endpoint: stack.emulators.s3Endpoint,
      tokens,
    }),
  );
  const warning = defaultSecretWarning();
  if (warning) console.warn(`\n${warning}`);
}

main().catch((err: unknown) => {
  console.error(`\nLogbook could not start: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});

import './env.ts';
import { join, resolve } from 'node:path';
import { scheduleRoutes, startScheduleTicker } from './schedules.ts';
import { sealRoutes, startSealTicker } from './sealing.ts';
import { DEMO_PEOPLE, DEMO_TENANT } from './seed/demo.ts';
import { seedDemoTenant } from './seed/index.ts';
import { startLocalStack } from './stack.ts';
import { mintToken } from './tokens.ts';

/**
 * `npm start`: DynamoDB Local, s3rver and SES v2 local embedded; the dev gateway on PORT; the
 * demo tenant seeded on first start; tokens printed. Ctrl-C or SIGTERM stops everything.
 */
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
const port = Number(process.env.PORT ?? 3000);
const dataDir = process.env.DATA_DIR ?? '.logbook';
const base = Number(process.env.EMULATOR_BASE_PORT ?? 8600);

async function main() {
  // The local digest signing key: made on first start, kept with the data.
  process.env.LOCAL_DIGEST_KEY_FILE ??= join(resolve(dataDir), 'digest-signing-keys.json');
  console.log('Logbook: starting DynamoDB Local, s3rver and SES v2 local …');
  const stack = await startLocalStack({
    dataDir,
    port,
    emulatorPorts: { dynamodb: base, s3: base + 1, ses: base + 2 },
    localRoutes: (config) => [...scheduleRoutes(config), ...sealRoutes(config)],
  });
  const stopTicker = startScheduleTicker(
    () => stack.config,
    (err) => console.error(`  schedule tick failed: ${err instanceof Error ? err.message : String(err)}`),
  );
  const stopSealer = startSealTicker(
    () => stack.config,
    (err) => console.error(`  seal tick failed: ${err instanceof Error ? err.message : String(err)}`),
  );
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    stopTicker();
    stopSealer();
    console.log(`\n${signal}: stopping Logbook …`);
    await stack.stop();
    console.log('Stopped.');
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));

  const seeded = await seedDemoTenant({
    config: stack.config,
    now: new Date(),
    log: (l) => console.log(`  ${l}`),
  });

  const tokens = await Promise.all(
    Object.entries(DEMO_PEOPLE).map(async ([label, p]) => {
      const token = await mintToken({
        sub: p.sub,
        role: p.role,
        tenant: p.role === 'service' ? undefined : DEMO_TENANT,
        expiresIn: '30d',
      });
      return `  ${label.padEnd(8)} ${p.name} (${p.role})\n    ${token}`;
    }),
  );
  console.log(`
Logbook is running (data in ${dataDir}; demo tenant "${DEMO_TENANT}" ${seeded === 'seeded' ? 'seeded now' : 'already seeded'}).

  API            ${stack.url}   (health: ${stack.url}/health, OpenAPI: ${stack.url}/v1/openapi.json)
  E-mail inbox   ${stack.emulators.sesEndpoint}/   (JSON: ${stack.url}/_local/emails)
  Schedules      run every minute; POST ${stack.url}/_local/run-schedules {"now": "…"} runs them as at a moment
  Integrity      closed hours are sealed every minute; POST ${stack.url}/_local/seal {"now": "…"} seals as at a moment;
                 npm run verify -- --url ${stack.url} --token <owner token>
  DynamoDB Local ${stack.emulators.dynamoEndpoint}
  S3 (s3rver)    ${stack.emulators.s3Endpoint}

Tokens for the demo tenant (valid 30 days):
${tokens.join('\n')}

Try:
  curl -s ${stack.url}/v1/audit-events -H "authorization: Bearer <admin token>"

Ctrl-C stops everything.`);
}

main().catch((err: unknown) => {
  console.error(`\nLogbook could not start: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});

import type { Config } from './config.ts';

/**
 * The HMAC key for cursors and download tokens. Locally it is SIGNING_SECRET; in AWS it is read
 * once per cold start from Secrets Manager (SIGNING_SECRET_ARN), so it never sits in the template.
 */
let cached: Promise<Uint8Array> | undefined;

export const LOCAL_SIGNING_SECRET = 'logbook-local-signing-secret-not-for-production';

export function signingKey(config: Config): Promise<Uint8Array> {
  cached ??= load(config).catch((err) => {
    cached = undefined;
    throw err;
  });
  return cached;
}

async function load(config: Config): Promise<Uint8Array> {
  if (config.SIGNING_SECRET) return new TextEncoder().encode(config.SIGNING_SECRET);
  if (config.SIGNING_SECRET_ARN) {
    const { SecretsManagerClient, GetSecretValueCommand } = await import('@aws-sdk/client-secrets-manager');
    const client = new SecretsManagerClient({ region: config.AWS_REGION });
    const out = await client.send(new GetSecretValueCommand({ SecretId: config.SIGNING_SECRET_ARN }));
    if (!out.SecretString) throw new Error('signing secret is empty');
    return new TextEncoder().encode(out.SecretString);
  }
  if (config.STAGE === 'local' || config.STAGE === 'test')
    return new TextEncoder().encode(LOCAL_SIGNING_SECRET);
  throw new Error('Invalid configuration: SIGNING_SECRET or SIGNING_SECRET_ARN is required');
}

// The HMAC key for cursors and download tokens. Locally it is SIGNING_SECRET (or a fixed local
// key); in AWS it is read once per cold start from Secrets Manager (SIGNING_SECRET_ARN), so it
// never sits in the template.

import { observeClient } from './adapters/sdk-observer.ts';
import { type Config, isDeployed } from './config.ts';

let cached: Promise<Uint8Array> | undefined;

export const LOCAL_SIGNING_SECRET = 'logbook-local-signing-secret-not-for-production';

/**
 * Reads the settings now (a handler calls this while it builds its adapters, so a function
 * deployed without SIGNING_SECRET_ARN fails its cold start) and loads the key on first use.
 */
export function signingKeyLoader(config: Config): () => Promise<Uint8Array> {
  const secret = config.SIGNING_SECRET;
  const source = secret
    ? ({ kind: 'value', secret } as const)
    : isDeployed()
      ? ({ kind: 'arn', arn: config.SIGNING_SECRET_ARN as string, region: config.AWS_REGION } as const)
      : config.SIGNING_SECRET_ARN
        ? ({ kind: 'arn', arn: config.SIGNING_SECRET_ARN, region: config.AWS_REGION } as const)
        : ({ kind: 'value', secret: LOCAL_SIGNING_SECRET } as const);
  return () => {
    cached ??= load(source).catch((err) => {
      cached = undefined;
      throw err;
    });
    return cached;
  };
}

export function signingKey(config: Config): Promise<Uint8Array> {
  return signingKeyLoader(config)();
}

async function load(
  source: { kind: 'value'; secret: string } | { kind: 'arn'; arn: string; region: string },
): Promise<Uint8Array> {
  if (source.kind === 'value') return new TextEncoder().encode(source.secret);
  const { SecretsManagerClient, GetSecretValueCommand } = await import('@aws-sdk/client-secrets-manager');
  const client = observeClient(new SecretsManagerClient({ region: source.region }));
  const out = await client.send(new GetSecretValueCommand({ SecretId: source.arn }));
  if (!out.SecretString) throw new Error('signing secret is empty');
  return new TextEncoder().encode(out.SecretString);
}

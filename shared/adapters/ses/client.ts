import { SESv2Client } from '@aws-sdk/client-sesv2';
import type { Config } from '../../config.ts';
import { LOCAL_CREDENTIALS } from '../local-credentials.ts';
import { observeClient } from '../sdk-observer.ts';

export function sesClient(config: Config): SESv2Client {
  return observeClient(
    new SESv2Client({
      region: config.AWS_REGION,
      ...(config.SES_ENDPOINT ? { endpoint: config.SES_ENDPOINT, credentials: LOCAL_CREDENTIALS } : {}),
    }),
  );
}

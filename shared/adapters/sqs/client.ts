import { SQSClient } from '@aws-sdk/client-sqs';
import type { Config } from '../../config.ts';
import { observeClient } from '../sdk-observer.ts';

export function sqsClient(config: Config): SQSClient {
  return observeClient(new SQSClient({ region: config.AWS_REGION }));
}

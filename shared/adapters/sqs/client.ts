import { SQSClient } from '@aws-sdk/client-sqs';
import type { Config } from '../../config.ts';

export function sqsClient(config: Config): SQSClient {
  return new SQSClient({ region: config.AWS_REGION });
}

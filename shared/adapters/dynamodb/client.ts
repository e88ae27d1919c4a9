// SDK clients built from configuration. Locally the endpoints point at the emulators; in AWS
// they are unset and the SDK uses the Lambda role. Each adapter takes its client injected.
// S3 and SES clients live in their own modules so a bundle imports only what it uses.

import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Config } from '../../config.ts';
import { LOCAL_CREDENTIALS } from '../local-credentials.ts';
import { observeClient } from '../sdk-observer.ts';

/**
 * How every item is marshalled. convertClassInstanceToMap: a free-form map with its own
 * `constructor` key (details) is still a plain map; without it the marshaller refuses it and a
 * valid event answers 503. (attributes.ts marshalls ingest items with the same options.)
 */
export const MARSHALL_OPTIONS = {
  removeUndefinedValues: true,
  convertEmptyValues: false,
  convertClassInstanceToMap: true,
} as const;

export function dynamoDocumentClient(config: Config): DynamoDBDocumentClient {
  const client = observeClient(
    new DynamoDBClient({
      region: config.AWS_REGION,
      ...(config.DYNAMODB_ENDPOINT
        ? { endpoint: config.DYNAMODB_ENDPOINT, credentials: LOCAL_CREDENTIALS }
        : {}),
      maxAttempts: 4,
    }),
  );
  return DynamoDBDocumentClient.from(client, {
    marshallOptions: MARSHALL_OPTIONS,
  });
}

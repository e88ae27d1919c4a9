import { PutItemCommand } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { APIGatewayProxyEventV2, Context } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';

import { resetConfig } from '../../../shared/config.ts';

// The platform's role is on the service-caller allow-list, which the handler reads when it loads:
// set before the (dynamic) import, after a reset of the cached configuration.
process.env.SERVICE_CALLERS = 'arn:aws:iam::123456789012:role/platform';
resetConfig();
const { handler } = await import('../../../functions/audit-ingest/handler.ts');

const ddb = mockClient(DynamoDBDocumentClient);
beforeEach(() => {
  ddb.reset();
  // The tenant's retention and legal holds (state table): none set.
  ddb.on(QueryCommand).resolves({ Items: [] });
  // Each person's data key (Keys table): none yet, so one is made and stored.
  ddb.on(GetCommand).resolves({});
  ddb.on(PutCommand).resolves({});
});

const context = { awsRequestId: 'r1', functionName: 'audit-ingest' } as Context;
function post(body: unknown): APIGatewayProxyEventV2 {
  return {
    version: '2.0',
    routeKey: 'POST /v1/audit-events',
    rawPath: '/v1/audit-events',
    rawQueryString: '',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
    isBase64Encoded: false,
    requestContext: {
      requestId: 'r1',
      routeKey: 'POST /v1/audit-events',
      http: { method: 'POST', path: '/v1/audit-events' },
      authorizer: { iam: { userArn: 'arn:aws:sts::123456789012:assumed-role/platform/ingest' } },
    },
  } as unknown as APIGatewayProxyEventV2;
}
const events = [
  {
    id: 'h1',
    tenantId: 't1',
    occurredAt: new Date(Date.now() - 60_000).toISOString(),
    actor: { type: 'user', id: 'u1', name: 'Ada' },
    action: 'Created',
    object: { type: 'Task', id: 'task-1' },
    source: { kind: 'web' },
  },
];

describe('the ingest handler', () => {
  it('answers 429 with Retry-After when DynamoDB throttles after retries, without internals', async () => {
    ddb.on(PutItemCommand).rejects(
      Object.assign(new Error('Throughput exceeds the current capacity of table logbook-audit'), {
        name: 'ThrottlingException',
      }),
    );
    const res = (await handler(post({ events }), context)) as {
      statusCode: number;
      headers: Record<string, string>;
      body: string;
    };
    expect(res.statusCode).toBe(429);
    expect(res.headers['retry-after']).toBe('1');
    expect(res.body).not.toContain('logbook-audit');
  });

  it('answers 503 for any other storage failure, without internals', async () => {
    ddb
      .on(PutItemCommand)
      .rejects(Object.assign(new Error('connect ECONNREFUSED 10.0.0.7:443'), { name: 'Error' }));
    const res = (await handler(post({ events }), context)) as { statusCode: number; body: string };
    expect(res.statusCode).toBe(503);
    expect(res.body).not.toContain('ECONNREFUSED');
  });

  it('answers 200 with per-event results when the write succeeds', async () => {
    ddb.on(PutItemCommand).resolves({});
    const res = (await handler(post({ events }), context)) as { statusCode: number; body: string };
    expect(res.statusCode).toBe(200);
    expect(JSON.parse(res.body)).toEqual({ results: [{ id: 'h1', status: 'created' }] });
  });
});

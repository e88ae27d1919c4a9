import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { activityItem } from '../../shared/adapters/dynamodb/activity-keys.ts';
import { LOCAL_CREDENTIALS } from '../../shared/adapters/local-credentials.ts';
import type { StoredActivity } from '../../shared/domain/activity/event.ts';
import { api, token, uniqueTenant } from './helpers.ts';

/** Entries past retention are hidden before the TTL sweep removes them (the emulator never does). */
const tenant = uniqueTenant('actttl');
const client = DynamoDBDocumentClient.from(
  new DynamoDBClient({
    region: 'eu-west-1',
    endpoint: inject('dynamoEndpoint'),
    credentials: LOCAL_CREDENTIALS,
  }),
  { marshallOptions: { removeUndefinedValues: true } },
);
const now = Date.now();
const entry = (id: string, minutesAgo: number): StoredActivity => ({
  id,
  tenantId: tenant,
  occurredAt: new Date(now - minutesAgo * 60_000).toISOString(),
  recordedAt: new Date(now).toISOString(),
  userId: 'u1',
  action: 'LoggedIn',
  completed: false,
});

beforeAll(async () => {
  const table = inject('tables').activity;
  const nowSeconds = Math.floor(now / 1000);
  // Written as the store writes them, one with its TTL already passed.
  await client.send(
    new PutCommand({ TableName: table, Item: activityItem(entry('kept', 5), 1, nowSeconds + 3600) }),
  );
  await client.send(
    new PutCommand({ TableName: table, Item: activityItem(entry('lapsed', 6), 1, nowSeconds - 60) }),
  );
  const stored = await client.send(new GetCommand({ TableName: table, Key: { pk: `${tenant}#lapsed` } }));
  expect(stored.Item).toBeDefined();
});

afterAll(() => client.destroy());

describe('activity retention', () => {
  it('never returns an entry whose TTL has passed, in any view', async () => {
    const owner = await token({ tenant, role: 'owner', sub: 'boss' });
    const company = await api('/v1/activity', { token: owner });
    expect(company.body.items.map((i: any) => i.id)).toEqual(['kept']);
    const byUser = await api('/v1/activity?userId=u1', { token: owner });
    expect(byUser.body.items.map((i: any) => i.id)).toEqual(['kept']);
    const mine = await api('/v1/me/activity', { token: await token({ tenant, role: 'learner', sub: 'u1' }) });
    expect(mine.body.items.map((i: any) => i.id)).toEqual(['kept']);
  });

  it('rejects ingesting an event older than the retention period', async () => {
    const service = await token({ role: 'service', sub: 'svc' });
    const res = await api('/v1/activity-events', {
      token: service,
      body: {
        events: [{ tenantId: tenant, occurredAt: '2010-01-01T00:00:00Z', userId: 'u1', action: 'LoggedIn' }],
      },
    });
    expect(res.status).toBe(400);
    expect(res.body.errors).toEqual([
      { path: 'events[0].occurredAt', message: 'is older than the retention period' },
    ]);
  });
});

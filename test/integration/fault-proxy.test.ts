import { DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { type FaultProxy, startFaultProxy } from '../../local/fault-proxy.ts';
import { LOCAL_CREDENTIALS } from '../../shared/adapters/local-credentials.ts';

/** The proxy the fault-injection suites put between our SDK clients and DynamoDB Local. */
let proxy: FaultProxy;
beforeAll(async () => {
  proxy = await startFaultProxy(inject('dynamoEndpoint'));
});
afterAll(() => proxy.close());

const client = () =>
  new DynamoDBClient({
    endpoint: proxy.endpoint,
    region: 'eu-west-1',
    credentials: LOCAL_CREDENTIALS,
    maxAttempts: 1,
  });

describe('the DynamoDB fault proxy', () => {
  it('passes calls through when no plan is set', async () => {
    proxy.setPlan(null);
    const out = await client().send(new ListTablesCommand({}));
    expect(out.TableNames).toContain(inject('tables').audit);
  });

  it('answers throttling the way DynamoDB does, so the SDK sees the real exception', async () => {
    proxy.setPlan({ rate: 1, kinds: ['throttle'], operations: ['ListTables'] });
    await expect(client().send(new ListTablesCommand({}))).rejects.toMatchObject({
      name: 'ProvisionedThroughputExceededException',
    });
    expect(proxy.stats.injected.throttle).toBeGreaterThan(0);
    proxy.setPlan(null);
  });

  it('fails about the planned share of calls, repeatably for a seed', async () => {
    const outcomes = async () => {
      proxy.setPlan({ rate: 0.3, kinds: ['error'], operations: ['ListTables'], seed: 42 });
      const results: boolean[] = [];
      for (let i = 0; i < 60; i++) {
        results.push(
          await client()
            .send(new ListTablesCommand({}))
            .then(() => true)
            .catch(() => false),
        );
      }
      return results;
    };
    const a = await outcomes();
    const b = await outcomes();
    expect(a).toEqual(b);
    const failed = a.filter((ok) => !ok).length;
    expect(failed).toBeGreaterThan(5);
    expect(failed).toBeLessThan(35);
    proxy.setPlan(null);
  });
});

import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, inject, it } from 'vitest';
import { DynamoExportStore, exportKey } from '../../shared/adapters/dynamodb/export-store.ts';
import { LOCAL_CREDENTIALS } from '../../shared/adapters/local-credentials.ts';
import type { ExportJob } from '../../shared/domain/exports/export-job.ts';
import { uniqueTenant } from './helpers.ts';

/**
 * The export quota on DynamoDB Local: concurrent claims never take more than `max` slots, every
 * terminal transition frees one (a sweeper's `failed` included), and slots left behind by a job
 * that ended without a release, or was never stored, are freed when the user next needs one.
 */
const doc = DynamoDBDocumentClient.from(
  new DynamoDBClient({
    endpoint: inject('dynamoEndpoint'),
    region: 'eu-west-1',
    credentials: LOCAL_CREDENTIALS,
  }),
);
const table = inject('tables').state;
const store = new DynamoExportStore(doc, { tableName: table });
let n = 0;
const jobOf = (tenantId: string, userId: string, createdAt = new Date().toISOString()): ExportJob => ({
  tenantId,
  id: `x${++n}`,
  log: 'audit',
  format: 'csv',
  variant: 'standard',
  filters: {},
  requester: { userId, role: 'admin', reporting: false },
  source: 'web',
  status: 'queued',
  createdAt,
});
const ttl = () => Math.floor(Date.now() / 1000) + 86_400;

describe('export slots (3 per user)', () => {
  it('lets exactly 3 of 10 concurrent claims through, per user', async () => {
    const tenant = uniqueTenant('quota');
    const jobs = Array.from({ length: 10 }, () => jobOf(tenant, 'u1'));
    const claimed = await Promise.all(jobs.map((j) => store.claimSlot(j, 3)));
    expect(claimed.filter(Boolean)).toHaveLength(3);
    // Another user of the tenant has slots of their own.
    expect(await store.claimSlot(jobOf(tenant, 'u2'), 3)).toBe(true);
  });

  it('frees a slot on every terminal transition: succeeded, failed, and a sweeper failing a stuck job', async () => {
    const tenant = uniqueTenant('quota');
    const jobs = [jobOf(tenant, 'u1'), jobOf(tenant, 'u1'), jobOf(tenant, 'u1')];
    for (const j of jobs) {
      expect(await store.claimSlot(j, 3)).toBe(true);
      await store.create(j, ttl());
    }
    const fourth = jobOf(tenant, 'u1');
    expect(await store.claimSlot(fourth, 3)).toBe(false);
    await store.transition(tenant, jobs[0]!.id, ['queued'], 'running', {});
    expect(await store.claimSlot(fourth, 3)).toBe(false);
    await store.transition(tenant, jobs[0]!.id, ['running'], 'succeeded', { rowCount: 1 });
    expect(await store.claimSlot(fourth, 3)).toBe(true);
    await store.create(fourth, ttl());
    expect(await store.claimSlot(jobOf(tenant, 'u1'), 3)).toBe(false);
    // A sweeper moves a stuck running job to failed through the same transition.
    await store.transition(tenant, jobs[1]!.id, ['queued'], 'running', {});
    await store.transition(tenant, jobs[1]!.id, ['queued', 'running'], 'failed', { error: 'stuck' });
    expect(await store.claimSlot(jobOf(tenant, 'u1'), 3)).toBe(true);
  });

  it('frees slots whose job ended without a release, or was never stored, when all are held', async () => {
    const tenant = uniqueTenant('quota');
    const ended = jobOf(tenant, 'u1');
    const lost = jobOf(tenant, 'u1', new Date(Date.now() - 10 * 60_000).toISOString());
    const live = jobOf(tenant, 'u1');
    for (const j of [ended, lost, live]) expect(await store.claimSlot(j, 3)).toBe(true);
    await store.create(ended, ttl());
    await store.create(live, ttl());
    // The job ends by a write that bypasses the store (no release), as a crash between the two would.
    await doc.send(
      new UpdateCommand({
        TableName: table,
        Key: exportKey(tenant, ended.id),
        UpdateExpression: 'SET #s = :s',
        ExpressionAttributeNames: { '#s': 'status' },
        ExpressionAttributeValues: { ':s': 'failed' },
      }),
    );
    expect(await store.claimSlot(jobOf(tenant, 'u1'), 3)).toBe(true);
    expect(await store.claimSlot(jobOf(tenant, 'u1'), 3)).toBe(true);
    // Now three live claims (live + two new, one of them unstored but recent): full.
    expect(await store.claimSlot(jobOf(tenant, 'u1'), 3)).toBe(false);
  });
});

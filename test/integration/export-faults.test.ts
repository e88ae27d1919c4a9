import { ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { type FaultProxy, startFaultProxy } from '../../local/fault-proxy.ts';
import { api, tokensFor, uniqueTenant } from './helpers.ts';
import { type PrivateStack, privateStackWithFaults } from './support/private-gateway.ts';

/**
 * An export whose storage fails: the private gateway reaches s3rver through a fault proxy that
 * answers 500 to every S3 call while the export runs. The job must end `failed`, with no
 * downloadUrl, and no file of it may be left in the bucket.
 */
const tenant = uniqueTenant('exf');
let stack: PrivateStack;
let s3Proxy: FaultProxy;
let tokens: Awaited<ReturnType<typeof tokensFor>>;
const bucket = new S3Client({
  region: 'eu-west-1',
  endpoint: inject('s3Endpoint'),
  forcePathStyle: true,
  credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
});

beforeAll(async () => {
  s3Proxy = await startFaultProxy(inject('s3Endpoint'));
  stack = await privateStackWithFaults({ S3_ENDPOINT: s3Proxy.endpoint });
  tokens = await tokensFor(tenant);
  const events = Array.from({ length: 20 }, (_, i) => ({
    id: `exf-${i}`,
    tenantId: tenant,
    occurredAt: new Date(Date.now() - 60_000 - i).toISOString(),
    actor: { type: 'user', id: 'u-1', name: 'Ada' },
    action: 'Created',
    object: { type: 'Team', id: `t-${i}`, name: `Team ${i}` },
    source: { kind: 'web' },
  }));
  const res = await api('/v1/audit-events', { base: stack.url, token: tokens.service, body: { events } });
  expect(res.status, res.text).toBe(200);
});
afterAll(async () => {
  await stack?.close();
  await s3Proxy?.close();
  bucket.destroy();
});

describe('an export whose storage fails', () => {
  it('ends failed, without a downloadUrl, and leaves no file in the bucket', async () => {
    // S3 requests carry no x-amz-target: the proxy sees them as operation ''.
    s3Proxy.setPlan({ rate: 1, kinds: ['error'], operations: [''] });
    const req = await api('/v1/exports', {
      base: stack.url,
      token: tokens.admin,
      body: { log: 'audit', format: 'csv', filters: {} },
    });
    expect(req.status, req.text).toBe(202);
    let job = req;
    for (let i = 0; i < 240; i++) {
      job = await api(`/v1/exports/${req.body.id}`, { base: stack.url, token: tokens.admin });
      if (job.body.status === 'failed' || job.body.status === 'succeeded') break;
      await new Promise((r) => setTimeout(r, 250));
    }
    s3Proxy.setPlan(null);
    console.log(
      JSON.stringify({
        suite: 'export-faults',
        s3Calls: s3Proxy.stats.calls,
        injected: s3Proxy.stats.injected,
        status: job.body.status,
      }),
    );
    expect(s3Proxy.stats.injected.error).toBeGreaterThan(0);
    expect(job.body.status, job.text).toBe('failed');
    expect(job.body.downloadUrl).toBeUndefined();
    expect(job.text).not.toMatch(/InternalError|Exception|s3rver|127\.0\.0\.1|stack/i);
    const listed = await bucket.send(new ListObjectsV2Command({ Bucket: inject('bucket') }));
    expect(
      (listed.Contents ?? []).filter((o) => o.Key?.includes(req.body.id) || o.Key?.includes(tenant)),
    ).toEqual([]);
  });
});

import { ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { FUNCTIONS } from '../../infra/functions.ts';
import { dynamoDocumentClient } from '../../shared/adapters/dynamodb/client.ts';
import { DynamoOpenExports } from '../../shared/adapters/dynamodb/export-store.ts';
import { runAs } from '../../shared/adapters/invocation.ts';
import { exportDeps } from '../../shared/composition/exports.ts';
import { loadConfig } from '../../shared/config.ts';
import { openLimitMs } from '../../shared/domain/exports/deadlines.ts';
import { type ExportOutcome, executeExport } from '../../shared/use-cases/exports/execute.ts';
import type { ExportFiles, ExportStore } from '../../shared/use-cases/exports/ports.ts';
import { createExportJob } from '../../shared/use-cases/exports/request.ts';
import { sweepStuckExports } from '../../shared/use-cases/exports/sweep.ts';
import { api, tokensFor, uniqueTenant } from './helpers.ts';

/**
 * A worker killed mid-export, against the real adapters (DynamoDB Local, s3rver). Lambda invokes
 * the worker asynchronously and retries a failed invocation `retryAttempts` times (the manifest's
 * setting, which the infra tests hold the stack to). A kill is a call that never returns: the
 * invocation stops right there, no catch or finally of ours runs (as when Lambda times out or the
 * process dies), and the harness counts it as a failed attempt. Afterwards the export sweeper runs
 * as it would on its next tick past the job's bound. Whatever the kill point, the job must end
 * `succeeded` or `failed` (never stuck), with at most one file, and a file key only on success.
 */
const tenant = uniqueTenant('stuck');
const RETRY_ATTEMPTS = FUNCTIONS['export-worker']!.asyncInvoke!.retryAttempts;
const config = loadConfig({
  ...process.env,
  STAGE: 'test',
  DYNAMODB_ENDPOINT: inject('dynamoEndpoint'),
  S3_ENDPOINT: inject('s3Endpoint'),
  SES_ENDPOINT: inject('sesEndpoint'),
  AUDIT_TABLE: inject('tables').audit,
  ACTIVITY_TABLE: inject('tables').activity,
  DIRECTORY_TABLE: inject('tables').directory,
  STATE_TABLE: inject('tables').state,
  EXPORTS_BUCKET: inject('bucket'),
  SIGNING_SECRET: 'stuck-exports-test-signing-secret',
});
const base = exportDeps(config);
const bucket = new S3Client({
  region: 'eu-west-1',
  endpoint: inject('s3Endpoint'),
  forcePathStyle: true,
  credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
});
let tokens: Awaited<ReturnType<typeof tokensFor>>;

beforeAll(async () => {
  tokens = await tokensFor(tenant);
  const events = Array.from({ length: 30 }, (_, i) => ({
    id: `stuck-${i}`,
    tenantId: tenant,
    occurredAt: new Date(Date.now() - 120_000 - i * 1000).toISOString(),
    actor: { type: 'user', id: 'u-1', name: 'Ada' },
    action: 'Created',
    object: { type: 'Team', id: `t-${i}`, name: `Team ${i}` },
    source: { kind: 'web' },
  }));
  const res = await api('/v1/audit-events', { token: tokens.service, body: { events } });
  expect(res.status, res.text).toBe(200);
});
afterAll(() => bucket.destroy());

type KillPoint =
  | 'before the claim'
  | 'after the claim'
  | 'mid-upload'
  | 'after the upload, before publishing'
  | 'after publishing';

/** A promise that never settles: the invocation is frozen there for good. */
const never = () => new Promise<never>(() => undefined);

/** The worker's dependencies for one attempt; `kill` names where that attempt dies. */
function attemptDeps(kill: KillPoint | null, onKilled: () => void) {
  const die = (): Promise<never> => {
    onKilled();
    return never();
  };
  const store: ExportStore = {
    create: (...a) => base.store.create(...a),
    claimSlot: (...a) => base.store.claimSlot(...a),
    get: async (...a) => (kill === 'before the claim' ? die() : base.store.get(...a)),
    transition: async (tenantId, id, from, to, changes) => {
      const done = await base.store.transition(tenantId, id, from, to, changes);
      if (kill === 'after the claim' && to === 'running') return die();
      if (kill === 'after publishing' && to === 'succeeded') return die();
      return done;
    },
  };
  const files: Pick<ExportFiles, 'upload'> = {
    upload: async (key, body, contentType, filename) => {
      if (kill === 'mid-upload') {
        // Some of the file is read, then the process is gone: the upload never completes.
        await body[Symbol.asyncIterator]().next();
        return die();
      }
      await base.files.upload(key, body, contentType, filename);
      if (kill === 'after the upload, before publishing') return die();
    },
  };
  return { ...base, store, files };
}

/** Lambda's asynchronous invocation: the first attempt is killed at `kill`, retries run clean. */
async function invokeAsync(ref: { tenantId: string; exportId: string }, kill: KillPoint) {
  const outcomes: Array<ExportOutcome | 'killed'> = [];
  for (let attempt = 0; attempt <= RETRY_ATTEMPTS; attempt++) {
    let killed!: () => void;
    const killedSignal = new Promise<'killed'>((resolve) => {
      killed = () => resolve('killed');
    });
    const outcome = await Promise.race([
      executeExport(attemptDeps(attempt === 0 ? kill : null, killed), ref),
      killedSignal,
    ]);
    outcomes.push(outcome);
    // The worker handler returns normally for every outcome: only a killed attempt is retried.
    if (outcome !== 'killed') break;
  }
  return outcomes;
}

async function filesOf(exportId: string): Promise<string[]> {
  const listed = await bucket.send(
    new ListObjectsV2Command({ Bucket: inject('bucket'), Prefix: `exports/${tenant}/` }),
  );
  return (listed.Contents ?? []).map((o) => o.Key!).filter((key) => key.includes(exportId));
}

/**
 * The sweeper as at its first tick after the job's bound, looking at this file's tenant only: its
 * use case on the adapters its handler builds, run as the export-sweeper function, so the IAM
 * test checks the reads and updates it makes against that function's policy.
 */
async function sweepLater() {
  const open = new DynamoOpenExports(dynamoDocumentClient(config), { tableName: config.STATE_TABLE });
  const later = new Date(Date.now() + openLimitMs('running') + 60_000);
  return runAs('export-sweeper', () =>
    sweepStuckExports({
      store: base.store,
      open: {
        listOpen: async (status, before, limit) =>
          (await open.listOpen(status, before, limit)).filter((r) => r.tenantId === tenant),
      },
      clock: { now: () => later },
    }),
  );
}

const cases: Array<{ kill: KillPoint; attempts: number; ends: 'succeeded' | 'failed' }> = [
  // Nothing was claimed: the retry runs the export.
  { kill: 'before the claim', attempts: 2, ends: 'succeeded' },
  // Claimed, then dead: the retry finds it running and starts nothing; the sweeper fails it.
  { kill: 'after the claim', attempts: 2, ends: 'failed' },
  { kill: 'mid-upload', attempts: 2, ends: 'failed' },
  { kill: 'after the upload, before publishing', attempts: 2, ends: 'failed' },
  // Published, then dead: the retry finds it finished and writes nothing more.
  { kill: 'after publishing', attempts: 2, ends: 'succeeded' },
];

describe('a worker killed mid-export', () => {
  it('is retried at most once (the manifest says so, and the harness follows it)', () => {
    expect(RETRY_ATTEMPTS).toBe(1);
  });

  for (const { kill, attempts, ends } of cases) {
    it(`killed ${kill}: ${attempts} attempts, ends ${ends}, never stuck, never two files`, async () => {
      const requester = { userId: 'u-admin', role: 'admin' as const, reporting: false };
      const job = await createExportJob(base, tenant, requester, {
        log: 'audit',
        format: 'csv',
        filters: {},
      });
      const outcomes = await invokeAsync({ tenantId: tenant, exportId: job.id }, kill);
      expect(outcomes.length).toBe(attempts);
      expect(outcomes.length).toBeLessThanOrEqual(1 + RETRY_ATTEMPTS);
      expect(outcomes[0]).toBe('killed');
      // A retry never runs a job another attempt has claimed or finished.
      if (kill !== 'before the claim') expect(outcomes[1]).toMatchObject({ status: 'skipped' });

      const swept = await sweepLater();
      const stored = await base.store.get(tenant, job.id);
      expect(stored?.status).toBe(ends);
      expect(swept.failed.map((f) => f.id).includes(job.id)).toBe(ends === 'failed');

      const files = await filesOf(job.id);
      expect(files.length).toBeLessThanOrEqual(1);
      if (ends === 'succeeded') {
        expect(files).toEqual([stored?.fileKey]);
      } else {
        // Published only on success: a failed job names no file, whatever the bucket holds.
        expect(stored?.fileKey).toBeUndefined();
        expect(stored?.error).toMatch(/did not finish in time/);
      }

      // What a caller polling the API sees.
      const view = await api(`/v1/exports/${job.id}`, { token: tokens.admin });
      expect(view.status, view.text).toBe(200);
      expect(view.body.status).toBe(ends);
      expect(Boolean(view.body.downloadUrl)).toBe(ends === 'succeeded');
    });
  }

  it('the export-sweeper handler runs against the stack and leaves fresh jobs alone', async () => {
    const requester = { userId: 'u-admin', role: 'admin' as const, reporting: false };
    const job = await createExportJob(base, tenant, requester, { log: 'audit', format: 'csv', filters: {} });
    Object.assign(process.env, {
      DYNAMODB_ENDPOINT: config.DYNAMODB_ENDPOINT,
      STATE_TABLE: config.STATE_TABLE,
    });
    const { resetConfig } = await import('../../shared/config.ts');
    resetConfig();
    const { handler } = await import('../../functions/export-sweeper/handler.ts');
    const out = await runAs('export-sweeper', () => handler({ time: new Date().toISOString() }));
    expect(out).toMatchObject({ failed: expect.any(Number), skipped: expect.any(Number) });
    expect((await base.store.get(tenant, job.id))?.status).toBe('queued');
  });
});

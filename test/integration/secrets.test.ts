import { GetObjectCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { logger } from '../../shared/observability.ts';
import { api, tokensFor, uniqueTenant } from './helpers.ts';
import { type PrivateStack, privateStackWithFaults } from './support/private-gateway.ts';
import { rawDynamo, scanAll } from './support/raw-dynamo.ts';

/**
 * Nothing leaks: events carrying known secret values (in details at every depth, in changes, in
 * a request URL) are ingested through a private gateway whose handlers log at DEBUG into a
 * captured stdout/stderr, with DynamoDB faults injected so the error paths log too. Then the
 * emulators' raw data (every audit item of the tenant, every object in the exports bucket), the
 * API's answers, the exported files and the captured logs are searched for the plaintext.
 * Also CSV formula injection: cells that start with = + - @ come out prefixed with '.
 */
const tenant = uniqueTenant('sec');
const SECRETS = Array.from({ length: 9 }, (_, i) => `PLAIN-${i}-${tenant}-s3cr3t`);
const [s0, s1, s2, s3, s4, s5, s6, s7, s8] = SECRETS as [string, ...string[]];
let stack: PrivateStack;
let tokens: Awaited<ReturnType<typeof tokensFor>>;
const raw = rawDynamo();
const bucketClient = new S3Client({
  region: 'eu-west-1',
  endpoint: inject('s3Endpoint'),
  forcePathStyle: true,
  credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
});
const captured: string[] = [];
const CONSOLE_METHODS = ['log', 'info', 'warn', 'error', 'debug', 'trace'] as const;
const consoleOriginals = new Map<(typeof CONSOLE_METHODS)[number], (...args: unknown[]) => void>();
const originals = {
  out: process.stdout.write.bind(process.stdout),
  err: process.stderr.write.bind(process.stderr),
};

const event = (id: string, extra: Record<string, unknown>) => ({
  id,
  tenantId: tenant,
  occurredAt: new Date(Date.now() - 60_000).toISOString(),
  actor: { type: 'user', id: 'u-adam', name: 'Adam Admin' },
  action: 'Updated',
  object: { type: 'Integration', id: 'int-1', name: 'SSO' },
  source: { kind: 'api', name: 'platform' },
  ...extra,
});
const EVENTS = [
  event('sec-1', {
    details: {
      password: s0,
      nested: { clientSecret: s1, deeper: { 'x-api-key': s2 } },
      list: [{ accessToken: s3 }, { ok: 'visible' }],
      private_key: s4,
      Authorization: `Bearer ${s5}`,
    },
  }),
  event('sec-2', {
    changes: [
      { field: 'password', before: s6, after: s7 },
      { field: 'settings', after: { apiKey: s8, colour: 'blue' } },
    ],
    request: { method: 'POST', url: `/api/v1/sso?access_token=${s0}&page=2`, status: 200 },
  }),
  // Formula injection candidates for the CSV.
  event('sec-3', { object: { type: 'Item', id: 'i-1', name: '=HYPERLINK("http://evil.example","x")' } }),
  event('sec-4', {
    actor: { type: 'user', id: 'u-plus', name: '+cmd|calc' },
    subject: { id: 's', name: '@SUM(A1)' },
  }),
  event('sec-5', { object: { type: 'Item', id: 'i-2', name: '-2+3' } }),
];

beforeAll(async () => {
  stack = await privateStackWithFaults();
  tokens = await tokensFor(tenant);
  logger.setLogLevel('DEBUG');
  const tap =
    (original: typeof process.stdout.write) =>
    (chunk: unknown, ...rest: unknown[]): boolean => {
      captured.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk as Uint8Array).toString('utf8'));
      return (original as (c: unknown, ...r: unknown[]) => boolean)(chunk, ...rest);
    };
  process.stdout.write = tap(originals.out) as typeof process.stdout.write;
  process.stderr.write = tap(originals.err) as typeof process.stderr.write;
  // Powertools writes through console in this runner; vitest's console is captured too.
  for (const method of CONSOLE_METHODS) {
    const original = console[method].bind(console);
    consoleOriginals.set(method, original);
    console[method] = (...args: unknown[]) => {
      captured.push(`${args.map((a) => (typeof a === 'string' ? a : JSON.stringify(a))).join(' ')}\n`);
      original(...args);
    };
  }
});
afterAll(async () => {
  process.stdout.write = originals.out;
  process.stderr.write = originals.err;
  for (const [method, original] of consoleOriginals) console[method] = original;
  await stack?.close();
  raw.destroy();
  bucketClient.destroy();
});

const leaks = (text: string) => SECRETS.filter((s) => text.includes(s));

async function exportFile(format: 'csv' | 'json'): Promise<{ id: string; text: string }> {
  const req = await api('/v1/exports', {
    base: stack.url,
    token: tokens.admin,
    body: { log: 'audit', format, filters: {} },
  });
  expect(req.status, req.text).toBe(202);
  for (let i = 0; i < 120; i++) {
    const job = await api(`/v1/exports/${req.body.id}`, { base: stack.url, token: tokens.admin });
    expect(job.body.status, job.text).not.toBe('failed');
    if (job.body.status === 'succeeded') {
      const path = new URL(job.body.downloadUrl).pathname;
      const redirect = await api(path, { base: stack.url });
      expect(redirect.status).toBe(302);
      const file = await fetch(redirect.headers.get('location')!);
      return { id: req.body.id, text: await file.text() };
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error('export did not finish');
}

describe('secrets never reach storage, answers, exports or logs', () => {
  it('ingests through faults, retrying whole batches as clients do', async () => {
    // First every write fails (the handler logs the dependency failure, with the SDK error),
    // then half of them do, as throttling, errors and lost responses.
    stack.proxy.setPlan({ rate: 1, kinds: ['error'], operations: ['PutItem'] });
    const failed = await api('/v1/audit-events', {
      base: stack.url,
      token: tokens.service,
      body: { events: EVENTS },
    });
    expect(failed.status).toBe(503);
    stack.proxy.setPlan({
      rate: 0.5,
      kinds: ['error', 'throttle', 'lost'],
      seed: 7,
      operations: ['PutItem'],
    });
    let res = await api('/v1/audit-events', {
      base: stack.url,
      token: tokens.service,
      body: { events: EVENTS },
    });
    for (let attempt = 0; attempt < 30 && res.status !== 200; attempt++) {
      expect(leaks(res.text)).toEqual([]);
      res = await api('/v1/audit-events', {
        base: stack.url,
        token: tokens.service,
        body: { events: EVENTS },
      });
    }
    stack.proxy.setPlan(null);
    expect(res.status, res.text).toBe(200);
    expect(Object.values(stack.proxy.stats.injected).reduce((a, b) => a + b, 0)).toBeGreaterThan(0);
  });

  it('stores [REDACTED] in place of every secret (DynamoDB Local scanned raw)', async () => {
    const items = await scanAll(raw, inject('tables').audit, `${tenant}#`);
    expect(items.length).toBeGreaterThanOrEqual(EVENTS.length);
    const dump = JSON.stringify(items);
    expect(leaks(dump)).toEqual([]);
    expect(dump).toContain('[REDACTED]');
    expect(dump).toContain('visible');
  });

  it('answers reads with [REDACTED] and keys kept', async () => {
    const one = await api('/v1/audit-events/sec-1', { base: stack.url, token: tokens.admin });
    expect(one.status).toBe(200);
    expect(one.body.details).toMatchObject({
      password: '[REDACTED]',
      nested: { clientSecret: '[REDACTED]', deeper: { 'x-api-key': '[REDACTED]' } },
      list: [{ accessToken: '[REDACTED]' }, { ok: 'visible' }],
    });
    const two = await api('/v1/audit-events/sec-2', { base: stack.url, token: tokens.admin });
    expect(leaks(one.text + two.text)).toEqual([]);
    const list = await api('/v1/audit-events', { base: stack.url, token: tokens.admin });
    expect(leaks(list.text)).toEqual([]);
  });

  it('exports no secret, and neutralises spreadsheet formulas in CSV cells', async () => {
    const csv = await exportFile('csv');
    const json = await exportFile('json');
    expect(leaks(csv.text + json.text)).toEqual([]);
    const rows = parse(csv.text, { columns: true }) as Record<string, string>[];
    const cells = rows.flatMap((r) => Object.values(r));
    for (const dangerous of ['=HYPERLINK', '+cmd', '@SUM', '-2+3']) {
      const hits = cells.filter((c) => c.includes(dangerous));
      expect(hits.length, dangerous).toBeGreaterThan(0);
      for (const c of hits) expect(/^[=+\-@\t\r]/.test(c), `${dangerous}: ${c}`).toBe(false);
    }
    // Every object in the exports bucket, not only ours.
    let token: string | undefined;
    let objects = 0;
    do {
      const page = await bucketClient.send(
        new ListObjectsV2Command({ Bucket: inject('bucket'), ContinuationToken: token }),
      );
      for (const o of page.Contents ?? []) {
        const body = await bucketClient.send(new GetObjectCommand({ Bucket: inject('bucket'), Key: o.Key! }));
        expect(leaks(await body.Body!.transformToString()), o.Key).toEqual([]);
        objects++;
      }
      token = page.NextContinuationToken;
    } while (token);
    expect(objects).toBeGreaterThanOrEqual(2);
  });

  it('logs no secret, at DEBUG, through failures and retries', () => {
    const logs = captured.join('');
    consoleOriginals.get('log')!(
      JSON.stringify({
        suite: 'secrets',
        secrets: SECRETS.length,
        logBytes: logs.length,
        faultsInjected: stack.proxy.stats.injected,
        leaks: leaks(logs).length,
      }),
    );
    // The capture works: the handlers' failure logs are in it.
    expect(logs).toMatch(/dependency failure|timed out|unhandled/);
    expect(leaks(logs)).toEqual([]);
  });
});

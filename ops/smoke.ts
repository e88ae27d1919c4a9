import { createHash, createHmac } from 'node:crypto';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { fromIni } from '@aws-sdk/credential-provider-ini';
import { SignatureV4 } from '@smithy/signature-v4';

/**
 * `npm run smoke -- --url <api> --token <admin jwt> [--write] [--service-profile <aws profile>]`
 *
 * A short round trip through a deployed stage (or the local stack): health, the OpenAPI
 * document, one page of the audit log and of the activity log, and one tiny export (the last
 * minute of the audit log, NDJSON) through to its download. The export is recorded in the
 * tenant's audit log like any other. `--write` also ingests one audit event and reads it back:
 * signed with SigV4 using `--service-profile` (AWS), or sent with `--service-token` (the local
 * stack, where a service-role bearer token stands in for SigV4). Prints one line per step and
 * exits non-zero when any step fails.
 */
export interface SmokeOptions {
  url: string;
  token: string;
  write?: boolean;
  serviceProfile?: string;
  serviceToken?: string;
  region?: string;
  /** How long the export may take to finish (default 120 s). */
  exportTimeoutMs?: number;
}

export interface StepResult {
  step: string;
  ok: boolean;
  detail: string;
}

class StepFailed extends Error {}

/** The fields of the answers the steps read. */
interface Answer {
  status?: string;
  openapi?: string;
  paths?: Record<string, unknown>;
  items?: unknown[];
  id?: string;
  downloadUrl?: string;
  rowCount?: number;
  error?: string;
  results?: Array<{ status?: string }>;
}

const fail = (message: string): never => {
  throw new StepFailed(message);
};

async function call(
  url: string,
  init: RequestInit & { headers?: Record<string, string> } = {},
): Promise<{ status: number; body: Answer; text: string; headers: Headers }> {
  const res = await fetch(url, { redirect: 'manual', ...init });
  const text = await res.text();
  let body: Answer = {};
  try {
    const parsed: unknown = text ? JSON.parse(text) : {};
    if (parsed && typeof parsed === 'object') body = parsed as Answer;
  } catch {
    /* not JSON */
  }
  return { status: res.status, body, text, headers: res.headers };
}

function expectStatus(res: { status: number; text: string }, status: number): void {
  if (res.status !== status) fail(`answered ${res.status}, expected ${status}: ${res.text.slice(0, 200)}`);
}

/** The token's claims, read (not verified) to name the tenant of the optional write. */
function claimsOf(token: string): Record<string, unknown> {
  const payload = token.split('.')[1];
  if (!payload) return {};
  try {
    return JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
  } catch {
    return {};
  }
}

/** SHA-256 (and HMAC-SHA-256 with a secret) for the SigV4 signer, from node:crypto. */
class NodeSha256 {
  private readonly hash;
  constructor(secret?: string | ArrayBuffer | ArrayBufferView) {
    this.hash = secret
      ? createHmac('sha256', typeof secret === 'string' ? secret : Buffer.from(secret as ArrayBuffer))
      : createHash('sha256');
  }
  update(data: string | ArrayBuffer | ArrayBufferView): void {
    this.hash.update(typeof data === 'string' ? data : Buffer.from(data as ArrayBuffer));
  }
  async digest(): Promise<Uint8Array> {
    return new Uint8Array(this.hash.digest());
  }
}

/** Headers of a request signed with SigV4 for `execute-api` (a service route). */
export async function signedHeaders(
  url: URL,
  method: string,
  body: string,
  region: string,
  credentials: ConstructorParameters<typeof SignatureV4>[0]['credentials'],
): Promise<Record<string, string>> {
  const signer = new SignatureV4({ service: 'execute-api', region, credentials, sha256: NodeSha256 });
  const signed = await signer.sign({
    method,
    protocol: url.protocol,
    hostname: url.hostname,
    ...(url.port ? { port: Number(url.port) } : {}),
    path: url.pathname,
    query: {},
    headers: { host: url.host, 'content-type': 'application/json' },
    body,
  });
  return signed.headers as Record<string, string>;
}

/** `https://abc.execute-api.eu-west-1.amazonaws.com` → `eu-west-1` */
function regionOf(url: string): string | undefined {
  return /\.execute-api\.([a-z0-9-]+)\.amazonaws\.com/.exec(url)?.[1];
}

export async function runSmoke(
  options: SmokeOptions,
  print: (line: string) => void = console.log,
): Promise<StepResult[]> {
  const base = options.url.replace(/\/+$/, '');
  const auth = { authorization: `Bearer ${options.token}` };
  const results: StepResult[] = [];
  const step = async (name: string, run: () => Promise<string>): Promise<boolean> => {
    try {
      const detail = await run();
      results.push({ step: name, ok: true, detail });
      print(`ok    ${name.padEnd(16)} ${detail}`);
      return true;
    } catch (err) {
      const detail = err instanceof StepFailed ? err.message : `error: ${(err as Error).message}`;
      results.push({ step: name, ok: false, detail });
      print(`FAIL  ${name.padEnd(16)} ${detail}`);
      return false;
    }
  };

  await step('health', async () => {
    const res = await call(`${base}/health`);
    expectStatus(res, 200);
    if (res.body?.status !== 'ok') fail(`status is ${JSON.stringify(res.body?.status)}`);
    return 'GET /health 200 {"status":"ok"}';
  });

  await step('openapi', async () => {
    const res = await call(`${base}/v1/openapi.json`);
    expectStatus(res, 200);
    const paths = Object.keys(res.body?.paths ?? {});
    if (!String(res.body?.openapi).startsWith('3.1') || paths.length === 0)
      fail('not an OpenAPI 3.1 document');
    return `GET /v1/openapi.json 200, OpenAPI ${res.body.openapi}, ${paths.length} paths`;
  });

  await step('audit list', async () => {
    const res = await call(`${base}/v1/audit-events?limit=1`, { headers: auth });
    expectStatus(res, 200);
    const items = res.body.items ?? fail('no items array');
    return `GET /v1/audit-events?limit=1 200, ${items.length} item(s)`;
  });

  await step('activity list', async () => {
    const res = await call(`${base}/v1/activity?limit=1`, { headers: auth });
    expectStatus(res, 200);
    const items = res.body.items ?? fail('no items array');
    return `GET /v1/activity?limit=1 200, ${items.length} item(s)`;
  });

  let downloadUrl: string | undefined;
  const exported = await step('export', async () => {
    const now = Date.now();
    const res = await call(`${base}/v1/exports`, {
      method: 'POST',
      headers: { ...auth, 'content-type': 'application/json' },
      body: JSON.stringify({
        log: 'audit',
        format: 'json',
        filters: { from: new Date(now - 60_000).toISOString(), to: new Date(now).toISOString() },
      }),
    });
    expectStatus(res, 202);
    const id = String(res.body?.id);
    const deadline = Date.now() + (options.exportTimeoutMs ?? 120_000);
    for (;;) {
      const job = await call(`${base}/v1/exports/${encodeURIComponent(id)}`, { headers: auth });
      expectStatus(job, 200);
      if (job.body.status === 'succeeded') {
        downloadUrl = job.body.downloadUrl;
        return `export ${id} succeeded, ${job.body.rowCount} row(s)`;
      }
      if (job.body.status === 'failed') fail(`export ${id} failed: ${job.body.error}`);
      if (Date.now() > deadline) fail(`export ${id} still ${job.body.status}`);
      await new Promise((r) => setTimeout(r, 1000));
    }
  });

  if (exported) {
    await step('download', async () => {
      if (!downloadUrl) return fail('the export has no downloadUrl');
      const link = await call(downloadUrl);
      expectStatus(link, 302);
      const location = link.headers.get('location');
      if (!location) return fail('no Location header');
      const file = await call(location);
      expectStatus(file, 200);
      return `GET ${new URL(downloadUrl).pathname.replace(/[^/]+$/, '…')} 302 → file 200, ${Buffer.byteLength(file.text)} bytes`;
    });
  } else {
    results.push({ step: 'download', ok: false, detail: 'skipped: no export' });
    print(`FAIL  ${'download'.padEnd(16)} skipped: no export`);
  }

  if (options.write) {
    const tenantId = String(claimsOf(options.token).tenant_id ?? '');
    const id = `smoke-${Date.now()}`;
    const wrote = await step('audit ingest', async () => {
      if (!tenantId) fail('the token names no tenant_id');
      const url = new URL(`${base}/v1/audit-events`);
      const body = JSON.stringify({
        events: [
          {
            id,
            tenantId,
            occurredAt: new Date().toISOString(),
            actor: { type: 'system', name: 'Logbook smoke test' },
            action: 'Created',
            object: { type: 'Integration', id: 'logbook-smoke', name: 'Logbook smoke test' },
            source: { kind: 'system', name: 'smoke' },
          },
        ],
      });
      let headers: Record<string, string>;
      if (options.serviceProfile) {
        const region = options.region ?? regionOf(base) ?? fail('--region is needed for this URL');
        headers = await signedHeaders(
          url,
          'POST',
          body,
          region,
          fromIni({ profile: options.serviceProfile }),
        );
      } else if (options.serviceToken) {
        headers = { authorization: `Bearer ${options.serviceToken}`, 'content-type': 'application/json' };
      } else {
        return fail('--write needs --service-profile (AWS) or --service-token (local)');
      }
      const res = await call(url.href, { method: 'POST', headers, body });
      expectStatus(res, 200);
      return `POST /v1/audit-events 200, ${res.body?.results?.[0]?.status}`;
    });
    if (wrote) {
      await step('audit read-back', async () => {
        const res = await call(`${base}/v1/audit-events/${id}`, { headers: auth });
        expectStatus(res, 200);
        return `GET /v1/audit-events/${id} 200`;
      });
    }
  }

  const failed = results.filter((r) => !r.ok).length;
  print(
    failed === 0
      ? `smoke: all ${results.length} steps passed`
      : `smoke: ${failed} of ${results.length} steps failed`,
  );
  return results;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      url: { type: 'string' },
      token: { type: 'string' },
      write: { type: 'boolean', default: false },
      'service-profile': { type: 'string' },
      'service-token': { type: 'string' },
      region: { type: 'string' },
    },
  });
  if (!values.url || !values.token) {
    console.error(
      'usage: npm run smoke -- --url <api> --token <admin jwt> [--write] [--service-profile <aws profile>] [--region <region>]',
    );
    process.exit(2);
  }
  const results = await runSmoke({
    url: values.url,
    token: values.token,
    write: values.write,
    ...(values['service-profile'] ? { serviceProfile: values['service-profile'] } : {}),
    ...(values['service-token'] ? { serviceToken: values['service-token'] } : {}),
    ...(values.region ? { region: values.region } : {}),
  });
  process.exit(results.every((r) => r.ok) ? 0 : 1);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await main();

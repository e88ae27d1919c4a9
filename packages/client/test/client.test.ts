import { readFileSync } from 'node:fs';
import openapiTS, { astToString } from 'openapi-typescript';
import { describe, expect, it } from 'vitest';
import { buildDocument } from '../../../functions/openapi/document.ts';
import { createLogbookClient, retryAfterMs, retryingFetch } from '../src/index.ts';

const json = (status: number, body: unknown, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify(body), {
    status,
    headers: { 'content-type': status >= 400 ? 'application/problem+json' : 'application/json', ...headers },
  });

/** A fake server: answers each request with the next scripted response, recording the requests. */
function scripted(...responses: Response[]) {
  const seen: Request[] = [];
  const fetch = async (input: string | URL | Request, init?: RequestInit) => {
    seen.push(new Request(input, init));
    const next = responses.shift();
    if (!next) throw new Error('no scripted response left');
    return next;
  };
  return { fetch: fetch as typeof globalThis.fetch, seen };
}

describe('the Logbook client', () => {
  it('iterates every page of a list with for await, following nextCursor', async () => {
    const { fetch, seen } = scripted(
      json(200, { items: [{ id: 'a' }, { id: 'b' }], nextCursor: 'c1' }),
      json(200, { items: [], nextCursor: 'c2' }),
      json(200, { items: [{ id: 'c' }], nextCursor: null }),
    );
    const client = createLogbookClient({ baseUrl: 'http://api', token: 'tok', fetch });
    const ids: string[] = [];
    for await (const e of client.auditEvents.list({ action: ['Created', 'Deleted'], system: true }))
      ids.push(e.id);
    expect(ids).toEqual(['a', 'b', 'c']);
    const urls = seen.map((r) => new URL(r.url));
    expect(urls[0]?.searchParams.getAll('action')).toEqual(['Created', 'Deleted']);
    expect(urls[0]?.searchParams.get('system')).toBe('true');
    expect(urls[1]?.searchParams.get('cursor')).toBe('c1');
    expect(urls[2]?.searchParams.get('cursor')).toBe('c2');
    expect(seen[0]?.headers.get('authorization')).toBe('Bearer tok');
  });

  it('reads sealed hours, their keys and an entry proof on the integrity routes', async () => {
    const { fetch, seen } = scripted(
      json(200, { items: [{ id: 'dg-1' }], nextCursor: 'c1' }),
      json(200, { items: [{ id: 'dg-2' }], nextCursor: null }),
      json(200, { keys: [{ kid: 'k1', kty: 'EC', crv: 'P-256', x: 'x', y: 'y' }] }),
      json(200, { entryHash: 'h', digestId: 'dg-1', leafIndex: 0, treeSize: 1, path: [] }),
      json(200, { digestId: 'dg-1', start: 0, items: [{ id: 'a', hash: 'h' }], nextCursor: 'l1' }),
      json(200, { digestId: 'dg-1', start: 1000, items: [{ id: 'b', hash: 'h' }], nextCursor: null }),
    );
    const client = createLogbookClient({ baseUrl: 'http://api', token: 'tok', fetch });
    const ids: string[] = [];
    for await (const d of client.auditDigests.list({ from: '2026-12-01T00:00:00Z', limit: 1 }))
      ids.push(d.id);
    expect(ids).toEqual(['dg-1', 'dg-2']);
    expect((await client.auditDigests.keys()).keys[0]?.kid).toBe('k1');
    expect((await client.auditDigests.proof('ev 1')).digestId).toBe('dg-1');
    const leaves: string[] = [];
    for await (const l of client.auditDigests.leaves('dg-1')) leaves.push(l.id);
    expect(leaves).toEqual(['a', 'b']);
    const urls = seen.map((r) => new URL(r.url));
    expect(urls.map((u) => u.pathname)).toEqual([
      '/v1/audit-digests',
      '/v1/audit-digests',
      '/v1/audit-digests/keys',
      '/v1/audit-events/ev%201/proof',
      '/v1/audit-digests/dg-1/leaves',
      '/v1/audit-digests/dg-1/leaves',
    ]);
    expect(urls[5]?.searchParams.get('cursor')).toBe('l1');
    expect(urls[0]?.searchParams.get('from')).toBe('2026-12-01T00:00:00Z');
    expect(urls[1]?.searchParams.get('cursor')).toBe('c1');
  });

  it('retries 429 and 503 after the Retry-After the server gave, resending the body', async () => {
    const { fetch, seen } = scripted(
      json(429, { status: 429 }, { 'retry-after': '2' }),
      json(503, { status: 503 }, { 'retry-after': '1' }),
      json(202, { id: 'x1', status: 'queued' }),
    );
    const waits: number[] = [];
    const client = createLogbookClient({
      baseUrl: 'http://api',
      fetch,
      sleep: async (ms) => void waits.push(ms),
    });
    const out = await client.exports.create({
      log: 'audit',
      format: 'csv',
      filters: { action: ['Deleted'] },
    });
    expect(out).toEqual({ id: 'x1', status: 'queued' });
    expect(waits).toEqual([2000, 1000]);
    expect(await Promise.all(seen.map((r) => r.json()))).toEqual(
      Array(3).fill({ log: 'audit', format: 'csv', filters: { action: ['Deleted'] } }),
    );
  });

  it('gives up after its retries, and never waits longer than allowed', async () => {
    const busy = () => json(503, { status: 503, title: 'Service Unavailable', detail: 'busy' });
    const waits: number[] = [];
    const wrapped = retryingFetch({
      baseUrl: '',
      retries: 2,
      retryBaseMs: 100,
      fetch: scripted(busy(), busy(), busy()).fetch,
      sleep: async (ms) => void waits.push(ms),
    });
    expect((await wrapped('http://api/x')).status).toBe(503);
    expect(waits).toEqual([100, 200]);
    const long = scripted(json(429, {}, { 'retry-after': '120' })).fetch;
    expect(
      (await retryingFetch({ baseUrl: '', fetch: long, sleep: async () => {} })('http://api/x')).status,
    ).toBe(429);
    expect(retryAfterMs('Wed, 02 Dec 2026 10:00:05 GMT', Date.parse('2026-12-02T10:00:00Z'))).toBe(5000);
  });

  it('throws the problem document of an error', async () => {
    const problem = {
      type: 'urn:logbook:problem:400',
      title: 'Bad Request',
      status: 400,
      detail: 'x',
      errors: [],
    };
    const client = createLogbookClient({ baseUrl: 'http://api', fetch: scripted(json(400, problem)).fetch });
    await expect(client.auditEvents.page()).rejects.toMatchObject({ status: 400, problem });
  });

  it('runs an export: requests it, waits for it, downloads the file', async () => {
    const file = new Response('\uFEFFHappened at,Actor\r\n', {
      headers: {
        'content-type': 'text/csv',
        'content-disposition': 'attachment; filename="audit-log_2026-12-02.csv"',
      },
    });
    const { fetch, seen } = scripted(
      json(202, { id: 'e1', status: 'queued' }),
      json(200, { id: 'e1', status: 'running' }),
      json(200, { id: 'e1', status: 'succeeded', downloadUrl: 'http://api/v1/downloads/tok1' }),
      file,
    );
    const polls: number[] = [];
    const client = createLogbookClient({
      baseUrl: 'http://api',
      fetch,
      sleep: async (ms) => void polls.push(ms),
    });
    const out = await client.exports.run({ log: 'audit', format: 'csv' }, { pollMs: 250 });
    expect(out.filename).toBe('audit-log_2026-12-02.csv');
    expect(out.text()).toBe('Happened at,Actor\r\n');
    expect(out.export.status).toBe('succeeded');
    expect(polls).toEqual([250]);
    expect(seen.at(-1)?.url).toBe('http://api/v1/downloads/tok1');
  });

  it('ships types generated from the current OpenAPI document', async () => {
    const committed = readFileSync(new URL('../src/schema.ts', import.meta.url), 'utf8');
    const fresh = astToString(
      await openapiTS(JSON.parse(JSON.stringify(buildDocument())), { defaultNonNullable: false }),
    );
    const body = (s: string) => s.slice(s.indexOf('export interface paths'));
    expect(body(committed), 'run `npm run generate -w packages/client`').toBe(body(fresh));
  }, 60_000);
});

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { CreateBucketCommand, GetObjectCommand, HeadObjectCommand } from '@aws-sdk/client-s3';
import { parse } from 'csv-parse';
import S3rver from 's3rver';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../../../local/ports.ts';
import { s3Client } from '../../../shared/adapters/s3/client.ts';
import { S3ExportFiles } from '../../../shared/adapters/s3/export-files.ts';
import { loadConfig } from '../../../shared/config.ts';
import type { ActivityEntryLike } from '../../../shared/domain/exports/entries.ts';
import { executeExport } from '../../../shared/use-cases/exports/execute.ts';
import type { EntrySources } from '../../../shared/use-cases/exports/ports.ts';
import { requestExport } from '../../../shared/use-cases/exports/request.ts';
import { activityEntry, caller, FakeDirectory, makeDeps } from './fakes.ts';

/**
 * The real worker pipeline (entries → directory columns → csv-stringify → lib-storage multipart
 * Upload) into s3rver, with 50,000 rows generated on the fly. Prints peak memory; asserts the
 * file is whole, never a time.
 */
/** `EXPORT_ROWS=200000 npx vitest run test/unit/exports/large-export.test.ts` to see memory stay flat. */
const ROWS = Number(process.env.EXPORT_ROWS ?? 50_000);
let server: S3rver;
let dir: string;
let config: ReturnType<typeof loadConfig>;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'logbook-export-s3-'));
  const port = await freePort();
  server = new S3rver({ port, address: '127.0.0.1', directory: dir, silent: true });
  await server.run();
  config = loadConfig({
    S3_ENDPOINT: `http://127.0.0.1:${port}`,
    EXPORTS_BUCKET: 'exports-large',
    STAGE: 'test',
  });
  await s3Client(config).send(new CreateBucketCommand({ Bucket: config.EXPORTS_BUCKET }));
});

afterAll(async () => {
  await server?.close();
  rmSync(dir, { recursive: true, force: true });
});

function syntheticSources(n: number): Pick<EntrySources, 'activity' | 'audit' | 'validateFilters'> {
  return {
    validateFilters: async () => undefined,
    async *activity() {
      for (let i = 0; i < n; i++) {
        yield activityEntry(i, {
          user: { id: `u${i % 2000}`, name: `User ${i % 2000}` },
          result: { outcome: i % 3 ? 'passed' : 'failed', scorePercent: i % 100, durationSeconds: i % 5000 },
          content: {
            type: 'Quiz',
            id: `q${i % 500}`,
            title: i % 97 === 0 ? `=Quiz, "tricky"\n${i}` : `Quiz ${i % 500} — Sécurité`,
            tags: ['safety', 'compliance'],
          },
        } satisfies Partial<ActivityEntryLike>);
      }
    },
    async *audit() {},
  };
}

describe('a 50,000-row export through the real pipeline into s3rver', () => {
  it('streams a whole multipart CSV with flat memory', async () => {
    const deps = makeDeps();
    const directory = new FakeDirectory();
    for (let u = 0; u < 2000; u++)
      directory.users.set(`u${u}`, {
        id: `u${u}`,
        firstName: `First${u}`,
        lastName: `Last${u}`,
        email: `u${u}@example.com`,
        role: 'learner',
        status: u % 10 ? 'active' : 'deactivated',
        primaryTeamId: `team${u % 20}`,
        customFields: { Region: `R${u % 5}` },
      });
    for (let t = 0; t < 20; t++) directory.teams.set(`team${t}`, `Team ${t}`);
    const client = s3Client(config);
    const live = {
      ...deps,
      directory,
      sources: syntheticSources(ROWS),
      files: new S3ExportFiles(client, config.EXPORTS_BUCKET),
    };
    const { id } = await requestExport(live, caller('admin'), {
      log: 'activity',
      format: 'csv',
      variant: 'elearning',
      filters: {},
    });

    global.gc?.();
    const before = process.memoryUsage();
    let peakRss = before.rss;
    let peakHeap = before.heapUsed;
    let peakBuffers = before.arrayBuffers;
    const sampler = setInterval(() => {
      const m = process.memoryUsage();
      peakRss = Math.max(peakRss, m.rss);
      peakHeap = Math.max(peakHeap, m.heapUsed);
      peakBuffers = Math.max(peakBuffers, m.arrayBuffers);
    }, 20);
    const outcome = await executeExport(live, { tenantId: 't1', exportId: id });
    clearInterval(sampler);

    expect(outcome.status).toBe('succeeded');
    const key = `exports/t1/${id}.csv`;
    const head = await client.send(new HeadObjectCommand({ Bucket: config.EXPORTS_BUCKET, Key: key }));
    const size = head.ContentLength ?? 0;
    const mb = (b: number) => (b / 1024 / 1024).toFixed(1);
    console.log(
      `[export-memory] ${ROWS} rows, file ${mb(size)} MiB; peak RSS ${mb(peakRss)} MiB ` +
        `(+${mb(peakRss - before.rss)}), peak heap ${mb(peakHeap)} MiB (+${mb(peakHeap - before.heapUsed)}), ` +
        `peak buffers +${mb(peakBuffers - before.arrayBuffers)} MiB (s3rver shares this process), ` +
        `process maxRSS ${mb(process.resourceUsage().maxRSS * 1024)} MiB`,
    );

    // Streamed back and parsed as a stream: every row is there, header first, quoting intact.
    const obj = await client.send(new GetObjectCommand({ Bucket: config.EXPORTS_BUCKET, Key: key }));
    const parser = (obj.Body as Readable).pipe(parse({ columns: true, bom: true }));
    let rows = 0;
    let tricky = 0;
    for await (const row of parser as AsyncIterable<Record<string, string>>) {
      rows++;
      if (row.Title?.startsWith('\'=Quiz, "tricky"\n')) tricky++;
      if (rows === 1)
        expect(row).toMatchObject({ 'First name': 'First0', 'Primary team': 'Team 0', Region: 'R0' });
    }
    expect(rows).toBe(ROWS);
    expect(tricky).toBe(Math.ceil(ROWS / 97));
    expect((await deps.store.get('t1', id))?.rowCount).toBe(ROWS);
    expect(size).toBeGreaterThan(5 * 1024 * 1024); // more than one part: the multipart path ran
  }, 120_000);
});

import { execFile } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { directoryKey } from '../shared/adapters/dynamodb/directory-store.ts';
import { DynamoExportStore } from '../shared/adapters/dynamodb/export-store.ts';
import type { Config } from '../shared/config.ts';
import type { ExportJob } from '../shared/domain/exports/export-job.ts';
import { EXPORT_PAGE } from '../shared/query/merge-planner.ts';
import { bundle } from './cold-start.ts';
import type { BenchContext } from './lib/context.ts';
import type { RawQuery } from './lib/raw-query.ts';
import type { Section } from './lib/report.ts';
import { activityItemOf, batchWriteAll } from './lib/seed.ts';

/**
 * Target 4: exports at scale. One tenant holds N activity entries (the bench loader writes
 * them); the export worker Lambda — bundled exactly as deployed (esbuild) and run in a child
 * process against DynamoDB Local and s3rver — exports the newest 100k and then all 500k rows
 * as CSV through the real pipeline (merge query, directory lookups, CSV, multipart upload).
 * Baseline: raw Query paging of the same rows in the same run, in a child process of its own
 * (bench/lib/raw-query.ts, bundled the same way), 500 items a page like the export's reads.
 * Peak RSS is the child's own (`process.resourceUsage().maxRSS`, and VmHWM).
 */
const ROOT = resolve(import.meta.dirname, '..');
const ACTIONS = ['Viewed', 'Started', 'Completed', 'Watched', 'Failed'] as const;
const STEP_MS = 10_000;
/** The baseline's page: one DynamoDB Query of the export's reads (a page and the look-ahead item). */
const RAW_PAGE = EXPORT_PAGE + 1;

interface ChildResult {
  out: { status: string; rowCount?: number };
  ms: number;
  maxRssKb: number;
  hwmKb: number;
}

/** The child's answer is the last stdout line that starts with this. */
const RESULT_MARK = 'bench-result:';

function resultOf(stdout: string): ChildResult {
  const line = stdout
    .split('\n')
    .reverse()
    .find((l) => l.startsWith(RESULT_MARK));
  if (!line)
    throw new Error(`bench: exports: the worker process gave no result; stdout was:\n${stdout.slice(-2000)}`);
  return JSON.parse(line.slice(RESULT_MARK.length)) as ChildResult;
}

export async function exportsAtScale(ctx: BenchContext): Promise<Section> {
  const sizes = ctx.quick ? [1_000, 5_000] : [100_000, 500_000];
  const title = 'Exports: rows/second and worker memory at scale';
  const baseline = `raw Query paging (${RAW_PAGE}-item pages, in its own \`node\` process like the worker) of the same rows in the same run: mean of a pass before and a pass after the export`;
  const worker = join(ROOT, 'functions', 'export-worker', 'handler.ts');
  if (!existsSync(worker) || !ctx.config) {
    return {
      id: 'exports',
      title,
      baseline,
      columns: ['rows', 'status'],
      rows: [['—', 'not available: the export worker is not on this branch (or no local stack)']],
      data: { available: false },
    };
  }
  const config = ctx.config;
  const total = sizes[sizes.length - 1]!;
  const tenant = `${ctx.dataset.tenants[0]!.id}-export`;
  const now = ctx.dataset.now;
  const recordedAt = now.toISOString();
  const at = (i: number) => new Date(now.getTime() - 60_000 - i * STEP_MS).toISOString();

  // The directory the CSV's user columns read, then the entries, newest first.
  const users = Array.from({ length: 1000 }, (_, i) => ({
    id: `x${i}`,
    firstName: `First${i}`,
    lastName: `Last${i}`,
    email: `x${i}@export.example`,
    role: 'Learner',
    status: 'active',
    jobTitle: 'Engineer',
  }));
  await batchWriteAll(
    ctx.client,
    config.DIRECTORY_TABLE,
    users.map((r) => ({ ...directoryKey(tenant, 'users', r.id), r })),
  );
  console.error(`bench: exports: seeding ${total.toLocaleString('en-GB')} activity entries for ${tenant} …`);
  for (let start = 0; start < total; start += 20_000) {
    const chunk = [];
    for (let i = start; i < Math.min(total, start + 20_000); i++) {
      const c = i % 500;
      chunk.push(
        activityItemOf(
          {
            id: `x${i.toString(36).padStart(5, '0')}`,
            tenantId: tenant,
            occurredAt: at(i),
            userId: `x${(i * 7919) % 1000}`,
            action: ACTIONS[i % ACTIONS.length],
            content: {
              type: 'Item',
              id: `c${c}`,
              title: `Module ${c}`,
              contentType: 'Video',
              tags: ['safety'],
            },
            ...(i % 5 === 2
              ? { result: { outcome: 'passed', scorePercent: i % 101, durationSeconds: 600 } }
              : {}),
          },
          1,
          recordedAt,
        ),
      );
    }
    await batchWriteAll(ctx.client, ctx.tables.activity, chunk);
    console.error(`bench:   exports: ${Math.min(total, start + 20_000).toLocaleString('en-GB')} stored`);
  }

  const outDir = join(ROOT, 'bench', 'data', 'bundles');
  mkdirSync(outDir, { recursive: true });
  const workerBundle = join(outDir, 'export-worker-bench.mjs');
  const rawBundle = join(outDir, 'raw-query-bench.mjs');
  await bundle(worker, workerBundle);
  await bundle(join(ROOT, 'bench', 'lib', 'raw-query.ts'), rawBundle);
  const store = new DynamoExportStore(ctx.client, { tableName: config.STATE_TABLE });
  const env = childEnv(config);

  const rawPass = (size: number) =>
    runChild(
      rawBundle,
      'pageAll',
      {
        tableName: ctx.tables.activity,
        indexName: 'byTime',
        partition: `${tenant}#0`,
        from: at(size - 1),
        to: now.toISOString(),
        pageSize: RAW_PAGE,
      } satisfies RawQuery,
      env,
    );
  const exportPass = async (size: number, id: string) => {
    const job: ExportJob = {
      tenantId: tenant,
      id,
      log: 'activity',
      format: 'csv',
      variant: 'standard',
      filters: { from: at(size - 1), to: now.toISOString() },
      requester: { userId: 'bench-admin', role: 'admin', reporting: false },
      source: 'web',
      status: 'queued',
      createdAt: recordedAt,
    };
    await store.create(job, Math.floor(now.getTime() / 1000) + 86_400);
    return runChild(workerBundle, 'handler', { tenantId: tenant, exportId: job.id }, env);
  };
  const rate = (c: ChildResult) => (c.out.rowCount ?? 0) / (c.ms / 1000);
  const peakMb = (c: ChildResult) => Math.max(c.maxRssKb, c.hwmKb) / 1024;

  // Warm-up (not reported): DynamoDB Local's JIT and page cache, and the OS's file cache of the
  // bundles, are warm before the first measured pass of either side.
  const smallest = sizes[0]!;
  console.error(`bench: exports: warm-up (raw and export, ${smallest.toLocaleString('en-GB')} rows) …`);
  await rawPass(smallest);
  await exportPass(smallest, 'bench-warm-up');

  const rows: Section['rows'] = [];
  const data: Array<Record<string, unknown>> = [];
  for (const size of sizes) {
    // Raw, export, raw: drift on a shared machine affects the baseline on both sides of the export.
    console.error(`bench: exports: ${size.toLocaleString('en-GB')} rows: raw, export, raw …`);
    const before = await rawPass(size);
    const child = await exportPass(size, `bench-${size}`);
    const after = await rawPass(size);
    const exported = child.out.rowCount ?? 0;
    const rawRate = (rate(before) + rate(after)) / 2;
    const exportRate = rate(child);
    const peak = peakMb(child);
    rows.push([
      size,
      child.out.status,
      exported,
      before.out.rowCount ?? 0,
      Math.round(exportRate),
      Math.round(rawRate),
      exportRate / rawRate,
      exportRate / rawRate >= 0.7 ? 'yes' : 'NO',
      peak,
      peak <= 256 ? 'yes' : 'NO',
    ]);
    data.push({
      size,
      status: child.out.status,
      exported,
      raw: before.out.rowCount ?? 0,
      exportRate,
      rawRate,
      rawRates: [rate(before), rate(after)],
      peakMb: peak,
      rawPeakMb: Math.max(peakMb(before), peakMb(after)),
      exportMs: child.ms,
      rawMs: [before.ms, after.ms],
    });
  }
  return {
    id: 'exports',
    title,
    baseline,
    columns: [
      'rows in window',
      'worker status',
      'rows exported',
      'rows paged raw',
      'export rows/s',
      'raw Query rows/s',
      'export ÷ raw',
      '≥ 0.7',
      'worker peak RSS MB',
      '≤ 256 MB',
    ],
    rows,
    notes: [
      'The worker is functions/export-worker bundled as deployed and run in a fresh `node` process (no tsx): it claims the job, iterates the activity log as the requester (merge query, directory now), writes CSV and streams it to s3rver by multipart upload.',
      `The baseline is bench/lib/raw-query.ts, bundled the same way and run in a fresh \`node\` process with the same environment and the service's DynamoDB client: Query paging of the same index partition and window, ${RAW_PAGE} items a page (the export's reads ask for ${RAW_PAGE}), the items only counted.`,
      'After a warm-up of both sides on the smallest window, each size runs raw, export, raw; the raw rate is the mean of the two raw passes. Both sides read the same DynamoDB Local; the export also writes the file, so the ratio is the whole pipeline against reading alone.',
      'Peak RSS = max(process.resourceUsage().maxRSS, /proc/self/status VmHWM) of the worker process, including Node itself (~40 MB).',
    ],
    data: { available: true, rows: data },
  };
}

/** What a worker process gets: the configuration of the local stack, nothing of this process. */
function childEnv(config: Config): NodeJS.ProcessEnv {
  return {
    PATH: process.env.PATH,
    AWS_REGION: config.AWS_REGION,
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    POWERTOOLS_LOG_LEVEL: 'SILENT',
    // The handler flushes EMF metric lines to stdout; the bench reads only its own answer.
    POWERTOOLS_METRICS_DISABLED: 'true',
    STAGE: 'bench',
    DYNAMODB_ENDPOINT: config.DYNAMODB_ENDPOINT,
    S3_ENDPOINT: config.S3_ENDPOINT,
    SES_ENDPOINT: config.SES_ENDPOINT,
    AUDIT_TABLE: config.AUDIT_TABLE,
    ACTIVITY_TABLE: config.ACTIVITY_TABLE,
    DIRECTORY_TABLE: config.DIRECTORY_TABLE,
    STATE_TABLE: config.STATE_TABLE,
    EXPORTS_BUCKET: config.EXPORTS_BUCKET,
    SIGNING_SECRET: 'bench-signing-secret-0123456789',
  };
}

/**
 * Calls `fn(arg)` of a bundle in a fresh `node` process (no tsx) and times it there. The answer
 * is one marked stdout line, whatever else the code prints.
 */
async function runChild(
  file: string,
  fn: string,
  arg: unknown,
  env: NodeJS.ProcessEnv,
): Promise<ChildResult> {
  const script = `
    const mod = await import(${JSON.stringify(file)});
    const { readFileSync } = await import('node:fs');
    const t = performance.now();
    const out = await mod[${JSON.stringify(fn)}](${JSON.stringify(arg)});
    const ms = performance.now() - t;
    const hwm = Number(/VmHWM:\\s+(\\d+)/.exec(readFileSync('/proc/self/status', 'utf8'))?.[1] ?? 0);
    const answer = JSON.stringify({ out, ms, maxRssKb: process.resourceUsage().maxRSS, hwmKb: hwm });
    // SDK sockets keep the loop alive, as in Lambda: leave once the answer is written.
    process.stdout.write('\\n' + ${JSON.stringify(RESULT_MARK)} + answer + '\\n', () => process.exit(0));
  `;
  // Asynchronous: s3rver runs in this process and must keep answering the worker's upload.
  const { stdout } = await promisify(execFile)(process.execPath, ['--input-type=module', '-e', script], {
    env,
    encoding: 'utf8',
    maxBuffer: 1024 * 1024,
    timeout: 30 * 60_000,
  });
  return resultOf(stdout);
}

import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Metafile } from 'esbuild';
import { bundleFunction } from '../infra/bundling/build.ts';
import { median, type Section } from './lib/report.ts';

/**
 * Cold start: each Lambda bundle, built as the CDK construct builds it (esbuild, ESM, node20,
 * minified, SDK bundled), is measured for size and for the time a fresh Node process takes to
 * import it, against a hello-world bundle measured the same way in the same run. The metafile
 * shows which AWS SDK clients each bundle pulls in.
 */
const ROOT = resolve(import.meta.dirname, '..');
const OUT = join(ROOT, 'bench', 'data', 'bundles');

/** Built as the construct builds it (infra/bundling/build.ts); bench/exports.ts uses it too. */
export const bundle = bundleFunction;

function importMs(file: string, runs: number): number {
  const script = `const t=performance.now();await import(${JSON.stringify(file)});process.stdout.write(String(performance.now()-t));`;
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) {
    const out = execFileSync(process.execPath, ['--input-type=module', '-e', script], {
      env: { ...process.env, AWS_REGION: 'eu-west-1', POWERTOOLS_LOG_LEVEL: 'SILENT', STAGE: 'test' },
      encoding: 'utf8',
    });
    samples.push(Number(out));
  }
  return median(samples);
}

/** The packages (or our own code) that put the most bytes into a bundle, largest first. */
function contributors(meta: Metafile, top = 4): Array<{ name: string; kib: number }> {
  const sizes = new Map<string, number>();
  for (const output of Object.values(meta.outputs)) {
    for (const [input, { bytesInOutput }] of Object.entries(output.inputs)) {
      const m = /node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(input);
      const name = m?.[1] ?? 'our code';
      sizes.set(name, (sizes.get(name) ?? 0) + bytesInOutput);
    }
  }
  return [...sizes.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, top)
    .map(([name, bytes]) => ({ name, kib: Math.round(bytes / 1024) }));
}

/** Bytes zod's translated error messages (every locale) add to a bundle. */
function zodLocaleBytes(meta: Metafile): number {
  let bytes = 0;
  for (const output of Object.values(meta.outputs)) {
    for (const [input, { bytesInOutput }] of Object.entries(output.inputs)) {
      if (/node_modules\/zod\/v4\/locales\//.test(input)) bytes += bytesInOutput;
    }
  }
  return bytes;
}

/**
 * The SDK clients with code in the bundle (as test/infra/bundle-contents.test.ts counts them): a
 * module the import graph reaches but tree-shaking empties (`sideEffects: false`) adds nothing.
 */
function sdkClients(meta: Metafile): string[] {
  const clients = new Set<string>();
  for (const output of Object.values(meta.outputs)) {
    for (const [input, { bytesInOutput }] of Object.entries(output.inputs)) {
      const m = /node_modules\/@aws-sdk\/(client-[a-z0-9-]+|lib-[a-z0-9-]+)\//.exec(input);
      if (m?.[1] && bytesInOutput > 0) clients.add(m[1]);
    }
  }
  return [...clients].sort();
}

/**
 * Reference bundles: only the libraries the brief mandates for every function (zod to parse,
 * Powertools to log and count) and, for the functions that touch a table, the DynamoDB client
 * with its document client. Nothing a function can leave out is in them, so they are the floor
 * a function's import time can reach without dropping a mandated package.
 */
const REFERENCES = {
  'floor: zod': `import { z } from 'zod';\nconst s = z.object({ a: z.string() });\nexport const handler = async (e) => s.parse(e);\n`,
  'floor: DynamoDB document client': `import { DynamoDBClient } from '@aws-sdk/client-dynamodb';\nimport { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';\nconst c = DynamoDBDocumentClient.from(new DynamoDBClient({}));\nexport const handler = async () => c;\n`,
  'floor: zod + Powertools': `import { z } from 'zod';\nimport { Logger } from '@aws-lambda-powertools/logger';\nimport { Metrics } from '@aws-lambda-powertools/metrics';\nconst l = new Logger();\nconst m = new Metrics({ namespace: 'x' });\nconst s = z.object({ a: z.string() });\nexport const handler = async (e) => { l.info('x'); m.addMetric('x', 'Count', 1); return s.parse(e); };\n`,
  'floor: zod + Powertools + DynamoDB': `import { z } from 'zod';\nimport { Logger } from '@aws-lambda-powertools/logger';\nimport { Metrics } from '@aws-lambda-powertools/metrics';\nimport { DynamoDBClient } from '@aws-sdk/client-dynamodb';\nimport { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';\nconst c = DynamoDBDocumentClient.from(new DynamoDBClient({}));\nconst l = new Logger();\nconst m = new Metrics({ namespace: 'x' });\nconst s = z.object({ a: z.string() });\nexport const handler = async (e) => { l.info('x'); m.addMetric('x', 'Count', 1); return [c, s.parse(e)]; };\n`,
} as const;

export async function coldStart(options: { quick: boolean }): Promise<Section> {
  mkdirSync(OUT, { recursive: true });
  const runs = options.quick ? 3 : 7;
  const hello = join(OUT, 'hello-src.mjs');
  writeFileSync(hello, 'export const handler = async () => ({ statusCode: 200, body: "hello" });\n');
  await bundle(hello, join(OUT, 'hello.mjs'));
  const helloSize = statSync(join(OUT, 'hello.mjs')).size;
  const helloMs = importMs(join(OUT, 'hello.mjs'), runs);

  const fnDir = join(ROOT, 'functions');
  const functions = readdirSync(fnDir).filter((d) => existsSync(join(fnDir, d, 'handler.ts')));
  const rows: Section['rows'] = [['hello-world', Math.round(helloSize / 1024), 1, helloMs, 1, '—', '—', '—']];
  const data: Array<Record<string, unknown>> = [];
  const floors: Record<string, number> = {};
  for (const [name, source] of Object.entries(REFERENCES)) {
    const slug = name.replace(/\W+/g, '-');
    writeFileSync(join(OUT, `${slug}-src.mjs`), source);
    const meta = await bundle(join(OUT, `${slug}-src.mjs`), join(OUT, `${slug}.mjs`));
    const size = statSync(join(OUT, `${slug}.mjs`)).size;
    const ms = importMs(join(OUT, `${slug}.mjs`), runs);
    floors[name] = ms;
    const top = contributors(meta);
    rows.push([
      name,
      Math.round(size / 1024),
      size / helloSize,
      ms,
      ms / helloMs,
      '—',
      sdkClients(meta).join(', ') || 'none',
      top.map((t) => `${t.name} ${t.kib}`).join(', '),
    ]);
    data.push({ fn: name, bytes: size, importMs: ms, importRatio: ms / helloMs, reference: true });
  }
  let localeBytes = 0;
  for (const fn of functions.sort()) {
    const outfile = join(OUT, `${fn}.mjs`);
    const meta = await bundle(join(fnDir, fn, 'handler.ts'), outfile);
    const size = statSync(outfile).size;
    const ms = importMs(outfile, runs);
    const clients = sdkClients(meta);
    const top = contributors(meta);
    localeBytes = Math.max(localeBytes, zodLocaleBytes(meta));
    const floor = clients.includes('client-dynamodb')
      ? floors['floor: zod + Powertools + DynamoDB']!
      : floors['floor: zod + Powertools']!;
    rows.push([
      fn,
      Math.round(size / 1024),
      size / helloSize,
      ms,
      ms / helloMs,
      ms / floor,
      clients.join(', ') || 'none',
      top.map((t) => `${t.name} ${t.kib}`).join(', '),
    ]);
    data.push({
      fn,
      bytes: size,
      importMs: ms,
      importRatio: ms / helloMs,
      floorRatio: ms / floor,
      sdk: clients,
      contributors: top,
    });
  }
  return {
    id: 'cold-start',
    title: 'Cold start: bundle size and import time per Lambda',
    baseline: `a hello-world handler bundled the same way (${helloSize} B, ${helloMs.toFixed(1)} ms to import, median of ${runs} fresh processes)`,
    columns: [
      'function',
      'KiB',
      'size × hello',
      'import ms',
      'import × hello',
      'import × floor',
      'AWS SDK packages bundled',
      'largest contributors (KiB in bundle, esbuild metafile)',
    ],
    rows,
    notes: [
      'The `floor:` rows bundle only mandated libraries (zod, Powertools, and for table users the DynamoDB client and document client), so no function can import faster than its floor without dropping one of them. `import × floor` compares each function with its floor (with DynamoDB if its bundle holds client-dynamodb, else without).',
      'Import time is measured in a fresh `node` process per sample; Lambda adds its own runtime init on top.',
      'Each bundle should list only the SDK clients its function calls.',
      `zod's translated error messages are left out: the bundles alias \`zod\` to zod without its \`locales\` namespace (infra/bundling/esbuild.ts, as the CDK construct does); ${Math.round(localeBytes / 1024)} KiB of locale code remain (English, which zod installs).`,
      'Contributors are summed per package from the esbuild metafile (bytes each input adds to the minified output); the AWS SDK counts per package (client, core, smithy…).',
    ],
    data,
  };
}

import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Metafile } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bundleFunction } from '../../infra/bundling/build.ts';
import { FUNCTIONS, type FunctionSpec } from '../../infra/functions.ts';
import { REPO_ROOT } from './synth.ts';

/**
 * What each function bundle holds, read from esbuild's metafile: every function is bundled with
 * the settings of the ServiceFunction construct (ESM, node20, minified, the require banner, the
 * aliases of infra/bundling/esbuild.ts) in one process, which is much faster than CDK's esbuild
 * CLI per function. test/infra/bundling.test.ts checks that the CDK-built bundles match.
 */
const OUT = mkdtempSync(join(tmpdir(), 'logbook-bundles-'));
afterAll(() => rmSync(OUT, { recursive: true, force: true }));

/** Bytes each input file puts into the output (0 when tree-shaken away). */
function bytesByInput(meta: Metafile): Map<string, number> {
  const bytes = new Map<string, number>();
  for (const output of Object.values(meta.outputs)) {
    for (const [input, { bytesInOutput }] of Object.entries(output.inputs)) {
      bytes.set(input, (bytes.get(input) ?? 0) + bytesInOutput);
    }
  }
  return bytes;
}

/** AWS SDK clients and libraries with code in the bundle. */
function sdkPackages(meta: Metafile): string[] {
  const found = new Set<string>();
  for (const [input, bytes] of bytesByInput(meta)) {
    const m = /node_modules\/@aws-sdk\/(client-[a-z0-9-]+|lib-[a-z0-9-]+|s3-request-presigner)\//.exec(input);
    if (m?.[1] && bytes > 0) found.add(m[1]);
  }
  return [...found].sort();
}

/**
 * The SDK packages a function calls, from its manifest entry: tables → DynamoDB (the document
 * client), the bucket → S3 (presigning to read, multipart uploads to write), the sender → SES
 * v2, invoke → Lambda, sendsTo → SQS, the signing secret → Secrets Manager.
 */
function expectedSdk(spec: FunctionSpec): string[] {
  const pkgs = new Set<string>();
  if (Object.keys(spec.tables ?? {}).length > 0) pkgs.add('client-dynamodb').add('lib-dynamodb');
  if (spec.bucket) {
    pkgs.add('client-s3');
    if (spec.bucket.access !== 'write') pkgs.add('s3-request-presigner');
    if (spec.bucket.access !== 'read') pkgs.add('lib-storage');
  }
  if (spec.sender) pkgs.add('client-sesv2');
  if ((spec.invoke ?? []).length > 0) pkgs.add('client-lambda');
  if ((spec.sendsTo ?? []).length > 0) pkgs.add('client-sqs');
  if (spec.signingSecret) pkgs.add('client-secrets-manager');
  if (spec.sealKey || spec.personKeys) pkgs.add('client-kms');
  return [...pkgs].sort();
}

const NAMES = Object.keys(FUNCTIONS).filter((name) =>
  existsSync(join(REPO_ROOT, 'functions', name, 'handler.ts')),
);
const metas = new Map<string, Metafile>();
beforeAll(async () => {
  for (const name of NAMES) {
    metas.set(
      name,
      await bundleFunction(join(REPO_ROOT, 'functions', name, 'handler.ts'), join(OUT, `${name}.mjs`)),
    );
  }
});

describe('each function bundle', () => {
  it('is built for every function of the manifest', () => {
    expect([...metas.keys()].sort()).toEqual(Object.keys(FUNCTIONS).sort());
  });

  for (const name of Object.keys(FUNCTIONS)) {
    it(`${name}: holds exactly the AWS SDK clients its manifest entry lets it call`, () => {
      expect(sdkPackages(metas.get(name)!)).toEqual(expectedSdk(FUNCTIONS[name]!));
    });
  }

  it('loads on Node and exports a handler with only the runtime plumbing set (no table or function names)', () => {
    const files = NAMES.map((name) => join(OUT, `${name}.mjs`));
    const script = `for (const file of ${JSON.stringify(files)}) {
        const mod = await import(file);
        if (typeof mod.handler !== 'function') throw new Error('no handler in ' + file);
      }
      process.stdout.write('ok');`;
    const out = execFileSync(process.execPath, ['--input-type=module', '-e', script], {
      encoding: 'utf8',
      env: { ...process.env, STAGE: 'test', POWERTOOLS_LOG_LEVEL: 'SILENT', AWS_REGION: 'eu-west-1' },
    });
    expect(out).toBe('ok');
  });

  it("leaves out zod's translated error messages and keeps the English ones", () => {
    for (const [name, meta] of metas) {
      let translated = 0;
      let english = 0;
      for (const [input, bytes] of bytesByInput(meta)) {
        if (/node_modules\/zod\/v4\/locales\/en\.js$/.test(input)) english += bytes;
        else if (/node_modules\/zod\/v4\/locales\//.test(input)) translated += bytes;
      }
      expect(translated, name).toBe(0);
      expect(english, name).toBeGreaterThan(0);
    }
  });
});

describe('zod without its locales (infra/bundling)', () => {
  it('exports everything zod and zod/v4/core export but the `locales` namespace', async () => {
    const real = await import('zod');
    const lean = await import('../../infra/bundling/zod.ts');
    expect(Object.keys(lean).sort()).toEqual(
      Object.keys(real)
        .filter((k) => k !== 'locales')
        .sort(),
    );
    const realCore = await import('zod/v4/core');
    const leanCore = await import('../../infra/bundling/zod-core.ts');
    expect(Object.keys(leanCore).sort()).toEqual(
      Object.keys(realCore)
        .filter((k) => k !== 'locales')
        .sort(),
    );
  });

  it('gives the same English messages, bundled, as zod itself', async () => {
    const probe = join(OUT, 'probe.ts');
    writeFileSync(
      probe,
      `import { z } from 'zod';
import { auditFiltersSchema } from ${JSON.stringify(join(REPO_ROOT, 'shared/domain/audit/filters.ts'))};
export function messages() {
  const schema = z.object({
    a: z.string().min(3), b: z.number().int().max(5), c: z.enum(['x', 'y']), d: z.email(),
    e: z.iso.datetime(), f: z.array(z.string()).max(1), g: z.literal('k'),
    h: z.union([z.string(), z.number()]), i: z.object({}).strict(), j: z.string().regex(/^a$/),
  });
  const bad = { a: 'x', b: 7.5, c: 'z', d: 'nope', e: 'then', f: ['1', '2'], g: 'q', h: true, i: { x: 1 }, j: 'b' };
  const filters = { from: 'yesterday', limit: 'many', ip: '999.1.1.1' };
  return [schema.safeParse(bad), auditFiltersSchema.safeParse(filters)]
    .flatMap((r) => (r.success ? [] : r.error.issues.map((i) => i.path.join('.') + ': ' + i.message)));
}
process.stdout.write(JSON.stringify(messages()));
`,
    );
    await bundleFunction(probe, join(OUT, 'probe.mjs'));
    const bundled = JSON.parse(
      execFileSync(process.execPath, [join(OUT, 'probe.mjs')], {
        encoding: 'utf8',
        env: { ...process.env, POWERTOOLS_LOG_LEVEL: 'SILENT' },
      }),
    ) as string[];
    const { z } = await import('zod');
    const { auditFiltersSchema } = await import('../../shared/domain/audit/filters.ts');
    // The same schemas, unbundled (zod from node_modules, every locale present).
    const schema = z.object({
      a: z.string().min(3),
      b: z.number().int().max(5),
      c: z.enum(['x', 'y']),
      d: z.email(),
      e: z.iso.datetime(),
      f: z.array(z.string()).max(1),
      g: z.literal('k'),
      h: z.union([z.string(), z.number()]),
      i: z.object({}).strict(),
      j: z.string().regex(/^a$/),
    });
    const bad = {
      a: 'x',
      b: 7.5,
      c: 'z',
      d: 'nope',
      e: 'then',
      f: ['1', '2'],
      g: 'q',
      h: true,
      i: { x: 1 },
      j: 'b',
    };
    const filters = { from: 'yesterday', limit: 'many', ip: '999.1.1.1' };
    const direct = [schema.safeParse(bad), auditFiltersSchema.safeParse(filters)].flatMap((r) =>
      r.success ? [] : r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`),
    );
    expect(bundled.length).toBeGreaterThan(10);
    expect(bundled).toEqual(direct);
  });
});

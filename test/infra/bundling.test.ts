import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { isBuiltin } from 'node:module';
import { join } from 'node:path';
import { init, parse } from 'es-module-lexer';
import { beforeAll, describe, expect, it } from 'vitest';
import { NOT_FOUND_FUNCTION, ROUTES } from '../../functions/routes.ts';
import { ESM_REQUIRE_BANNER } from '../../infra/bundling/esbuild.ts';
import { FUNCTIONS } from '../../infra/functions.ts';
import { REPO_ROOT, type Synth, synthLogbook } from './synth.ts';

/**
 * Bundles functions for real (local esbuild, no Docker, no network) and looks inside the bundles
 * Lambda would run. Each bundle costs seconds (CDK runs esbuild through npx), so this bundles a
 * sample: the plain ones and, once they exist, the ones that carry the most SDK clients.
 * `npm run synth` bundles them all.
 */
const SAMPLE = ['health', NOT_FOUND_FUNCTION, 'audit-ingest', 'export-worker', 'schedule-dispatcher'].filter(
  (fn) => existsSync(join(REPO_ROOT, 'functions', fn, 'handler.ts')),
);

let s: Synth;
let bundles: Map<string, string>;
beforeAll(() => {
  s = synthLogbook({
    bundle: true,
    routes: ROUTES.filter((r) => SAMPLE.includes(r.fn)),
    manifest: Object.fromEntries(Object.entries(FUNCTIONS).filter(([name]) => SAMPLE.includes(name))),
  });
  const resources = s.apiTemplate.toJSON().Resources as Record<
    string,
    { Properties: Record<string, unknown> }
  >;
  bundles = new Map();
  for (const [name, fn] of s.api.functions) {
    const logicalId = s.api.getLogicalId(fn.function.node.defaultChild as never);
    const key = (resources[logicalId]!.Properties.Code as { S3Key: string }).S3Key;
    bundles.set(name, join(s.app.outdir, `asset.${key.replace(/\.zip$/, '')}`));
  }
});

/**
 * The SDK's error messages tell users to `require("@aws-sdk/signature-v4-crt")`; those words are
 * string text inside the bundle, not imports, so the scan ignores these two names.
 */
const SDK_ERROR_TEXT_ONLY = new Set(['@aws-sdk/signature-v4-crt', '@aws-sdk/signature-v4a']);

describe('function bundles', () => {
  it('bundles each sampled function', () => {
    expect([...bundles.keys()].sort()).toEqual([...SAMPLE].sort());
    for (const dir of bundles.values()) expect(existsSync(join(dir, 'index.mjs'))).toBe(true);
  });

  it('carry nothing of the IAM evaluator (@cloud-copilot/iam-simulate is AGPL: tests only)', () => {
    for (const [name, dir] of bundles) {
      const code = readFileSync(join(dir, 'index.mjs'), 'utf8');
      expect(code.includes('cloud-copilot') || code.includes('iam-simulate'), name).toBe(false);
    }
  });

  it('are ESM files that start with the createRequire banner and carry a source map', () => {
    for (const [name, dir] of bundles) {
      const code = readFileSync(join(dir, 'index.mjs'), 'utf8');
      expect(code.startsWith(ESM_REQUIRE_BANNER), name).toBe(true);
      expect(existsSync(join(dir, 'index.mjs.map')), name).toBe(true);
    }
  });

  it('import nothing but Node built-ins: the AWS SDK and every other package is inside the bundle', async () => {
    await init;
    for (const [name, dir] of bundles) {
      const code = readFileSync(join(dir, 'index.mjs'), 'utf8');
      // Static and dynamic imports, parsed (strings and comments are not mistaken for imports).
      const [imports] = parse(code);
      const specifiers = imports.map((i) => i.n).filter((n): n is string => typeof n === 'string');
      // CommonJS requires made through the banner's createRequire, with a package-shaped name.
      for (const m of code.matchAll(/\brequire\(\s*"(@?[a-z0-9][\w.-]*(?:\/[\w.-]+)*)"\s*\)/g))
        specifiers.push(m[1]!);
      expect(
        specifiers.filter((spec) => !isBuiltin(spec) && !SDK_ERROR_TEXT_ONLY.has(spec)),
        name,
      ).toEqual([]);
    }
  });

  it("leave out zod's translated error messages (infra/bundling/esbuild.ts) and keep the English", () => {
    for (const [name, dir] of bundles) {
      const code = readFileSync(join(dir, 'index.mjs'), 'utf8');
      expect(code, name).not.toContain('Ungültige Eingabe');
      expect(code, name).toContain('Invalid input');
    }
  });

  it('load on Node and export a handler (no CommonJS global left unresolved)', () => {
    const script = `for (const file of ${JSON.stringify([...bundles.values()].map((d) => join(d, 'index.mjs')))}) {
        const mod = await import(file);
        if (typeof mod.handler !== 'function') throw new Error('no handler in ' + file);
      }
      process.stdout.write('ok');`;
    const out = spawnSync(process.execPath, ['--input-type=module', '-e', script], {
      encoding: 'utf8',
      env: { ...process.env, STAGE: 'test', POWERTOOLS_LOG_LEVEL: 'SILENT', AWS_REGION: 'eu-west-1' },
    });
    expect(out.stderr).toBe('');
    expect(out.stdout).toBe('ok');
  });

  it('run on Node: the health bundle answers 200', () => {
    const dir = bundles.get('health')!;
    const event = {
      version: '2.0',
      routeKey: 'GET /health',
      rawPath: '/health',
      rawQueryString: '',
      headers: {},
      requestContext: {
        http: { method: 'GET', path: '/health', protocol: 'HTTP/1.1', sourceIp: '127.0.0.1', userAgent: 't' },
        requestId: 'r-1',
        routeKey: 'GET /health',
        stage: '$default',
        time: '22/Nov/2026:10:00:00 +0000',
        timeEpoch: 0,
      },
      isBase64Encoded: false,
    };
    const script = `const { handler } = await import(${JSON.stringify(join(dir, 'index.mjs'))});
      const res = await handler(${JSON.stringify(event)}, { awsRequestId: 'r-1', functionName: 'health', getRemainingTimeInMillis: () => 3000 });
      process.stdout.write(JSON.stringify(res));`;
    const out = spawnSync(process.execPath, ['--input-type=module', '-e', script], {
      encoding: 'utf8',
      env: { ...process.env, STAGE: 'test', POWERTOOLS_LOG_LEVEL: 'SILENT', AWS_REGION: 'eu-west-1' },
    });
    expect(out.stderr).toBe('');
    const res = JSON.parse(out.stdout);
    expect(res.statusCode).toBe(200);
    expect(JSON.parse(res.body)).toEqual({ status: 'ok' });
  });
});

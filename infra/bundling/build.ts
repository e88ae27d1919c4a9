// One function bundle built in-process with esbuild's API and the construct's settings (ESM,
// node20, minified, module-first main fields, the require banner, the zod aliases), for the
// bench and the bundle tests. The deployed bundles come from NodejsFunction's esbuild CLI with
// the same settings; test/infra/bundling.test.ts checks those.

import { build, type Metafile } from 'esbuild';
import { BUNDLE_ALIASES, ESM_REQUIRE_BANNER } from './esbuild.ts';

export async function bundleFunction(entry: string, outfile: string): Promise<Metafile> {
  const result = await build({
    entryPoints: [entry],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    minify: true,
    mainFields: ['module', 'main'],
    banner: { js: ESM_REQUIRE_BANNER },
    alias: { ...BUNDLE_ALIASES },
    metafile: true,
    logLevel: 'silent',
  });
  return result.metafile;
}

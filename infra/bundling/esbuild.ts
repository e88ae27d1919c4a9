// esbuild settings every function bundle shares, read by the ServiceFunction construct (through
// the esbuild CLI that NodejsFunction runs), by the cold-start bench and by the bundling tests.

import { join } from 'node:path';

const ZOD_WITHOUT_LOCALES = join(import.meta.dirname, 'zod.ts');

/**
 * Package aliases (esbuild `alias`, `--alias:name=path`): `zod` and `zod/v4` (zod-openapi's
 * import) become zod without its translated error messages (./zod.ts), and `zod/v4/core`
 * (zod-openapi's) its core without them (./zod-core.ts). English messages are unchanged.
 */
export const BUNDLE_ALIASES: Readonly<Record<string, string>> = {
  zod: ZOD_WITHOUT_LOCALES,
  'zod/v4': ZOD_WITHOUT_LOCALES,
  'zod/v4/core': join(import.meta.dirname, 'zod-core.ts'),
};

/** Prepended to every ESM bundle: bundled CommonJS dependencies still call require(). */
export const ESM_REQUIRE_BANNER =
  "import { createRequire as __logbookCreateRequire } from 'node:module';const require = __logbookCreateRequire(import.meta.url);";

/** The aliases as NodejsFunction `bundling.esbuildArgs`. */
export function aliasArgs(): Record<string, string> {
  return Object.fromEntries(Object.entries(BUNDLE_ALIASES).map(([name, path]) => [`--alias:${name}`, path]));
}

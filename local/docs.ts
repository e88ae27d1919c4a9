import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { buildDocument } from '../functions/openapi/document.ts';

/**
 * The HTML API reference: Redocly's `build-docs` over the generated OpenAPI document. `npm run
 * docs` builds it; the dev gateway serves it at `/docs`, building it on the first request when
 * it is missing.
 */
const ROOT = fileURLToPath(new URL('..', import.meta.url));
export const API_REFERENCE_FILE = join(ROOT, 'cdk.out', 'api-reference.html');

export async function buildApiReference(out = API_REFERENCE_FILE): Promise<string> {
  mkdirSync(dirname(out), { recursive: true });
  const spec = join(dirname(out), 'openapi.json');
  writeFileSync(spec, `${JSON.stringify(buildDocument(), null, 2)}\n`);
  await promisify(execFile)(
    join(ROOT, 'node_modules', '.bin', 'redocly'),
    ['build-docs', spec, '--output', out, '--title', 'Logbook API reference'],
    { cwd: ROOT },
  );
  return out;
}

let building: Promise<string> | undefined;

/** The reference's HTML, built once per process when the file is missing. */
export async function apiReferenceHtml(file = API_REFERENCE_FILE): Promise<string> {
  if (!existsSync(file)) {
    building ??= buildApiReference(file).finally(() => {
      building = undefined;
    });
    await building;
  }
  return readFileSync(file, 'utf8');
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const out = process.argv[2] ?? API_REFERENCE_FILE;
  console.log(`wrote ${await buildApiReference(out)}`);
}

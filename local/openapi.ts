import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { parseArgs } from 'node:util';
import { buildDocument } from '../functions/openapi/document.ts';

/** `npm run openapi [-- --out file]`: prints or writes the generated OpenAPI document. */
const { values } = parseArgs({ options: { out: { type: 'string' } } });
const text = `${JSON.stringify(buildDocument(), null, 2)}\n`;
if (values.out) {
  mkdirSync(dirname(values.out), { recursive: true });
  writeFileSync(values.out, text);
  console.error(`wrote ${values.out}`);
} else process.stdout.write(text);

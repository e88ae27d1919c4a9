import { writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { coldStart } from './cold-start.ts';
import { markdown, type Section } from './lib/report.ts';

/**
 * `npm run bench [-- --quick] [-- --only id,id]`: every section measures its subject against a
 * baseline taken in the same run and prints ratios. Writes bench/results.json.
 */
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
process.env.POWERTOOLS_LOG_LEVEL ??= 'SILENT';

const { values } = parseArgs({
  options: { quick: { type: 'boolean', default: false }, only: { type: 'string' } },
});
const quick = values.quick ?? false;
const only = values.only ? new Set(values.only.split(',')) : null;

type Runner = (o: { quick: boolean }) => Promise<Section | Section[]>;
const SECTIONS: Array<[string, Runner]> = [['cold-start', coldStart]];

const results: Section[] = [];
for (const [id, run] of SECTIONS) {
  if (only && !only.has(id)) continue;
  console.error(`bench: ${id} …`);
  const out = await run({ quick });
  for (const s of Array.isArray(out) ? out : [out]) {
    results.push(s);
    console.log(`${markdown(s)}\n`);
  }
}
// Quick runs (the smoke check in `npm test`) never overwrite the committed full results.
const file = quick
  ? join(resolve(import.meta.dirname), 'data', 'results.quick.json')
  : join(resolve(import.meta.dirname), 'results.json');
writeFileSync(
  file,
  `${JSON.stringify({ at: new Date().toISOString(), quick, node: process.version, sections: results }, null, 2)}\n`,
);
console.error(`bench: wrote ${file}`);

import { readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { markdown, type Section } from './lib/report.ts';

/**
 * Rewrites the "Latest full results" of docs/performance.md from bench/results.json, so the page
 * shows exactly what the last full runs measured: `npm run bench:docs` after `npm run bench`.
 */
const ROOT = resolve(import.meta.dirname, '..');
const ORDER = ['query-efficiency', 'hot-tenants', 'exports', 'write-path', 'cold-start'];
const HEADING = '## Latest full results';

const results = JSON.parse(readFileSync(join(ROOT, 'bench', 'results.json'), 'utf8')) as {
  node: string;
  sections: Array<Section & { at?: string }>;
};
const sections = [...results.sections].sort((a, b) => ORDER.indexOf(a.id) - ORDER.indexOf(b.id));
const body = sections
  .map((s) => `${markdown(s)}\n\n_Measured ${s.at ?? 'at an unrecorded time'} (node ${results.node})._`)
  .join('\n\n');
const docPath = join(ROOT, 'docs', 'performance.md');
const doc = readFileSync(docPath, 'utf8');
const at = doc.indexOf(HEADING);
if (at < 0) throw new Error(`${docPath} has no "${HEADING}" section`);
const intro =
  'From `bench/results.json` (full runs on 2 shared cores; `npm run bench -- --only …` refreshes some sections, each records when it ran), rendered by `npm run bench:docs`.';
writeFileSync(docPath, `${doc.slice(0, at)}${HEADING}\n\n${intro}\n\n${body}\n`);
console.error(`bench: wrote the latest results into ${docPath}`);

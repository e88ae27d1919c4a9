import '../local/env.ts';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { coldStart } from './cold-start.ts';
import { exportsAtScale } from './exports.ts';
import { hotTenants } from './hot-tenants.ts';
import { type BenchContext, startBenchContext } from './lib/context.ts';
import { markdown, type Section } from './lib/report.ts';
import { queryEfficiency } from './query-efficiency.ts';
import { scheduleTick } from './schedule-tick.ts';
import { sealing } from './sealing.ts';
import { writePath } from './write-path.ts';

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

/** Sections that read the seeded dataset share one DynamoDB Local, started and seeded on first use. */
let context: Promise<BenchContext> | undefined;
const data = () => {
  // The shared dataset is loaded only when a section that reads it runs.
  const seed = !only || only.has('query-efficiency') || only.has('hot-tenants');
  context ??= startBenchContext({ quick, progress: true, seed });
  return context;
};

/**
 * Ctrl-C or a kill stops the emulators and removes a full run's data directory before leaving;
 * while the context is still starting, leaving runs the exit hooks that kill DynamoDB Local and
 * remove the directory.
 */
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    console.error(`bench: ${signal}, stopping …`);
    const leave = () => process.exit(signal === 'SIGINT' ? 130 : 143);
    setTimeout(leave, 10_000).unref();
    const started = context
      ? Promise.race([context, new Promise<undefined>((r) => setTimeout(r, 100, undefined))])
      : Promise.resolve(undefined);
    started
      .then((c) => c?.stop())
      .catch(() => undefined)
      .finally(leave);
  });
}

type Runner = (o: { quick: boolean }) => Promise<Section | Section[]>;
const SECTIONS: Array<[string, Runner]> = [
  ['query-efficiency', async () => queryEfficiency(await data())],
  ['hot-tenants', async () => hotTenants(await data())],
  ['exports', async () => exportsAtScale(await data())],
  ['schedule-tick', async () => scheduleTick(await data())],
  ['write-path', writePath],
  ['sealing', sealing],
  ['cold-start', coldStart],
];

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
if (context) await (await context).stop();
// Quick runs (the smoke check in `npm test`) never overwrite the committed full results.
const file = quick
  ? join(resolve(import.meta.dirname), 'data', 'results.quick.json')
  : join(resolve(import.meta.dirname), 'results.json');
mkdirSync(dirname(file), { recursive: true });
// `--only` refreshes those sections and keeps the others of the file (each section records when it ran).
const at = new Date().toISOString();
let sections: Array<Section & { at?: string }> = results.map((s) => ({ ...s, at }));
if (only && existsSync(file)) {
  const previous = JSON.parse(readFileSync(file, 'utf8')) as { sections?: Array<Section & { at?: string }> };
  const fresh = new Set(sections.map((s) => s.id));
  sections = [...(previous.sections ?? []).filter((s) => !fresh.has(s.id)), ...sections];
}
writeFileSync(file, `${JSON.stringify({ at, quick, node: process.version, sections }, null, 2)}\n`);
console.error(`bench: wrote ${file}`);

import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildConsole } from '../../../local/console.ts';

/**
 * The admin console's bundle budget: all of its JavaScript (Lit, the typed client and the five
 * components) gzipped stays within CONSOLE_JS_BUDGET_GZIP. Built fresh into a temporary folder.
 */
const CONSOLE_JS_BUDGET_GZIP = 40 * 1024;

let out: string;

beforeAll(async () => {
  out = mkdtempSync(join(tmpdir(), 'logbook-console-'));
  await buildConsole(out);
}, 120_000);

afterAll(() => {
  rmSync(out, { recursive: true, force: true });
});

describe('the console bundle', () => {
  it(`keeps its gzipped JavaScript within ${CONSOLE_JS_BUDGET_GZIP / 1024} KB`, () => {
    const scripts = readdirSync(join(out, 'assets')).filter((f) => f.endsWith('.js'));
    expect(scripts.length).toBeGreaterThan(0);
    const gzipped = scripts.reduce(
      (sum, f) => sum + gzipSync(readFileSync(join(out, 'assets', f))).length,
      0,
    );
    expect(gzipped).toBeLessThanOrEqual(CONSOLE_JS_BUDGET_GZIP);
  });

  it('loads scripts and styles from files only, so the CSP needs no unsafe-inline', () => {
    const index = readFileSync(join(out, 'index.html'), 'utf8');
    expect(index).toMatch(/<script type="module" crossorigin src="\.\/assets\/[^"]+\.js"><\/script>/);
    expect(index).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);
    expect(index).not.toMatch(/<style|\sstyle=/);
  });
});

import { spawn } from 'node:child_process';
import { resolve as resolvePath } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runSmoke } from '../../ops/smoke.ts';
import { baseUrl, tokensFor, uniqueTenant } from './helpers.ts';

/**
 * `npm run smoke` against the local stack, so it cannot rot: the round trip a platform team runs
 * against a deployed stage (docs/deploy.md), imported and as the command itself.
 */
const tenant = uniqueTenant('smoke');

function cli(args: string[]): Promise<{ code: number | null; stdout: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'ops/smoke.ts', ...args], {
      cwd: resolvePath(import.meta.dirname, '../..'),
      env: { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
    });
    let stdout = '';
    child.stdout.on('data', (d) => {
      stdout += String(d);
    });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout }));
  });
}

describe('the smoke test', () => {
  it('passes every step against the local stack, writes included, one line per step', async () => {
    const tokens = await tokensFor(tenant);
    const lines: string[] = [];
    const results = await runSmoke(
      { url: baseUrl(), token: tokens.admin, write: true, serviceToken: tokens.service },
      (line) => lines.push(line),
    );
    expect(results.filter((r) => !r.ok)).toEqual([]);
    expect(results.map((r) => r.step)).toEqual([
      'health',
      'openapi',
      'audit list',
      'activity list',
      'export',
      'download',
      'audit ingest',
      'audit read-back',
    ]);
    expect(lines).toHaveLength(results.length + 1);
    expect(lines.at(-1)).toBe('smoke: all 8 steps passed');
  });

  it('as `npm run smoke`: exits 0 when green, and non-zero naming the failing steps', async () => {
    const tokens = await tokensFor(tenant);
    const [green, red] = await Promise.all([
      cli(['--url', baseUrl(), '--token', tokens.admin]),
      cli(['--url', baseUrl(), '--token', tokens.learner]),
    ]);
    expect(green.code, green.stdout).toBe(0);
    expect(green.stdout).toMatch(/^ok {4}download/m);
    expect(red.code, red.stdout).toBe(1);
    expect(red.stdout).toMatch(/^ok {4}health/m);
    expect(red.stdout).toMatch(/^FAIL {2}audit list +answered 403/m);
    expect(red.stdout).toMatch(/steps failed$/m);
  });
});

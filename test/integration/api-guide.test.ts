import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { baseUrl, tokensFor, uniqueTenant } from './helpers.ts';

/**
 * docs/api.md's examples are run, in order, against the local stack: every ```bash block is a
 * script that must exit 0 (its curls use -f, so an HTTP error fails it).
 */
const guide = readFileSync(new URL('../../docs/api.md', import.meta.url), 'utf8');
const blocks = [...guide.matchAll(/```bash\n([\s\S]*?)```/g)].map((m) => m[1] ?? '');
const tenant = uniqueTenant('guide');
let env: Record<string, string>;

beforeAll(async () => {
  const t = await tokensFor(tenant);
  env = {
    ...process.env,
    BASE: baseUrl(),
    TENANT: tenant,
    TOKEN: t.owner,
    SERVICE_TOKEN: t.service,
  } as Record<string, string>;
});

describe('docs/api.md', () => {
  it('has a curl example for each area', () => {
    expect(blocks.length).toBeGreaterThanOrEqual(10);
    for (const area of [
      '/v1/catalog',
      '/v1/audit-events',
      '/v1/directory',
      '/v1/activity',
      '/v1/exports',
      '/v1/reports',
    ]) {
      expect(
        blocks.some((b) => b.includes(area)),
        area,
      ).toBe(true);
    }
  });

  it('every example runs against the local stack', { timeout: 180_000 }, async () => {
    for (const [i, script] of blocks.entries()) {
      const run = promisify(execFile)('bash', ['-eo', 'pipefail', '-c', script], { env, timeout: 60_000 });
      await expect(run, `block ${i + 1}:\n${script}`).resolves.toBeDefined();
    }
  });
});

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { curlExample, startBanner } from '../../local/banner.ts';
import { TOKEN_USAGE, tokenCli } from '../../local/token-cli.ts';
import { verifyToken } from '../../local/tokens.ts';

function run(argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  return tokenCli(argv, { out: (l) => out.push(l), err: (l) => err.push(l) }).then((code) => ({
    code,
    out,
    err,
  }));
}

describe('what a newcomer meets first', () => {
  it('`npm run token -- --help` prints usage and exits 0', async () => {
    const r = await run(['--help']);
    expect(r).toMatchObject({ code: 0, out: [TOKEN_USAGE], err: [] });
    expect(TOKEN_USAGE).toMatch(/--tenant/);
  });

  it('an unknown option or a bad lifetime prints usage or a reason, not a stack trace', async () => {
    const r = await run(['--tennant', 'demo']);
    expect(r.code).toBe(2);
    expect(r.err.join('\n')).toContain('Usage: npm run token');
    expect(r.err.join('\n')).not.toMatch(/\n\s+at /);
    const bad = await run(['--tenant', 'demo', '--expires', 'soon']);
    expect(bad.code).toBe(2);
    expect(bad.err.join('\n')).toMatch(/^Could not mint the token/);
  });

  it('mints a token the gateway accepts', async () => {
    const r = await run(['--tenant', 'demo', '--role', 'owner', '--sub', 'u1']);
    expect(r.code).toBe(0);
    expect(await verifyToken(r.out[0] ?? '')).toMatchObject({ tenant_id: 'demo', role: 'owner', sub: 'u1' });
  });

  it('`npm start` prints a ready-to-paste curl line with the admin token filled in', () => {
    const banner = startBanner({
      url: 'http://localhost:3000',
      dataDir: '.logbook',
      tenant: 'demo',
      seeded: true,
      sesEndpoint: 'http://localhost:8602',
      dynamoEndpoint: 'http://localhost:8600',
      s3Endpoint: 'http://localhost:8601',
      tokens: [
        { label: 'owner', name: 'Olivia Owner', role: 'owner', token: 'OWNER.TOKEN' },
        { label: 'admin', name: 'Adam Admin', role: 'admin', token: 'ADMIN.TOKEN' },
      ],
    });
    expect(banner).toContain(curlExample('http://localhost:3000', 'ADMIN.TOKEN'));
    expect(curlExample('http://x', 'T')).toBe(
      "curl -s 'http://x/v1/audit-events?limit=5' -H 'authorization: Bearer T'",
    );
    expect(banner).not.toContain('<admin token>');
    expect(banner).toContain('http://localhost:3000/docs');
  });

  it('approves every dependency install script (npm 11 allowScripts), so npm ci prints no warning', () => {
    const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as {
      allowScripts?: Record<string, boolean>;
    };
    const lock = JSON.parse(readFileSync('package-lock.json', 'utf8')) as {
      packages: Record<string, { hasInstallScript?: boolean }>;
    };
    const scripted = Object.entries(lock.packages)
      .filter(([path, p]) => p.hasInstallScript && path.includes('node_modules/'))
      .map(([path]) => path.slice(path.lastIndexOf('node_modules/') + 'node_modules/'.length));
    expect(scripted.length).toBeGreaterThan(0);
    for (const name of scripted) expect(pkg.allowScripts?.[name], name).toBeDefined();
  });
});

describe('the README', () => {
  it('references nothing outside the repository, and links the API guide and /docs', () => {
    const readme = readFileSync('README.md', 'utf8');
    expect(readme).not.toMatch(/\.\.\/shared|\]\(\.\.\//);
    expect(readme).toContain('(docs/api.md)');
    expect(readme).toContain('/docs');
  });
});

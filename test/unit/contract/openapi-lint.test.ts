import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildDocument } from '../../../functions/openapi/document.ts';
import { ROUTES } from '../../../functions/routes.ts';

describe('the OpenAPI document', () => {
  const doc = buildDocument() as unknown as {
    openapi: string;
    paths: Record<string, Record<string, unknown>>;
  };

  it('is OpenAPI 3.1 and lints clean with @redocly/cli (no errors, no warnings)', {
    timeout: 120_000,
  }, () => {
    const dir = mkdtempSync(join(tmpdir(), 'openapi-'));
    const file = join(dir, 'openapi.json');
    writeFileSync(file, JSON.stringify(doc));
    let out: string;
    try {
      out = execFileSync(join('node_modules', '.bin', 'redocly'), ['lint', file, '--format=json'], {
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'pipe'],
      });
    } catch (err) {
      out = (err as { stdout?: string }).stdout ?? '';
    }
    const report = JSON.parse(out) as { totals: { errors: number; warnings: number }; problems: unknown[] };
    expect(report.problems).toEqual([]);
    expect(report.totals).toMatchObject({ errors: 0, warnings: 0 });
    expect(doc.openapi).toBe('3.1.0');
  });

  it('has zero findings under Spectral’s spectral:oas ruleset (.spectral.yaml)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'openapi-'));
    const file = join(dir, 'openapi.json');
    writeFileSync(file, JSON.stringify(doc));
    let out: string;
    try {
      out = execFileSync(
        join('node_modules', '.bin', 'spectral'),
        ['lint', file, '--ruleset', '.spectral.yaml', '--format', 'json', '--quiet'],
        { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] },
      );
    } catch (err) {
      out = (err as { stdout?: string }).stdout ?? '';
    }
    const findings = JSON.parse(out || '[]') as { code: string; message: string; path: string[] }[];
    expect(findings.map((f) => `${f.code} ${f.path.join('.')}: ${f.message}`)).toEqual([]);
  }, 120_000);

  it('documents every route the gateway serves, with its method', () => {
    for (const route of ROUTES) {
      expect(doc.paths[route.path], route.path).toBeDefined();
      expect(
        doc.paths[route.path]?.[route.method.toLowerCase()],
        `${route.method} ${route.path}`,
      ).toBeDefined();
    }
  });
});

import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from './synth.ts';

// The layers of shared/ and functions/ (docs/architecture.md), held by dependency-cruiser with
// the rules of .dependency-cruiser.cjs — the same check as `npm run lint:imports`.

const CONFIG = join(REPO_ROOT, '.dependency-cruiser.cjs');
const DEPCRUISE = join(REPO_ROOT, 'node_modules', 'dependency-cruiser', 'bin', 'dependency-cruise.mjs');

interface Violation {
  from: string;
  to: string;
  rule: { name: string };
}

/** Cruises shared/ and functions/ below `cwd`; the violations found, as `rule: from → to`. */
function violations(cwd: string): string[] {
  const run = spawnSync(
    process.execPath,
    [DEPCRUISE, 'shared', 'functions', '--config', CONFIG, '--output-type', 'json'],
    { cwd, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 },
  );
  if (!run.stdout) throw new Error(`dependency-cruiser failed: ${run.stderr}`);
  const out = JSON.parse(run.stdout) as { summary: { violations: Violation[] } };
  return out.summary.violations.map((v) => `${v.rule.name}: ${v.from} → ${v.to}`).sort();
}

const FIXTURE = mkdtempSync(join(tmpdir(), 'logbook-layers-'));
afterAll(() => rmSync(FIXTURE, { recursive: true, force: true }));

/** A tree in the repository's shape, each file importing the targets given. */
function fixture(files: Record<string, string[]>): string {
  for (const [file, imports] of Object.entries(files)) {
    const path = join(FIXTURE, file);
    mkdirSync(dirname(path), { recursive: true });
    const depth = file.split('/').length - 1;
    const up = '../'.repeat(depth);
    writeFileSync(
      path,
      `${imports.map((target, i) => `import * as m${i} from '${up}${target}';`).join('\n')}\nexport const x = 1;\n`,
    );
  }
  return FIXTURE;
}

describe('import rules', () => {
  it('finds no import across the layers in shared/ and functions/', () => {
    expect(violations(REPO_ROOT)).toEqual([]);
  }, 120_000);

  it('names each layer a file reaches past', () => {
    const cwd = fixture({
      'shared/domain/caller.ts': [],
      'shared/domain/audit/schema.ts': ['shared/domain/caller.ts', 'shared/http/caller.ts'],
      'shared/http/caller.ts': ['shared/domain/caller.ts', 'shared/adapters/dynamodb/store.ts'],
      'shared/query/cursor.ts': ['shared/config.ts'],
      'shared/config.ts': [],
      'shared/use-cases/audit/ports.ts': ['shared/domain/caller.ts', 'shared/adapters/dynamodb/store.ts'],
      'shared/use-cases/audit/ingest.ts': [
        'shared/use-cases/audit/ports.ts',
        'shared/domain/audit/schema.ts',
        'shared/http/caller.ts',
      ],
      'shared/adapters/dynamodb/store.ts': [
        'shared/use-cases/audit/ports.ts',
        'shared/use-cases/audit/ingest.ts',
      ],
      'shared/composition/audit.ts': [
        'shared/adapters/dynamodb/store.ts',
        'shared/config.ts',
        'functions/audit/local.ts',
      ],
      'shared/http/routes/audit.ts': ['shared/domain/audit/schema.ts', 'shared/http/caller.ts'],
      'shared/observability.ts': [],
      'shared/signing.ts': [],
      'functions/routes.ts': [],
      'functions/audit/local.ts': [],
      'functions/exports/handler.ts': [],
      'functions/openapi/document.ts': ['functions/routes.ts', 'shared/http/routes/audit.ts'],
      'functions/audit/handler.ts': [
        'functions/audit/local.ts',
        'shared/composition/audit.ts',
        'shared/http/caller.ts',
        'shared/http/routes/audit.ts',
        'shared/config.ts',
        'shared/observability.ts',
        'shared/use-cases/audit/ingest.ts',
        'shared/domain/caller.ts',
        'shared/adapters/dynamodb/store.ts',
        'shared/use-cases/audit/ports.ts',
        'shared/signing.ts',
        'shared/query/cursor.ts',
        'functions/exports/handler.ts',
      ],
    });
    expect(violations(cwd)).toEqual([
      'adapters-never-import-use-cases: shared/adapters/dynamodb/store.ts → shared/use-cases/audit/ingest.ts',
      'domain-imports-only-domain: shared/domain/audit/schema.ts → shared/http/caller.ts',
      'functions-import-composition-and-http: functions/audit/handler.ts → functions/exports/handler.ts',
      'functions-import-composition-and-http: functions/audit/handler.ts → shared/adapters/dynamodb/store.ts',
      'functions-import-composition-and-http: functions/audit/handler.ts → shared/domain/caller.ts',
      'functions-import-composition-and-http: functions/audit/handler.ts → shared/query/cursor.ts',
      'functions-import-composition-and-http: functions/audit/handler.ts → shared/signing.ts',
      'functions-import-composition-and-http: functions/audit/handler.ts → shared/use-cases/audit/ingest.ts',
      'functions-import-composition-and-http: functions/audit/handler.ts → shared/use-cases/audit/ports.ts',
      'http-imports-domain-only: shared/http/caller.ts → shared/adapters/dynamodb/store.ts',
      'ports-import-only-domain: shared/use-cases/audit/ports.ts → shared/adapters/dynamodb/store.ts',
      'query-helpers-are-pure: shared/query/cursor.ts → shared/config.ts',
      'shared-never-imports-functions: shared/composition/audit.ts → functions/audit/local.ts',
      'use-cases-import-domain-and-ports: shared/use-cases/audit/ingest.ts → shared/http/caller.ts',
      'use-cases-import-domain-and-ports: shared/use-cases/audit/ports.ts → shared/adapters/dynamodb/store.ts',
    ]);
  }, 120_000);
});

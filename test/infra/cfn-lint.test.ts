import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { synthLogbook } from './synth.ts';

/**
 * cfn-lint (AWS's CloudFormation linter, a Python tool preinstalled on the build machines) over
 * both synthesized templates: no errors, and no warnings except those named here with a reason.
 * Without cfn-lint on the PATH the test is skipped, saying so.
 */
const IGNORED: Record<string, string> = {
  W3005:
    'CDK adds DependsOn entries that an intrinsic (Ref/GetAtt) already implies; they are redundant, not wrong, and come from aws-cdk-lib, not from our constructs.',
};

const probe = spawnSync('cfn-lint', ['--version'], { encoding: 'utf8' });
const available = probe.status === 0;
if (!available) {
  console.warn('cfn-lint is not on the PATH: skipping the cfn-lint test (pip install cfn-lint to run it).');
}

interface Finding {
  Rule: { Id: string };
  Level: string;
  Message: string;
  Filename: string;
  Location: { Path?: unknown[] };
}

describe.skipIf(!available)(`cfn-lint ${probe.stdout?.trim() ?? ''}`, () => {
  it('finds no error and no unexplained warning in the synthesized templates', () => {
    const s = synthLogbook();
    const assembly = s.app.synth();
    const templates = readdirSync(assembly.directory)
      .filter((f) => f.endsWith('.template.json'))
      .map((f) => join(assembly.directory, f));
    expect(templates).toHaveLength(2);
    const run = spawnSync(
      'cfn-lint',
      ['--format', 'json', '--ignore-checks', ...Object.keys(IGNORED), '--', ...templates],
      { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 },
    );
    const findings = JSON.parse(run.stdout || '[]') as Finding[];
    const shown = findings.map(
      (f) =>
        `${f.Level} ${f.Rule.Id} ${f.Filename.split('/').at(-1)} ${JSON.stringify(f.Location.Path)}: ${f.Message}`,
    );
    expect(shown).toEqual([]);
    expect(run.status, run.stderr).toBe(0);
  });

  it('names a reason for every rule it ignores', () => {
    for (const [id, reason] of Object.entries(IGNORED)) {
      expect(id).toMatch(/^[EWI]\d{4}$/);
      expect(reason.length).toBeGreaterThan(40);
    }
  });
});

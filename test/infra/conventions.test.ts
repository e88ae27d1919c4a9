import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from './synth.ts';

const INFRA = join(REPO_ROOT, 'infra');
const CONSTRUCT = join(INFRA, 'constructs', 'service-function.ts');

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory()
      ? sources(join(dir, entry.name))
      : entry.name.endsWith('.ts')
        ? [join(dir, entry.name)]
        : [],
  );
}

describe('infra conventions', () => {
  it('sets function environment and function IAM only inside the ServiceFunction bind* helpers', () => {
    const offenders = sources(INFRA)
      .filter((file) => file !== CONSTRUCT)
      .filter((file) =>
        /\.addEnvironment\(|environment:\s*\{|\.addToRolePolicy\(|\.addToPrincipalPolicy\(|\.grant[A-Z]\w*\(/.test(
          readFileSync(file, 'utf8'),
        ),
      )
      .map((file) => relative(REPO_ROOT, file));
    expect(offenders).toEqual([]);
  });

  it('never spells a table key outside shared/adapters/dynamodb/tables.ts', () => {
    const offenders = sources(INFRA)
      .filter((file) =>
        /partitionKey:\s*['"]|sortKey:\s*['"]|indexName:\s*['"]/.test(readFileSync(file, 'utf8')),
      )
      .map((file) => relative(REPO_ROOT, file));
    expect(offenders).toEqual([]);
  });
});

import { describe, expect, it } from 'vitest';
import { dynamoDocumentClient } from '../../../shared/adapters/dynamodb/client.ts';
import { logSources } from '../../../shared/composition/log-sources.ts';
import { loadConfig } from '../../../shared/config.ts';
import { ValidationError } from '../../../shared/domain/errors.ts';
import { caller } from './fakes.ts';

/** The logs' own filter schemas, as exports apply them: every bad filter named under `filters.`. */
const config = loadConfig({ STAGE: 'test', DYNAMODB_ENDPOINT: 'http://127.0.0.1:9' });
const { sources } = logSources(config, dynamoDocumentClient(config));

async function pathsOf(promise: Promise<unknown>): Promise<string[]> {
  const err = await promise.catch((e) => e);
  expect(err).toBeInstanceOf(ValidationError);
  return (err as ValidationError).errors.map((e) => e.path);
}

describe('export filters, checked with the logs’ schemas', () => {
  it('names unknown, malformed and out-of-catalog audit filters', async () => {
    const paths = await pathsOf(
      sources.validateFilters('audit', caller('admin'), { bogus: '1', from: 'yesterday', action: 'Danced' }),
    );
    expect(paths).toEqual(expect.arrayContaining(['filters.bogus', 'filters.from', 'filters.action[0]']));
  });

  it('rejects a window whose start is after its end', async () => {
    const filters = { from: '2026-11-02T00:00:00.000Z', to: '2026-11-01T00:00:00.000Z' };
    expect(await pathsOf(sources.validateFilters('audit', caller('admin'), filters))).toEqual([
      'filters.from',
    ]);
    expect(await pathsOf(sources.validateFilters('activity', caller('admin'), filters))).toEqual([
      'filters.from',
    ]);
  });

  it('names unknown activity filters one by one', async () => {
    const paths = await pathsOf(
      sources.validateFilters('activity', caller('hr'), { nope: '1', alsoNope: '2', completed: 'maybe' }),
    );
    expect(paths).toEqual(expect.arrayContaining(['filters.nope', 'filters.alsoNope', 'filters.completed']));
  });

  it('accepts the list routes’ filters as they are', async () => {
    await expect(
      sources.validateFilters('audit', caller('admin'), {
        action: 'Created,Deleted',
        system: 'false',
        ip: '10.0.0.0/8',
        to: '2026-11-22T10:00:00.000Z',
      }),
    ).resolves.toBeUndefined();
  });

  it('labels audit actions from the catalog', () => {
    expect(sources.auditActionLabel?.('PasswordChanged')).toBe('Password changed');
    expect(sources.auditActionLabel?.('NotInCatalog')).toBe('NotInCatalog');
  });
});

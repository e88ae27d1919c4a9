import { afterEach, describe, expect, it, vi } from 'vitest';
import { apiEvent, lambdaContext } from '../../fixtures/events.ts';

/**
 * Metrics are CloudWatch EMF lines that Powertools writes once per invocation. The suite runs
 * with them disabled; this file turns them on and reads what an API handler flushes.
 */
afterEach(() => {
  vi.unstubAllEnvs();
  vi.restoreAllMocks();
  vi.resetModules();
});

async function emfLinesOf(run: () => Promise<unknown>): Promise<Array<Record<string, unknown>>> {
  const lines: string[] = [];
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    lines.push(String(chunk));
    return true;
  });
  vi.spyOn(console, 'log').mockImplementation((...args: unknown[]) => {
    lines.push(args.map(String).join(' '));
  });
  await run();
  return lines
    .flatMap((l) => l.split('\n'))
    .filter((l) => l.includes('"_aws"'))
    .map((l) => JSON.parse(l) as Record<string, unknown>);
}

describe('business metrics', () => {
  it('flushes the ingest counts and the query cost of an invocation as EMF', async () => {
    vi.stubEnv('POWERTOOLS_METRICS_DISABLED', 'false');
    vi.stubEnv('POWERTOOLS_DEV', 'false');
    vi.resetModules();
    const { apiHandler } = await import('../../../shared/http/handler.ts');
    const { json } = await import('../../../shared/http/responses.ts');
    const { recordIngest, recordQueryCost } = await import('../../../shared/observability.ts');
    const handler = apiHandler({ auth: 'none' }, async () => {
      recordIngest('Audit', [{ status: 'created' }, { status: 'created' }, { status: 'duplicate' }]);
      recordQueryCost(51, 50);
      return json(200, {});
    });
    const emf = await emfLinesOf(() => handler(apiEvent({}), lambdaContext));
    const merged = Object.assign({}, ...emf);
    expect(merged).toMatchObject({
      AuditEventsCreated: 2,
      AuditEventsDuplicate: 1,
      QueryItemsRead: 51,
      QueryItemsReturned: 50,
      service: 'logbook',
    });
    const names = emf.flatMap((e) =>
      (
        (e._aws as { CloudWatchMetrics: Array<{ Namespace: string; Metrics: Array<{ Name: string }> }> })
          .CloudWatchMetrics ?? []
      ).flatMap((m) => m.Metrics.map((x) => `${m.Namespace}/${x.Name}`)),
    );
    expect(names).toEqual(expect.arrayContaining(['Logbook/AuditEventsCreated', 'Logbook/QueryItemsRead']));
  });
});

import { beforeAll, describe, expect, it } from 'vitest';
import { createLogbookClient } from '../../packages/client/src/index.ts';
import { baseUrl, tokensFor, uniqueTenant } from './helpers.ts';

/** The typed client (packages/client) against the local stack, so it cannot drift from the API. */
const tenant = uniqueTenant('cli');
let t: Awaited<ReturnType<typeof tokensFor>>;
const at = (minute: number) => new Date(Date.UTC(2026, 10, 20, 9, minute)).toISOString();

beforeAll(async () => {
  t = await tokensFor(tenant);
  const service = createLogbookClient({ baseUrl: baseUrl(), token: t.service });
  const events = Array.from({ length: 7 }, (_, i) => ({
    id: `cli-${i}`,
    tenantId: tenant,
    occurredAt: at(i),
    actor: { type: 'user' as const, id: 'u-admin', name: 'Ada Admin' },
    action: i % 2 ? ('Deleted' as const) : ('Created' as const),
    object: { type: 'User' as const, id: `u${i}`, name: `Zoë ${i}` },
    source: { kind: 'web' as const },
  }));
  const { response } = await service.raw.POST('/v1/audit-events', { body: { events } });
  expect(response.status).toBe(200);
});

describe('the typed client against the local stack', () => {
  it('iterates a filtered list across pages with for await', async () => {
    const client = createLogbookClient({ baseUrl: baseUrl(), token: t.admin });
    const ids: string[] = [];
    for await (const e of client.auditEvents.list({ action: ['Deleted'], from: '2026-11-20', limit: 2 })) {
      ids.push(e.id);
    }
    expect(ids).toEqual(['cli-5', 'cli-3', 'cli-1']);
  });

  it('reads the catalog', async () => {
    const client = createLogbookClient({ baseUrl: baseUrl(), token: t.learner });
    expect((await client.catalog()).sources).toContainEqual({ value: 'csv_import', label: 'CSV Import' });
  });

  it('runs an export to the file, waiting for it and downloading it', async () => {
    const client = createLogbookClient({ baseUrl: baseUrl(), token: t.admin });
    const file = await client.exports.run(
      { log: 'audit', format: 'csv', filters: { action: ['Created'], from: '2026-11-20', to: '2026-11-21' } },
      { pollMs: 200 },
    );
    const rows = file.text().trim().split('\r\n');
    expect(rows).toHaveLength(1 + 4);
    expect(file.text()).toContain('Zoë 0');
    expect(file.export.rowCount).toBe(4);
  });

  it('throws the problem with every bad field', async () => {
    const client = createLogbookClient({ baseUrl: baseUrl(), token: t.admin });
    await expect(client.auditEvents.page({ from: 'soon', to: 'later' })).rejects.toMatchObject({
      status: 400,
      problem: { errors: [{ path: 'from' }, { path: 'to' }] },
    });
  });
});

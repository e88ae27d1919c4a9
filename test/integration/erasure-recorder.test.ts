import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { api, tokensFor, uniqueTenant } from './helpers.ts';
import { exportText as exportFile } from './support/export-file.ts';
import { postLocal } from './support/local.ts';
import { rawDynamo } from './support/raw-dynamo.ts';

/**
 * Erasure of a person who recorded activity on other learners' behalf (`recordedBy`), through the
 * HTTP API into the emulators: their name is stored sealed under their data key, reads and exports
 * show it until the erasure, and `"[erased]"` from then on, while the learner keeps their name.
 */
const raw = rawDynamo();
afterAll(() => raw.destroy());
type Tokens = Awaited<ReturnType<typeof tokensFor>>;

const MIA = { id: 'u-mia', name: 'Miriam Vantablack' };
const LEE = { id: 'u-lee', name: 'Lee Learner' };

const exportText = (t: Tokens, format: 'csv' | 'json') =>
  exportFile(t.owner, { log: 'activity', format, filters: { from: '2000-01-01T00:00:00Z' } });

describe('erasure of a person who recorded activity for others', () => {
  const tenant = uniqueTenant('erase-rec');
  let t: Tokens;

  beforeAll(async () => {
    t = await tokensFor(tenant);
    const dir = await api('/v1/directory/users', {
      method: 'PUT',
      token: t.service,
      body: {
        tenantId: tenant,
        users: [
          {
            id: LEE.id,
            firstName: 'Lee',
            lastName: 'Learner',
            email: 'lee@example.com',
            role: 'Learner',
            status: 'active',
          },
          {
            id: MIA.id,
            firstName: 'Miriam',
            lastName: 'Vantablack',
            email: 'mia@example.com',
            role: 'Manager',
            status: 'active',
          },
        ],
      },
    });
    expect(dir.status, dir.text).toBe(200);
    const act = await api('/v1/activity-events', {
      token: t.service,
      body: {
        events: [
          {
            id: 'marked',
            tenantId: tenant,
            occurredAt: new Date(Date.now() - 60_000).toISOString(),
            userId: LEE.id,
            action: 'Completed',
            content: { type: 'Item', id: 'fire-101', title: 'Fire Safety' },
            recordedBy: MIA,
          },
        ],
      },
    });
    expect(act.status, act.text).toBe(200);
  }, 60_000);

  it('stores the recorder’s name sealed, and reads it back whole', async () => {
    const item = (
      await raw.send(
        new GetCommand({ TableName: inject('tables').activity, Key: { pk: `${tenant}#marked` } }),
      )
    ).Item!;
    expect(JSON.stringify(item)).not.toContain('Vantablack');
    const res = await api('/v1/activity?from=2000-01-01T00:00:00Z', { token: t.owner });
    expect(res.status, res.text).toBe(200);
    expect(res.body.items[0].recordedBy).toEqual(MIA);
    expect(res.body.items[0].description).toContain(`(recorded by ${MIA.name})`);
  });

  it('shows "[erased]" for the recorder once erased, in reads and exports, and the learner keeps their name', async () => {
    const res = await api('/v1/erasures', { token: t.owner, body: { personId: MIA.id } });
    expect(res.status, res.text).toBe(202);
    await postLocal('/_local/erasure-jobs');
    const done = await api(`/v1/erasures/${res.body.id}`, { token: t.owner });
    expect(done.body.status).toBe('done');

    const read = await api('/v1/activity?from=2000-01-01T00:00:00Z', { token: t.owner });
    const entry = read.body.items[0];
    expect(entry.recordedBy).toEqual({ id: MIA.id, name: '[erased]' });
    expect(entry.description).toContain('(recorded by [erased])');
    expect(entry.user).toEqual(LEE);
    expect(read.text).not.toContain('Vantablack');
    for (const format of ['csv', 'json'] as const) {
      const text = await exportText(t, format);
      expect(text).toContain('Lee');
      expect(text, format).not.toContain('Vantablack');
      expect(text, format).not.toContain('Miriam');
    }
  }, 60_000);
});

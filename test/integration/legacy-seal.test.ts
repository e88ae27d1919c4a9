import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { DynamoAuditStore } from '../../shared/adapters/dynamodb/audit-store.ts';
import { HOUR_MS } from '../../shared/domain/audit/digest.ts';
import { entryHash } from '../../shared/domain/audit/integrity.ts';
import { auditEventInputSchema } from '../../shared/domain/audit/schema.ts';
import { toEntry } from '../../shared/use-cases/audit/ingest.ts';
import { api, tokensFor, uniqueTenant } from './helpers.ts';
import { rawDynamo } from './support/raw-dynamo.ts';
import { runVerify } from './support/verify.ts';

/**
 * Issue 17: an entry stored before integrity (old shape: no `integrity`, no hash, no bySeal keys)
 * is sealed by the same recipe at its tenant's first sealing, and `npm run verify` passes. The
 * sealing is the scheduled sealer's own run (POST /_local/seal, no backfill option): a tenant
 * without a chain is backfilled first and its chain starts at the oldest backfilled hour.
 */
const doc = rawDynamo({ removeUndefinedValues: true });
const tables = inject('tables');
const store = new DynamoAuditStore(doc, { tableName: tables.audit, shardsFor: () => 1 });
const thisHour = Math.floor(Date.now() / HOUR_MS) * HOUR_MS;
const ttl = Math.floor(Date.now() / 1000) + 86_400 * 30;

function event(tenantId: string, id: string, occurredAt: string) {
  return {
    id,
    tenantId,
    occurredAt,
    actor: { type: 'user', id: 'u1', name: 'Person One', email: 'p1@example.com' },
    action: 'Updated',
    object: { type: 'User', id: `obj-${id}`, name: `Object ${id}` },
    source: { kind: 'web' },
    ip: '203.0.113.9',
    changes: [{ field: 'title', before: 'a', after: 'b' }],
    details: { n: 1 },
  };
}

describe('legacy entries at the first sealing', () => {
  const tenant = uniqueTenant('legacy');
  let owner: string;
  // Older than the first run's one-day look-back: the first sealing must start at this hour.
  const legacyHour = thisHour - 30 * HOUR_MS;
  const recordedAt = new Date(legacyHour + 60_000).toISOString();
  let sealAt: string;

  /** Seals this tenant only (the stack is shared: other files seal their own). */
  const sealTenant = (body: Record<string, unknown> = {}) =>
    api<{ digests: number; enriched: number }>('/_local/seal', {
      body: { now: sealAt, tenants: [tenant], ...body },
      unchecked: true,
    });

  beforeAll(async () => {
    const tokens = await tokensFor(tenant);
    owner = tokens.owner;
    // The old shape: stored without integrity, so no h, sl, ss and no e.integrity.
    const input = auditEventInputSchema.parse(
      event(tenant, 'legacy-1', new Date(Date.parse(recordedAt) - 1000).toISOString()),
    );
    await store.put(toEntry(input, 'legacy-1', recordedAt), ttl);
    const now = new Date().toISOString();
    const res = await api('/v1/audit-events', {
      token: tokens.service,
      body: { events: ['new-1', 'new-2'].map((id) => event(tenant, id, now)) },
    });
    expect(res.status).toBe(200);
    // Two hours after the ingest: its hour is closed, even if the hour turned since thisHour.
    sealAt = new Date(Date.now() + 2 * HOUR_MS).toISOString();
  }, 60_000);

  it('is not sealed by a sealing of other tenants, even one far in the future', async () => {
    const other = await api<{ digests: number }>('/_local/seal', {
      body: {
        now: new Date(thisHour + 24 * HOUR_MS).toISOString(),
        fromHour: new Date(legacyHour).toISOString(),
        tenants: [uniqueTenant('legacy-other')],
      },
      unchecked: true,
    });
    expect(other.status).toBe(200);
    expect(other.body.digests).toBe(0);
    const digests = await api(`/v1/audit-digests?from=${new Date(legacyHour).toISOString()}`, {
      token: owner,
    });
    expect(digests.body.items).toEqual([]);
    // The backfill is no option any more: every sealing starts a chain after it.
    const bad = await api('/_local/seal', { body: { tenants: [tenant], backfill: true }, unchecked: true });
    expect(bad.status).toBe(400);
    expect(bad.text).toMatch(/backfill/);
  });

  it('enriches the legacy entry once, seals it in its own hour first, and verify exits 0', async () => {
    const before = await doc.send(
      new GetCommand({ TableName: tables.audit, Key: { pk: `${tenant}#legacy-1` } }),
    );
    expect(before.Item?.h).toBeUndefined();
    expect(before.Item?.sl).toBeUndefined();

    // No fromHour, no backfill option: the sealer meets the tenant at its new entries' hour, finds
    // no chain, backfills it and starts the chain at the oldest backfilled hour, a day and more back.
    const sealed = await sealTenant();
    expect(sealed.status).toBe(200);
    expect(sealed.body).toEqual({ digests: 2, enriched: 1 });

    const after = await doc.send(
      new GetCommand({ TableName: tables.audit, Key: { pk: `${tenant}#legacy-1` } }),
    );
    // Only the integrity attributes were added; the entry itself is as it was.
    expect(after.Item?.e).toEqual({ ...before.Item?.e, integrity: after.Item?.e.integrity });
    expect(after.Item?.x).toEqual(before.Item?.x);
    const got = await api(`/v1/audit-events/legacy-1`, { token: owner });
    expect(got.status).toBe(200);
    expect(entryHash(got.body, got.body.integrity)).toBe(got.body.integrity.hash);

    const digests = await api(`/v1/audit-digests?from=${new Date(legacyHour).toISOString()}`, {
      token: owner,
    });
    expect(digests.body.items.map((d: { periodStart: string; count: number }) => d.count)).toEqual([1, 2]);
    expect(digests.body.items[0].periodStart).toBe(new Date(legacyHour).toISOString());
    expect(digests.body.items[0].previousDigestHash).toBeNull();
    expect(digests.body.items[1].previousDigestHash).toBe(digests.body.items[0].digestHash);

    const proof = await api(`/v1/audit-events/legacy-1/proof`, { token: owner });
    expect(proof.status).toBe(200);
    expect(proof.body).toMatchObject({ leafIndex: 0, treeSize: 1 });

    const { code, out } = await runVerify(owner, legacyHour, new Date().toISOString());
    expect(code, out).toBe(0);
    expect(out).toMatch(/ {2}1 entries {2}ok$/m);

    // A second run enriches nothing and seals nothing.
    const again = await sealTenant();
    expect(again.body).toEqual({ digests: 0, enriched: 0 });
    const still = await api(`/v1/audit-digests?from=${new Date(legacyHour).toISOString()}`, {
      token: owner,
    });
    expect(still.body.items).toEqual(digests.body.items);
  }, 120_000);
});

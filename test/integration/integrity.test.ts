import { DeleteCommand, GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { DynamoAuditStore } from '../../shared/adapters/dynamodb/audit-store.ts';
import { HOUR_MS, SEAL_GRACE_MS } from '../../shared/domain/audit/digest.ts';
import { sealEntry } from '../../shared/domain/audit/integrity.ts';
import { MerkleBuilder } from '../../shared/domain/audit/merkle.ts';
import { auditEventInputSchema } from '../../shared/domain/audit/schema.ts';
import { toEntry } from '../../shared/use-cases/audit/ingest.ts';
import { api, tokensFor, uniqueTenant } from './helpers.ts';
import { rawDynamo } from './support/raw-dynamo.ts';
import { runVerify } from './support/verify.ts';

/**
 * Integrity end to end: entries ingested through the API (this hour) and stored as earlier
 * ingests would have stored them (three earlier hours), sealed by POST /_local/seal, verified by
 * `npm run verify` (its main, in process) through the API only; then tampered with directly in
 * DynamoDB Local, one case at a time, each restored before the next.
 */
const doc = rawDynamo({ removeUndefinedValues: true });
const tables = inject('tables');
const store = new DynamoAuditStore(doc, { tableName: tables.audit, shardsFor: () => 1 });
const thisHour = Math.floor(Date.now() / HOUR_MS) * HOUR_MS;
const ttl = Math.floor(Date.now() / 1000) + 86_400 * 30;

function event(tenantId: string, i: number, occurredAt: string) {
  return {
    id: `ev-${String(i).padStart(4, '0')}`,
    tenantId,
    occurredAt,
    actor: { type: 'user', id: `u${i % 3}`, name: `Person ${i % 3}`, email: `p${i % 3}@example.com` },
    action: i % 2 ? 'Updated' : 'Created',
    object: { type: 'User', id: `obj-${i}`, name: `Object ${i}` },
    source: { kind: 'web' },
    ip: '203.0.113.9',
    userAgent: 'test',
    changes: [{ field: 'title', before: `a${i}`, after: `b${i}` }],
    details: { n: i, nested: { ok: true } },
  };
}

/** Stores an entry as ingest would have at `recordedAt` (hash and all). */
async function storeAt(tenantId: string, i: number, recordedAt: string) {
  const input = auditEventInputSchema.parse(
    event(tenantId, i, new Date(Date.parse(recordedAt) - 1000).toISOString()),
  );
  const entry = toEntry(input, input.id!, recordedAt);
  entry.integrity = sealEntry(entry);
  await store.put(entry, ttl);
}

/**
 * Seals `tenant`'s hours only: the stack is shared by every test file, and sealing all tenants
 * would start other files' chains at hours of this file's choosing (they never go back).
 */
async function seal(tenant: string, now: number, fromHour: number) {
  const res = await api<{ digests: number }>('/_local/seal', {
    body: {
      now: new Date(now).toISOString(),
      fromHour: new Date(fromHour).toISOString(),
      tenants: [tenant],
    },
    unchecked: true,
  });
  expect(res.status).toBe(200);
  return res.body.digests;
}

describe('sealing and npm run verify', () => {
  const tenant = uniqueTenant('integ');
  let owner: string;
  let verifyTo: string;
  let sealAt: number;
  const firstHour = thisHour - 3 * HOUR_MS;

  beforeAll(async () => {
    const tokens = await tokensFor(tenant);
    owner = tokens.owner;
    let n = 0;
    for (let h = 3; h >= 1; h--) {
      for (let k = 0; k < 4; k++)
        await storeAt(tenant, n++, new Date(thisHour - h * HOUR_MS + k * 60_000 + 5).toISOString());
    }
    const now = new Date().toISOString();
    const res = await api('/v1/audit-events', {
      token: tokens.service,
      body: { events: [0, 1, 2].map((k) => event(tenant, 100 + k, now)) },
    });
    expect(res.status).toBe(200);
    verifyTo = new Date().toISOString();
    // As if two hours after the ingest: its hour too is closed (even if the hour turned since thisHour).
    sealAt = Date.now() + 2 * HOUR_MS;
    await seal(tenant, sealAt, firstHour);
  }, 60_000);

  it('seals each hour with entries once, and verify exits 0 with one line per hour', async () => {
    const digests = await api(`/v1/audit-digests?from=${new Date(firstHour).toISOString()}`, {
      token: owner,
    });
    expect(digests.status).toBe(200);
    expect(digests.body.items.map((d: { count: number }) => d.count)).toEqual([4, 4, 4, 3]);
    expect(digests.body.items[0].previousDigestHash).toBeNull();
    const { code, out } = await runVerify(owner, firstHour, verifyTo);
    expect(out).toMatch(/^\d{4}-\d\d-\d\dT\d\d:00Z {2}4 entries {2}ok$/m);
    expect(out).toMatch(/ {2}3 entries {2}ok$/m);
    expect(code, out).toBe(0);
    // Sealing again writes nothing.
    expect(await seal(tenant, sealAt, firstHour)).toBe(0);
  }, 60_000);

  it('answers an inclusion proof that leads to the digest root', async () => {
    const proof = await api(`/v1/audit-events/ev-0005/proof`, { token: owner });
    expect(proof.status).toBe(200);
    expect(proof.body).toMatchObject({ leafIndex: 1, treeSize: 4 });
    expect(proof.body.path).toHaveLength(2);
    const keys = await api('/v1/audit-digests/keys', { token: owner });
    expect(keys.body.keys[0]).toMatchObject({ kty: 'EC', crv: 'P-256' });
  });

  const pkOf = (id: string) => ({ pk: `${tenant}#${id}` });

  it('names an entry changed in the store', async () => {
    const before = await doc.send(new GetCommand({ TableName: tables.audit, Key: pkOf('ev-0002') }));
    await doc.send(
      new UpdateCommand({
        TableName: tables.audit,
        Key: pkOf('ev-0002'),
        UpdateExpression: 'SET e.#a = :a',
        ExpressionAttributeNames: { '#a': 'action' },
        ExpressionAttributeValues: { ':a': 'Deleted' },
      }),
    );
    try {
      const { code, out } = await runVerify(owner, firstHour, verifyTo);
      expect(code).toBe(1);
      expect(out).toMatch(/entry ev-0002 changed/);
    } finally {
      await doc.send(new PutCommand({ TableName: tables.audit, Item: before.Item }));
    }
    expect((await runVerify(owner, firstHour, verifyTo)).code).toBe(0);
  }, 60_000);

  it("serves each digest's leaf list (an extension), which rebuilds its root, to its tenant only", async () => {
    const digests = await api(`/v1/audit-digests?from=${new Date(firstHour).toISOString()}`, {
      token: owner,
    });
    const second = digests.body.items[1];
    const res = await api(`/v1/audit-digests/${second.id}/leaves`, { token: owner });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ digestId: second.id, start: 0, nextCursor: null });
    expect(res.body.items.map((l: { id: string }) => l.id)).toEqual([
      'ev-0004',
      'ev-0005',
      'ev-0006',
      'ev-0007',
    ]);
    const m = new MerkleBuilder();
    for (const l of res.body.items) m.add(Buffer.from(l.hash, 'hex'));
    expect(m.root().toString('hex')).toBe(second.rootHash);
    const stranger = await tokensFor(uniqueTenant('integ-b'));
    expect((await api(`/v1/audit-digests/${second.id}/leaves`, { token: stranger.owner })).status).toBe(404);
    expect((await api(`/v1/audit-digests/${second.id}/leaves`, { token: stranger.learner })).status).toBe(
      403,
    );
    expect((await api('/v1/audit-digests/ev-0001/leaves', { token: owner })).status).toBe(400);
    expect((await api(`/v1/audit-digests/${second.id}/leaves?cursor=bogus`, { token: owner })).status).toBe(
      404,
    );
  });

  it('names an entry deleted from the store by its id, from the leaf list the root vouches for', async () => {
    const before = await doc.send(new GetCommand({ TableName: tables.audit, Key: pkOf('ev-0006') }));
    await doc.send(new DeleteCommand({ TableName: tables.audit, Key: pkOf('ev-0006') }));
    const leafKey = {
      pk: `LEAVES#${tenant}#${new Date(firstHour + HOUR_MS).toISOString()}`,
      sk: '0000000000',
    };
    const page = await doc.send(new GetCommand({ TableName: tables.state, Key: leafKey }));
    try {
      const { code, out } = await runVerify(owner, firstHour, verifyTo);
      expect(code).toBe(1);
      expect(out).toMatch(/entry ev-0006 removed \(sealed in digest dg-\S+, no longer returned\)/);
      // A leaf list that does not rebuild the signed root is not trusted: the count still tells.
      const forged = Buffer.from(page.Item?.hashes as Uint8Array);
      forged[70] = forged[70]! ^ 1;
      await doc.send(new PutCommand({ TableName: tables.state, Item: { ...page.Item, hashes: forged } }));
      const untrusted = await runVerify(owner, firstHour, verifyTo);
      expect(untrusted.code).toBe(1);
      expect(untrusted.out).not.toMatch(/ev-0006 removed/);
      expect(untrusted.out).toMatch(
        /1 entry removed \(digest dg-\S+ sealed 4, found 3\) \(its leaf list does not rebuild the signed root/,
      );
    } finally {
      await doc.send(new PutCommand({ TableName: tables.audit, Item: before.Item }));
      await doc.send(new PutCommand({ TableName: tables.state, Item: page.Item }));
    }
    expect((await runVerify(owner, firstHour, verifyTo)).code).toBe(0);
  }, 60_000);

  it('names a removed digest (the chain breaks)', async () => {
    const key = { pk: `DIGESTS#${tenant}`, sk: new Date(firstHour + HOUR_MS).toISOString() };
    const before = await doc.send(new GetCommand({ TableName: tables.state, Key: key }));
    await doc.send(new DeleteCommand({ TableName: tables.state, Key: key }));
    try {
      const { code, out } = await runVerify(owner, firstHour, verifyTo);
      expect(code).toBe(1);
      expect(out).toMatch(/closed hour has no digest: ev-0004, ev-0005, ev-0006, ev-0007 unsealed/);
      expect(out).toMatch(/chain broken: a digest between dg-\S+ and dg-\S+ was removed/);
    } finally {
      await doc.send(new PutCommand({ TableName: tables.state, Item: before.Item }));
    }
  }, 60_000);

  it('names an entry inserted with a forged hash, and one inserted with a right hash', async () => {
    await storeAt(tenant, 50, new Date(firstHour + 30 * 60_000).toISOString());
    await doc.send(
      new UpdateCommand({
        TableName: tables.audit,
        Key: pkOf('ev-0050'),
        UpdateExpression: 'SET e.integrity.#h = :h, h = :h',
        ExpressionAttributeNames: { '#h': 'hash' },
        ExpressionAttributeValues: { ':h': 'f'.repeat(64) },
      }),
    );
    try {
      const forged = await runVerify(owner, firstHour, verifyTo);
      expect(forged.code).toBe(1);
      expect(forged.out).toMatch(/entry ev-0050 changed/);
      await doc.send(new DeleteCommand({ TableName: tables.audit, Key: pkOf('ev-0050') }));
      await storeAt(tenant, 50, new Date(firstHour + 30 * 60_000).toISOString());
      const added = await runVerify(owner, firstHour, verifyTo);
      expect(added.code).toBe(1);
      expect(added.out).toMatch(/entry ev-0050 added after sealing/);
    } finally {
      await doc.send(new DeleteCommand({ TableName: tables.audit, Key: pkOf('ev-0050') }));
    }
    expect((await runVerify(owner, firstHour, verifyTo)).code).toBe(0);
  }, 90_000);
});

describe('sealing runs', () => {
  it('puts an entry recorded just before the hour ends into that hour, once the grace has passed', async () => {
    const tenant = uniqueTenant('edge');
    const { owner } = await tokensFor(tenant);
    const hour = thisHour - 6 * HOUR_MS;
    const end = hour + HOUR_MS;
    await storeAt(tenant, 1, new Date(hour + 10).toISOString());
    await storeAt(tenant, 2, new Date(end - 1).toISOString());
    await seal(tenant, end + SEAL_GRACE_MS - 1, hour);
    const early = await api(`/v1/audit-digests?from=${new Date(hour).toISOString()}`, { token: owner });
    expect(early.body.items).toEqual([]);
    await seal(tenant, end + SEAL_GRACE_MS, hour);
    const sealed = await api(`/v1/audit-digests?from=${new Date(hour).toISOString()}`, { token: owner });
    expect(sealed.body.items).toHaveLength(1);
    expect(sealed.body.items[0]).toMatchObject({ periodStart: new Date(hour).toISOString(), count: 2 });
    const proof = await api('/v1/audit-events/ev-0002/proof', { token: owner });
    expect(proof.body).toMatchObject({ leafIndex: 1, treeSize: 2 });
  }, 60_000);

  it('writes one digest per hour and an unbroken chain when sealers run at once', async () => {
    const tenant = uniqueTenant('conc');
    const { owner } = await tokensFor(tenant);
    const first = thisHour - 9 * HOUR_MS;
    for (let h = 0; h < 3; h++) {
      for (let k = 0; k < 3; k++)
        await storeAt(tenant, h * 10 + k, new Date(first + h * HOUR_MS + k * 1000).toISOString());
    }
    await Promise.all([0, 1, 2, 3].map(() => seal(tenant, first + 4 * HOUR_MS, first)));
    const res = await api(`/v1/audit-digests?from=${new Date(first).toISOString()}`, { token: owner });
    const items = res.body.items as {
      periodStart: string;
      digestHash: string;
      previousDigestHash: string | null;
    }[];
    expect(items.map((d) => d.periodStart)).toEqual(
      [0, 1, 2].map((h) => new Date(first + h * HOUR_MS).toISOString()),
    );
    expect(items[0]!.previousDigestHash).toBeNull();
    expect(items[1]!.previousDigestHash).toBe(items[0]!.digestHash);
    expect(items[2]!.previousDigestHash).toBe(items[1]!.digestHash);
    const { code, out } = await runVerify(owner, first, new Date(first + 3 * HOUR_MS).toISOString());
    expect(code, out).toBe(0);
  }, 60_000);

  it('answers 409 for the proof of an entry whose hour is not sealed, and 403 to a learner', async () => {
    const tenant = uniqueTenant('open');
    const tokens = await tokensFor(tenant);
    await storeAt(tenant, 1, new Date().toISOString());
    expect((await api('/v1/audit-events/ev-0001/proof', { token: tokens.owner })).status).toBe(409);
    expect((await api('/v1/audit-events/ev-0001/proof', { token: tokens.learner })).status).toBe(403);
    expect((await api('/v1/audit-digests', { token: tokens.learner })).status).toBe(403);
    expect((await api('/v1/audit-digests?bogus=1', { token: tokens.owner })).status).toBe(400);
  });
});

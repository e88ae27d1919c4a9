import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { DeleteCommand, GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { verifyWindow } from '../../local/verify.ts';
import {
  HOUR_MS,
  hourStart,
  SEAL_GRACE_MS,
  verifyDigestSignature,
} from '../../shared/domain/integrity/digest.ts';
import { verifyInclusion } from '../../shared/domain/integrity/merkle.ts';
import { api, baseUrl, tokensFor, uniqueTenant } from './helpers.ts';
import { rawDynamo } from './support/raw-dynamo.ts';

const run = promisify(execFile);
const tenant = uniqueTenant('integrity');
const db = rawDynamo();
const tables = inject('tables');
let tokens: Awaited<ReturnType<typeof tokensFor>>;
let from: string;
let to: string;
let sealAt: string;
const ids = Array.from({ length: 12 }, (_, i) => `int-${String(i).padStart(2, '0')}`);

const event = (id: string, i: number) => ({
  id,
  tenantId: tenant,
  occurredAt: new Date(Date.now() - 60_000).toISOString(),
  actor: { type: 'user', id: `u${i}`, name: `Person ${i}`, email: `p${i}@example.com` },
  action: 'Updated',
  object: { type: 'User', id: `u${100 + i}`, name: `Learner ${i}` },
  subject: { id: `u${100 + i}`, name: `Learner ${i}` },
  source: { kind: 'web' },
  ip: '10.0.0.1',
  userAgent: 'Mozilla/5.0',
  changes: [{ field: 'title', before: 'a', after: 'b' }],
  details: { n: i, nested: { ok: true } },
});

const verify = () =>
  verifyWindow({ url: baseUrl(), token: tokens.owner, from, to, lookbackHours: 2, print: () => {} });
const seal = (now: string) =>
  api<{ digests: number }>('/_local/seal', { body: { now, tenantId: tenant }, unchecked: true });
const itemKey = (id: string) => ({ pk: `${tenant}#${id}` });

beforeAll(async () => {
  tokens = await tokensFor(tenant);
  const res = await api('/v1/audit-events', { token: tokens.service, body: { events: ids.map(event) } });
  expect(res.status).toBe(200);
  const stored = await api<{ recordedAt: string }>(`/v1/audit-events/${ids[0]}`, { token: tokens.owner });
  from = hourStart(stored.body.recordedAt);
  to = new Date(Date.parse(from) + HOUR_MS).toISOString();
  sealAt = new Date(Date.parse(to) + SEAL_GRACE_MS).toISOString();
});

describe('integrity: sealing and verifying through the API', () => {
  it('does not seal an hour before its grace period has passed, then seals it exactly once', async () => {
    expect((await seal(new Date(Date.parse(sealAt) - 1).toISOString())).body.digests).toBe(0);
    const [a, b] = await Promise.all([seal(sealAt), seal(sealAt)]);
    expect(a.body.digests + b.body.digests).toBe(1);
    expect((await seal(sealAt)).body.digests).toBe(0);
    const digests = await api<{ items: { id: string; count: number; previousDigestHash: string | null }[] }>(
      `/v1/audit-digests?from=${from}&to=${to}`,
      { token: tokens.owner },
    );
    expect(digests.body.items).toHaveLength(1);
    expect(digests.body.items[0]!.count).toBe(ids.length);
    expect(digests.body.items[0]!.previousDigestHash).toBeNull();
  });

  it('answers an inclusion proof that verifies against the signed digest', async () => {
    const entry = await api<{ integrity: { hash: string } }>(`/v1/audit-events/${ids[3]}`, {
      token: tokens.owner,
    });
    const proof = await api<{
      entryHash: string;
      leafIndex: number;
      treeSize: number;
      path: string[];
      digestId: string;
    }>(`/v1/audit-events/${ids[3]}/proof`, { token: tokens.admin });
    expect(proof.status).toBe(200);
    expect(proof.body.entryHash).toBe(entry.body.integrity.hash);
    const digests = await api<{
      items: { rootHash: string; digestHash: string; signature: string; keyId: string }[];
    }>(`/v1/audit-digests?from=${from}&to=${to}`, { token: tokens.owner });
    const digest = digests.body.items[0]!;
    expect(
      verifyInclusion(
        Buffer.from(proof.body.entryHash, 'hex'),
        proof.body.leafIndex,
        proof.body.treeSize,
        proof.body.path.map((p) => Buffer.from(p, 'hex')),
        Buffer.from(digest.rootHash, 'hex'),
      ),
    ).toBe(true);
    const keys = await api<{ keys: { kid: string }[] }>('/v1/audit-digests/keys', { token: tokens.owner });
    const key = keys.body.keys.find((k) => k.kid === digest.keyId);
    expect(key && verifyDigestSignature(digest, key as never)).toBe(true);
  });

  it('keeps digests and proofs from other roles', async () => {
    for (const t of [tokens.hr, tokens.manager, tokens.learner]) {
      expect((await api('/v1/audit-digests', { token: t })).status).toBe(403);
      expect((await api(`/v1/audit-events/${ids[0]}/proof`, { token: t })).status).toBe(403);
    }
  });

  it('npm run verify exits 0 on the untouched log', async () => {
    const out = await run(
      'npx',
      ['tsx', 'local/verify.ts', '--url', baseUrl(), '--token', tokens.owner, '--from', from, '--to', to],
      { cwd: process.cwd() },
    );
    expect(out.stdout).toContain(`${from.slice(0, 16)}Z  ${ids.length} entries  ok`);
    expect(out.stdout).toContain('OK:');
  }, 120_000);

  it('names an entry whose stored attribute was changed directly in the table', async () => {
    const key = itemKey(ids[4]!);
    await db.send(
      new UpdateCommand({
        TableName: tables.audit,
        Key: key,
        UpdateExpression: 'SET e.#a = :v',
        ExpressionAttributeNames: { '#a': 'action' },
        ExpressionAttributeValues: { ':v': 'Deleted' },
      }),
    );
    try {
      const report = await verify();
      expect(report.ok).toBe(false);
      expect(report.problems.join('\n')).toContain(`entry ${ids[4]}: changed`);
    } finally {
      await db.send(
        new UpdateCommand({
          TableName: tables.audit,
          Key: key,
          UpdateExpression: 'SET e.#a = :v',
          ExpressionAttributeNames: { '#a': 'action' },
          ExpressionAttributeValues: { ':v': 'Updated' },
        }),
      );
    }
    expect((await verify()).ok).toBe(true);
  });

  it('names a removed entry, and exits non-zero from the command line', async () => {
    const key = itemKey(ids[7]!);
    const saved = (await db.send(new GetCommand({ TableName: tables.audit, Key: key }))).Item!;
    await db.send(new DeleteCommand({ TableName: tables.audit, Key: key }));
    try {
      const report = await verify();
      expect(report.problems).toContain(
        `entry ${ids[7]}: removed (sealed in dg_${tenant}_${from.slice(0, 13).replace(/[-T]/g, '')})`,
      );
      const cli = await run(
        'npx',
        ['tsx', 'local/verify.ts', '--url', baseUrl(), '--token', tokens.owner, '--from', from, '--to', to],
        { cwd: process.cwd() },
      ).then(
        () => ({ code: 0, stdout: '' }),
        (err: { code: number; stdout: string }) => err,
      );
      expect(cli.code).toBe(1);
      expect(cli.stdout).toContain(`entry ${ids[7]}: removed`);
    } finally {
      await db.send(new PutCommand({ TableName: tables.audit, Item: saved }));
    }
    expect((await verify()).ok).toBe(true);
  }, 120_000);

  it('names a removed digest', async () => {
    const key = { pk: `DIGESTS#${tenant}`, sk: `DIGEST#${from}` };
    const saved = (await db.send(new GetCommand({ TableName: tables.state, Key: key }))).Item!;
    await db.send(new DeleteCommand({ TableName: tables.state, Key: key }));
    try {
      const report = await verify();
      expect(report.ok).toBe(false);
      expect(report.problems.join('\n')).toContain(`hour ${from.slice(0, 16)}Z: closed but has no digest`);
    } finally {
      await db.send(new PutCommand({ TableName: tables.state, Item: saved }));
    }
    expect((await verify()).ok).toBe(true);
  });

  it('names an entry inserted with a forged hash', async () => {
    const original = (await db.send(new GetCommand({ TableName: tables.audit, Key: itemKey(ids[0]!) })))
      .Item!;
    const forgedId = 'int-forged';
    const e: Record<string, unknown> = {
      ...(original.e as Record<string, unknown>),
      id: forgedId,
      integrity: { hash: 'f'.repeat(64) },
    };
    const forged = {
      ...original,
      pk: `${tenant}#${forgedId}`,
      ts: `${e.occurredAt}#${forgedId}`,
      e,
      h: 'f'.repeat(64),
    };
    await db.send(new PutCommand({ TableName: tables.audit, Item: forged }));
    try {
      const report = await verify();
      expect(report.ok).toBe(false);
      expect(report.problems.join('\n')).toContain(`entry ${forgedId}: added`);
    } finally {
      await db.send(new DeleteCommand({ TableName: tables.audit, Key: itemKey(forgedId) }));
    }
    expect((await verify()).ok).toBe(true);
  });
});

import { createPublicKey, verify as verifySignature } from 'node:crypto';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import cliProgress from 'cli-progress';
import {
  type AuditDigest,
  digestHashOf,
  HOUR_MS,
  hourStart,
  SEAL_GRACE_MS,
} from '../shared/domain/audit/digest.ts';
import { type EntryIntegrity, entryHash } from '../shared/domain/audit/integrity.ts';
import { MerkleBuilder } from '../shared/domain/audit/merkle.ts';

/**
 * `npm run verify -- --url URL --token JWT [--from T] [--to T] [--lookback-days N]`
 *
 * Re-reads a window of a tenant's audit log through the API only — the entries as an NDJSON
 * export, the digests, the public keys — and recomputes every entry hash (the recipe in the
 * OpenAPI document), every Merkle root, chain link and signature. One line per sealed hour
 * (`2026-12-02T10:00Z  412 entries  ok`), then a summary; exit 1 naming each changed, removed or
 * added entry and each changed or removed digest, and each closed hour with entries but no
 * digest. Hours are by recordedAt; the export filters by occurredAt, so it reads from
 * `--lookback-days` (default 7) before the window: an entry recorded that much later than it
 * happened would be missed (and reported as removed).
 */
export interface VerifyOptions {
  url: string;
  token: string;
  from?: string;
  to?: string;
  lookbackDays?: number;
  /** Progress bar on stderr (default: when stderr is a terminal and the window is long). */
  progress?: boolean;
  exportTimeoutMs?: number;
  now?: Date;
}

export interface VerifyReport {
  ok: boolean;
  lines: string[];
  problems: string[];
  hours: number;
  entries: number;
}

interface Entry {
  id: string;
  recordedAt: string;
  integrity?: EntryIntegrity;
  [key: string]: unknown;
}

type Jwk = { kid: string; [k: string]: unknown };

/** The fields of the answers verify reads. */
interface Answer {
  items: AuditDigest[] & { id: string; hash: string }[];
  nextCursor: string | null;
  keys: Jwk[];
  id: string;
  status: string;
  downloadUrl: string;
  error?: string;
}

async function call(
  url: string,
  token: string,
  init: RequestInit = {},
): Promise<{ status: number; body: Answer; text: string }> {
  const res = await fetch(url, {
    ...init,
    redirect: 'manual',
    headers: { authorization: `Bearer ${token}`, ...(init.headers as Record<string, string>) },
  });
  const text = await res.text();
  let body = {} as Answer;
  try {
    body = JSON.parse(text) as Answer;
  } catch {
    /* not JSON */
  }
  return { status: res.status, body, text };
}

async function readDigests(base: string, token: string, from: string, to: string): Promise<AuditDigest[]> {
  const out: AuditDigest[] = [];
  let cursor: string | null = null;
  do {
    const q = new URLSearchParams({ from, to, limit: '500', ...(cursor ? { cursor } : {}) });
    const res = await call(`${base}/v1/audit-digests?${q}`, token);
    if (res.status !== 200) throw new Error(`GET /v1/audit-digests: ${res.status} ${res.text.slice(0, 200)}`);
    out.push(...res.body.items);
    cursor = res.body.nextCursor;
  } while (cursor);
  return out;
}

async function readEntries(
  base: string,
  token: string,
  from: string,
  to: string,
  timeoutMs: number,
): Promise<Entry[]> {
  const res = await call(`${base}/v1/exports`, token, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ log: 'audit', format: 'json', filters: { from, to } }),
  });
  if (res.status !== 202) throw new Error(`POST /v1/exports: ${res.status} ${res.text.slice(0, 200)}`);
  const id = String(res.body.id);
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const job = await call(`${base}/v1/exports/${encodeURIComponent(id)}`, token);
    if (job.body?.status === 'succeeded') {
      const link = await fetch(job.body.downloadUrl, { redirect: 'manual' });
      const location = link.headers.get('location');
      if (!location) throw new Error(`download link answered ${link.status}`);
      const file = await fetch(location);
      if (!file.ok) throw new Error(`export file answered ${file.status}`);
      return (await file.text())
        .split('\n')
        .filter(Boolean)
        .map((l) => JSON.parse(l) as Entry);
    }
    if (job.body?.status === 'failed') throw new Error(`export ${id} failed: ${job.body.error}`);
    if (Date.now() > deadline) throw new Error(`export ${id} still ${job.body?.status}`);
    await new Promise((r) => setTimeout(r, 500));
  }
}

/**
 * A digest's leaf list (GET /v1/audit-digests/{id}/leaves, an extension of the contract), or why
 * there is none. The caller trusts it only once it rebuilds the digest's signed root.
 */
async function readLeaves(
  base: string,
  token: string,
  digestId: string,
): Promise<{ leaves: { id: string; hash: string }[] } | { why: string }> {
  const leaves: { id: string; hash: string }[] = [];
  let cursor: string | null = null;
  do {
    const q = cursor ? `?${new URLSearchParams({ cursor })}` : '';
    const res = await call(`${base}/v1/audit-digests/${encodeURIComponent(digestId)}/leaves${q}`, token);
    if (res.status === 404) return { why: 'no leaf list is served for it' };
    if (res.status !== 200) return { why: `its leaf list answered ${res.status}` };
    leaves.push(...res.body.items);
    cursor = res.body.nextCursor;
  } while (cursor);
  return { leaves };
}

/**
 * What changed since sealing, by the digest's leaf list once it rebuilds the signed root: each
 * sealed entry now missing (removed), each entry not sealed (added), each whose hash differs from
 * the sealed one (changed). Null when the list cannot be had or trusted (`why`).
 */
async function diffAgainstLeaves(
  base: string,
  token: string,
  digest: AuditDigest,
  list: Entry[],
  alreadyChanged: Set<string>,
): Promise<{ found: string[] } | { why: string }> {
  const got = await readLeaves(base, token, digest.id);
  if ('why' in got) return got;
  const merkle = new MerkleBuilder();
  for (const leaf of got.leaves) merkle.add(Buffer.from(leaf.hash, 'hex'));
  if (got.leaves.length !== digest.count || merkle.root().toString('hex') !== digest.rootHash)
    return { why: 'its leaf list does not rebuild the signed root (not trusted)' };
  // The root binds each leaf's hash and position; the tree is in id order, so the ids must ascend
  // (a removed entry's id then lies between its neighbours', whose hashes its entries confirm).
  if (got.leaves.some((l, i) => i > 0 && !(got.leaves[i - 1]!.id < l.id)))
    return { why: 'its leaf list is not in id order (not trusted)' };
  const sealed = new Map(got.leaves.map((l) => [l.id, l.hash]));
  const present = new Map(list.map((e) => [e.id, e]));
  const found: string[] = [];
  for (const leaf of got.leaves) {
    const e = present.get(leaf.id);
    if (!e) found.push(`entry ${leaf.id} removed (sealed in digest ${digest.id}, no longer returned)`);
    else if (e.integrity?.hash !== leaf.hash && !alreadyChanged.has(leaf.id))
      found.push(`entry ${leaf.id} changed (its hash differs from the one sealed in digest ${digest.id})`);
  }
  for (const e of list) {
    if (!sealed.has(e.id)) found.push(`entry ${e.id} added after sealing (not in digest ${digest.id})`);
  }
  return { found };
}

const label = (hour: string) => `${hour.slice(0, 16)}Z`;

export async function verifyWindow(options: VerifyOptions): Promise<VerifyReport> {
  const base = options.url.replace(/\/+$/, '');
  const now = options.now ?? new Date();
  const to = options.to ? new Date(options.to).toISOString() : now.toISOString();
  const from = options.from ? hourStart(Date.parse(options.from)) : hourStart(Date.parse(to) - 24 * HOUR_MS);
  const lookback = (options.lookbackDays ?? 7) * 24 * HOUR_MS;
  const keysRes = await call(`${base}/v1/audit-digests/keys`, options.token);
  if (keysRes.status !== 200)
    throw new Error(`GET /v1/audit-digests/keys: ${keysRes.status} ${keysRes.text.slice(0, 200)}`);
  const keys = new Map<string, Jwk>((keysRes.body.keys as Jwk[]).map((k) => [k.kid, k]));
  const digests = await readDigests(base, options.token, from, to);
  const occurredFrom = new Date(Math.max(0, Date.parse(from) - lookback)).toISOString();
  const occurredTo = new Date(Date.parse(to) + 10 * 60_000).toISOString();
  const all = await readEntries(
    base,
    options.token,
    occurredFrom,
    occurredTo,
    options.exportTimeoutMs ?? 300_000,
  );

  const byHour = new Map<string, Entry[]>();
  for (const e of all) {
    if (e.recordedAt < from || e.recordedAt >= to) continue;
    const hour = hourStart(Date.parse(e.recordedAt));
    let list = byHour.get(hour);
    if (!list) {
      list = [];
      byHour.set(hour, list);
    }
    list.push(e);
  }
  const digestByHour = new Map(digests.map((d) => [d.periodStart, d]));
  const hours = [...new Set([...byHour.keys(), ...digestByHour.keys()])].sort();
  const lines: string[] = [];
  const problems: string[] = [];
  let entries = 0;
  const showBar = options.progress ?? (process.stderr.isTTY && hours.length > 24);
  const bar = showBar
    ? new cliProgress.SingleBar(
        { stream: process.stderr, format: 'verifying {bar} {value}/{total} hours' },
        cliProgress.Presets.shades_classic,
      )
    : undefined;
  bar?.start(hours.length, 0);

  let previous: AuditDigest | undefined;
  for (const hour of hours) {
    const list = (byHour.get(hour) ?? []).sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    const digest = digestByHour.get(hour);
    const found: string[] = [];
    entries += list.length;
    // Entry hashes, recomputed from what the API returned.
    const leaves: Buffer[] = [];
    for (const e of list) {
      if (!e.integrity) {
        found.push(`entry ${e.id} has no integrity hash`);
        leaves.push(Buffer.alloc(32));
        continue;
      }
      let recomputed = '';
      try {
        recomputed = entryHash(e as never, e.integrity);
      } catch {
        recomputed = '';
      }
      if (recomputed !== e.integrity.hash)
        found.push(`entry ${e.id} changed (its hash does not match its content)`);
      leaves.push(Buffer.from(recomputed || e.integrity.hash, 'hex'));
    }
    if (!digest) {
      const closed = Date.parse(hour) + HOUR_MS + SEAL_GRACE_MS <= now.getTime();
      if (closed && list.length > 0) {
        found.push(`closed hour has no digest: ${list.map((e) => e.id).join(', ')} unsealed`);
      }
      if (found.length > 0 || closed) {
        lines.push(
          `${label(hour)}  ${list.length} entries  ${found.length ? `FAILED: ${found.join('; ')}` : 'ok'}`,
        );
      } else {
        lines.push(`${label(hour)}  ${list.length} entries  open (not sealed yet)`);
      }
      problems.push(...found.map((f) => `${label(hour)}: ${f}`));
      bar?.increment();
      continue;
    }
    // The digest itself: hash, signature, chain.
    if (digestHashOf(digest) !== digest.digestHash)
      found.push(`digest ${digest.id} changed (digestHash does not match)`);
    const key = keys.get(digest.keyId);
    if (!key) found.push(`digest ${digest.id} is signed by unknown key ${digest.keyId}`);
    else {
      const good = verifySignature(
        'sha256',
        Buffer.from(digest.digestHash, 'utf8'),
        { key: createPublicKey({ key: key as never, format: 'jwk' }), dsaEncoding: 'ieee-p1363' },
        Buffer.from(digest.signature, 'base64url'),
      );
      if (!good) found.push(`digest ${digest.id} has a bad signature`);
    }
    if (previous && digest.previousDigestHash !== previous.digestHash) {
      found.push(`chain broken: a digest between ${previous.id} and ${digest.id} was removed or changed`);
    } else if (!previous && !options.from && digest.previousDigestHash === null && digests[0] !== digest) {
      found.push(`digest ${digest.id} starts a second chain`);
    }
    // The root over the recomputed hashes.
    const merkle = new MerkleBuilder();
    for (const leaf of leaves) merkle.add(leaf);
    const changed = new Set(found.flatMap((f) => /^entry (\S+) changed/.exec(f)?.[1] ?? []));
    const diff =
      merkle.root().toString('hex') !== digest.rootHash
        ? await diffAgainstLeaves(base, options.token, digest, list, changed)
        : undefined;
    if (diff && 'found' in diff && (diff.found.length > 0 || changed.size > 0)) {
      found.push(...diff.found);
    } else if (merkle.root().toString('hex') !== digest.rootHash) {
      // No trusted leaf list: name what the count and the root alone can tell.
      const why = diff && 'why' in diff ? ` (${diff.why})` : '';
      if (list.length < digest.count) {
        found.push(
          `${digest.count - list.length} entr${digest.count - list.length === 1 ? 'y' : 'ies'} removed (digest ${digest.id} sealed ${digest.count}, found ${list.length})${why}`,
        );
      } else if (list.length > digest.count) {
        found.push(
          ...addedEntries(list, leaves, digest).map(
            (id) => `entry ${id} added after sealing (not in digest ${digest.id})`,
          ),
        );
      } else if (!found.some((f) => f.startsWith('entry '))) {
        found.push(`entries of digest ${digest.id} were replaced or reordered (root does not match)${why}`);
      }
    }
    previous = digest;
    lines.push(
      `${label(hour)}  ${list.length} entries  ${found.length ? `FAILED: ${found.join('; ')}` : 'ok'}`,
    );
    problems.push(...found.map((f) => `${label(hour)}: ${f}`));
    bar?.increment();
  }
  bar?.stop();
  return { ok: problems.length === 0, lines, problems, hours: hours.length, entries };
}

/**
 * Entries whose removal gives the sealed root (one added entry; more are named together when
 * no single removal does). Quadratic, so only for hours of modest size.
 */
function addedEntries(list: Entry[], leaves: Buffer[], digest: AuditDigest): string[] {
  if (list.length - digest.count === 1 && list.length <= 20_000) {
    for (let skip = 0; skip < leaves.length; skip++) {
      const m = new MerkleBuilder();
      for (let i = 0; i < leaves.length; i++) if (i !== skip) m.add(leaves[i]!);
      if (m.root().toString('hex') === digest.rootHash) return [list[skip]!.id];
    }
  }
  return [`${list.length - digest.count} of ${list.map((e) => e.id).join(', ')}`];
}

export async function main(argv: string[], out: (line: string) => void = console.log): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      url: { type: 'string' },
      token: { type: 'string' },
      from: { type: 'string' },
      to: { type: 'string' },
      'lookback-days': { type: 'string' },
    },
  });
  if (!values.url || !values.token) {
    out('usage: npm run verify -- --url URL --token JWT [--from T] [--to T] [--lookback-days N]');
    return 2;
  }
  try {
    const report = await verifyWindow({
      url: values.url,
      token: values.token,
      from: values.from,
      to: values.to,
      lookbackDays: values['lookback-days'] ? Number(values['lookback-days']) : undefined,
    });
    for (const line of report.lines) out(line);
    out(
      report.ok
        ? `verified: ${report.hours} hour(s), ${report.entries} entries, every hash, root, link and signature ok`
        : `FAILED: ${report.problems.length} problem(s) in ${report.hours} hour(s), ${report.entries} entries:`,
    );
    for (const p of report.problems) out(`  ${p}`);
    return report.ok ? 0 : 1;
  } catch (err) {
    out(`verify could not run: ${err instanceof Error ? err.message : String(err)}`);
    return 2;
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  main(process.argv.slice(2)).then((code) => process.exit(code));
}

import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import pLimit from 'p-limit';
import {
  type Digest,
  digestHashOf,
  HOUR_MS,
  hourStart,
  isClosed,
  type PublicJwk,
  verifyDigestSignature,
} from '../shared/domain/integrity/digest.ts';
import { ERASED, recomputeEntryHash } from '../shared/domain/integrity/entry-hash.ts';
import { merkleRoot } from '../shared/domain/integrity/merkle.ts';

/**
 * `npm run verify -- --url URL --token JWT [--from T] [--to T] [--lookback-hours H]`
 *
 * Re-reads a window of the audit log through the API only (digests, their sealed leaf lists,
 * the keys, and the entries: list pages for the ids, then each entry in full) and recomputes
 * every entry hash, Merkle root, chain link and signature. One line per hour, a summary, and
 * exit code 1 naming each entry or digest that was changed, removed or added (2: bad usage or
 * the API could not be read). Hours are UTC hours of `recordedAt`; the window defaults to the
 * 24 hours before now. Entries are found by `occurredAt`, so the read starts `--lookback-hours`
 * (default 24) before the window, to catch events recorded long after they happened.
 */
export interface VerifyOptions {
  url: string;
  token: string;
  from: string;
  to: string;
  lookbackHours: number;
  now?: Date;
  /** Where lines go (stdout by default). */
  print?: (line: string) => void;
  /** A progress bar (stderr, on a TTY). */
  progress?: (done: number, total: number) => void;
}

export interface VerifyReport {
  ok: boolean;
  problems: string[];
  hours: number;
  entries: number;
}

type Entry = Record<string, unknown> & {
  id: string;
  recordedAt: string;
  integrity?: Record<string, unknown>;
};

class Api {
  constructor(
    private readonly base: string,
    private readonly token: string,
  ) {}

  async get<T>(path: string, allow404 = false): Promise<T | null> {
    for (let attempt = 0; ; attempt++) {
      const res = await fetch(`${this.base}${path}`, { headers: { authorization: `Bearer ${this.token}` } });
      if (res.status === 404 && allow404) return null;
      if ((res.status === 429 || res.status >= 500) && attempt < 5) {
        await new Promise((r) => setTimeout(r, 200 * 2 ** attempt));
        continue;
      }
      if (!res.ok) throw new Error(`GET ${path}: HTTP ${res.status} ${await res.text()}`);
      return (await res.json()) as T;
    }
  }

  async *pages<T>(path: string): AsyncGenerator<T> {
    let cursor: string | null = null;
    do {
      const sep = path.includes('?') ? '&' : '?';
      const page: { items: T[]; nextCursor: string | null } | null = await this.get(
        `${path}${cursor ? `${sep}cursor=${encodeURIComponent(cursor)}` : ''}`,
      );
      for (const item of page?.items ?? []) yield item;
      cursor = page?.nextCursor ?? null;
    } while (cursor);
  }
}

const hourLabel = (periodStart: string) => `${periodStart.slice(0, 16)}Z`;

export async function verifyWindow(o: VerifyOptions): Promise<VerifyReport> {
  const print = o.print ?? ((l: string) => console.log(l));
  const api = new Api(o.url.replace(/\/$/, ''), o.token);
  const now = o.now ?? new Date();
  const from = hourStart(o.from);
  const to = o.to;
  const problems: string[] = [];

  const keys = new Map(
    ((await api.get<{ keys: PublicJwk[] }>('/v1/audit-digests/keys'))?.keys ?? []).map((k) => [k.kid, k]),
  );
  const digests: Digest[] = [];
  for await (const d of api.pages<Digest>(`/v1/audit-digests?from=${from}&to=${to}&limit=200`))
    digests.push(d);

  // Entry ids through list pages (by occurredAt, looking back for late events), then each in full.
  const listFrom = new Date(Date.parse(from) - o.lookbackHours * HOUR_MS).toISOString();
  const listTo = new Date(Math.min(Date.parse(to) + 5 * 60_000, now.getTime() + 5 * 60_000)).toISOString();
  const ids: string[] = [];
  for await (const item of api.pages<Entry>(
    `/v1/audit-events?from=${listFrom}&to=${listTo}&order=asc&limit=200`,
  )) {
    if (item.recordedAt >= from && item.recordedAt < to) ids.push(item.id);
  }
  const limit = pLimit(8);
  const fetchEntry = (id: string) => api.get<Entry>(`/v1/audit-events/${encodeURIComponent(id)}`, true);
  const entries = (await Promise.all(ids.map((id) => limit(() => fetchEntry(id))))).filter(
    (e): e is Entry => !!e,
  );
  const byHour = new Map<string, Entry[]>();
  for (const e of entries) {
    const h = hourStart(e.recordedAt);
    byHour.set(h, [...(byHour.get(h) ?? []), e]);
  }

  // Every entry's own hash first.
  const badEntries = new Set<string>();
  for (const e of entries) {
    const stored = e.integrity?.hash;
    const { hash, erased, missing } = recomputeEntryHash(e);
    if (typeof stored !== 'string') {
      problems.push(`entry ${e.id}: carries no integrity hash`);
      badEntries.add(e.id);
    } else if (hash !== stored || missing.length > 0) {
      problems.push(`entry ${e.id}: changed (its content no longer matches its hash)`);
      badEntries.add(e.id);
    }
    for (const path of erased) {
      const value = path.split('.').reduce<unknown>((v, k) => (v as Record<string, unknown>)?.[k], e);
      if (typeof value !== 'string' || !value.includes(ERASED)) {
        problems.push(`entry ${e.id}: ${path} has no salt but does not read ${ERASED}`);
        badEntries.add(e.id);
      }
    }
  }

  const hours = [...new Set([...digests.map((d) => d.periodStart), ...byHour.keys()])].sort();
  const digestOf = new Map(digests.map((d) => [d.periodStart, d]));
  let previous: Digest | undefined;
  let done = 0;
  for (const periodStart of hours) {
    const digest = digestOf.get(periodStart);
    const inHour = byHour.get(periodStart) ?? [];
    const hourProblems: string[] = [];
    if (!digest) {
      if (isClosed(periodStart, now)) {
        hourProblems.push(
          `hour ${hourLabel(periodStart)}: closed but has no digest (removed, or not sealed): ${inHour.map((e) => e.id).join(', ')}`,
        );
      } else print(`${hourLabel(periodStart)}  ${inHour.length} entries  open (not sealed yet)`);
    } else {
      // The digest itself: its hash, its signature, its link to the one before.
      if (digestHashOf(digest) !== digest.digestHash)
        hourProblems.push(`digest ${digest.id}: changed (digestHash)`);
      const key = keys.get(digest.keyId);
      if (!key) hourProblems.push(`digest ${digest.id}: signed by unknown key ${digest.keyId}`);
      else if (!verifyDigestSignature(digest, key)) hourProblems.push(`digest ${digest.id}: bad signature`);
      if (previous && digest.previousDigestHash !== previous.digestHash) {
        hourProblems.push(
          `digest ${digest.id}: chain broken: the digest before it (after ${hourLabel(previous.periodStart)}) was removed or changed`,
        );
      }
      // Its sealed leaves against its root, then against the entries read now.
      const leaves: { id: string; hash: string }[] = [];
      for await (const leaf of api.pages<{ id: string; hash: string }>(
        `/v1/audit-digests/${encodeURIComponent(digest.id)}/leaves`,
      )) {
        leaves.push(leaf);
      }
      const root = merkleRoot(leaves.map((l) => Buffer.from(l.hash, 'hex'))).toString('hex');
      if (root !== digest.rootHash || leaves.length !== digest.count) {
        hourProblems.push(`digest ${digest.id}: its sealed leaf list does not match its root`);
      }
      const found = new Map(inHour.map((e) => [e.id, e]));
      for (const leaf of leaves) {
        let e = found.get(leaf.id);
        // Listed by occurredAt outside the lookback: fetch it by id.
        if (!e) e = (await fetchEntry(leaf.id)) ?? undefined;
        if (!e) hourProblems.push(`entry ${leaf.id}: removed (sealed in ${digest.id})`);
        else if (!badEntries.has(e.id) && recomputeEntryHash(e).hash !== leaf.hash) {
          hourProblems.push(`entry ${e.id}: changed since sealing`);
        }
        found.delete(leaf.id);
      }
      for (const e of found.values()) hourProblems.push(`entry ${e.id}: added (not in ${digest.id})`);
      previous = digest;
    }
    for (const e of inHour) if (badEntries.has(e.id)) hourProblems.push(`(entry ${e.id}, see above)`);
    if (digest || isClosed(periodStart, now)) {
      const count = digest ? digest.count : inHour.length;
      print(`${hourLabel(periodStart)}  ${count} entries  ${hourProblems.length === 0 ? 'ok' : 'FAILED'}`);
    }
    for (const p of hourProblems) if (!p.startsWith('(')) problems.push(p);
    o.progress?.(++done, hours.length);
  }
  const unique = [...new Set(problems)];
  for (const p of unique) print(`  ✗ ${p}`);
  print(
    `${unique.length === 0 ? 'OK' : 'FAILED'}: ${digests.length} digests, ${entries.length} entries, ${hours.length} hours checked` +
      (unique.length ? `, ${unique.length} problems` : ''),
  );
  return { ok: unique.length === 0, problems: unique, hours: hours.length, entries: entries.length };
}

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      url: { type: 'string' },
      token: { type: 'string' },
      from: { type: 'string' },
      to: { type: 'string' },
      'lookback-hours': { type: 'string', default: '24' },
    },
  });
  if (!values.url || !values.token) {
    console.error('usage: npm run verify -- --url URL --token JWT [--from T] [--to T] [--lookback-hours H]');
    return 2;
  }
  const now = new Date();
  const to = values.to ? new Date(values.to) : now;
  const from = values.from ? new Date(values.from) : new Date(to.getTime() - 24 * HOUR_MS);
  const lookback = Number(values['lookback-hours']);
  if (Number.isNaN(to.getTime()) || Number.isNaN(from.getTime()) || !(lookback >= 0)) {
    console.error('--from and --to must be ISO timestamps, --lookback-hours a number');
    return 2;
  }
  const tty = process.stderr.isTTY;
  const report = await verifyWindow({
    url: values.url,
    token: values.token,
    from: from.toISOString(),
    to: to.toISOString(),
    lookbackHours: lookback,
    now,
    progress: tty
      ? (done, total) => {
          const width = 30;
          const filled = Math.round((done / total) * width);
          process.stderr.write(
            `\r[${'#'.repeat(filled)}${' '.repeat(width - filled)}] ${done}/${total} hours`,
          );
          if (done === total) process.stderr.write('\n');
        }
      : undefined,
  });
  return report.ok ? 0 : 1;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
  main().then(
    (code) => process.exit(code),
    (err: unknown) => {
      console.error(`verify could not read the log: ${err instanceof Error ? err.message : String(err)}`);
      process.exit(2);
    },
  );
}

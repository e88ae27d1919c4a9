import type { JWK } from 'jose';
import pLimit from 'p-limit';
import {
  type AuditDigest,
  digestHashOf,
  digestId,
  HOUR_MS,
  hourStart,
  LEAF_PAGE,
  type Leaf,
  lastClosedHour,
  SEAL_GRACE_MS,
} from '../../domain/audit/digest.ts';
import { MerkleBuilder } from '../../domain/audit/merkle.ts';
import type { Clock } from '../../domain/time.ts';
import { type BackfillCursor, type BackfillStore, backfillLegacyEntries } from './backfill.ts';

/** What sealing needs from storage (shared/adapters/dynamodb/digest-store.ts). */
export interface SealStore {
  /** The tenant's chain head; `starting` while its chain start is not caught up to the present. */
  head(tenantId: string): Promise<{ digestHash: string; periodStart: string; starting?: boolean } | null>;
  /** `starting`: the head stays marked (a chain start's catch-up, before its last hour). */
  append(
    tenantId: string,
    digest: AuditDigest,
    previous: { digestHash: string; periodStart: string } | null,
    starting?: boolean,
  ): Promise<boolean>;
  putKey(jwk: JWK & { kid: string }, at: string): Promise<void>;
  /**
   * Stores leaves [start, start + leaves.length) of the tenant's digest of `periodStart`, written
   * once (a page already there is left as it is): before the digest, so a digest never lacks it.
   */
  putLeaves(tenantId: string, periodStart: string, start: number, leaves: Leaf[]): Promise<void>;
  cursor(): Promise<SealCursorLike | null>;
  saveCursor(cursor: SealCursorLike): Promise<void>;
  /** One page of an hour's partition; with `tenantId`, only that tenant's entries. */
  sealPage(
    hour: string,
    shard: number,
    startKey?: Record<string, unknown>,
    limit?: number,
    tenantId?: string,
  ): Promise<{ items: { tenantId: string; id: string; hash: string }[]; nextKey?: Record<string, unknown> }>;
}

export interface SealCursorLike {
  hour: string;
  shard: number;
  startKey?: Record<string, unknown>;
  /**
   * The tenant the page key cut: its Merkle state and its leaves not yet stored (< LEAF_PAGE);
   * `starting` when its chain has not started (its hour is re-read by the chain start).
   */
  partial?: {
    tenantId: string;
    merkle: ReturnType<MerkleBuilder['state']>;
    leaves?: Leaf[];
    starting?: boolean;
  };
}

/**
 * What starting a tenant's chain needs besides sealing: the legacy backfill (backfill.ts), its
 * progress (State, per tenant, saved like the sealer's cursor) and where the tenant's entries begin.
 */
export interface ChainStartStore extends BackfillStore {
  backfillState(tenantId: string): Promise<{ done: boolean; cursor: BackfillCursor } | null>;
  /** Saves and returns the stored state; its `oldestHour` only ever moves back (two backfills). */
  saveBackfillState(
    tenantId: string,
    state: { done: boolean; cursor: BackfillCursor },
  ): Promise<{ done: boolean; cursor: BackfillCursor }>;
}

export interface SealDeps {
  store: SealStore;
  signer: { publicJwk(): Promise<JWK & { kid: string }>; sign(message: string): Promise<string> };
  clock: Clock;
  /** bySeal partitions per hour (SEAL_SHARDS). */
  shards: number;
  /** Tenants sealed at once within an hour. */
  concurrency?: number;
  /** Items per bySeal page (DynamoDB's 1 MB page when unset). */
  pageLimit?: number;
  /** Leaves per stored leaf page (LEAF_PAGE when unset; small in tests). */
  leafPage?: number;
  /**
   * Chain starts (docs/data-model.md, legacy entries): with it, a tenant without a chain is first
   * backfilled, then sealed from its oldest entry's hour on. Without it, a chain starts at the
   * first hour sealed (unit tests of sealing alone).
   */
  start?: {
    store: ChainStartStore;
    /** The tenant's byTime write shards (shardResolver). */
    shardsFor: (tenantId: string) => number;
    pageLimit?: number;
  };
}

export interface SealOptions {
  /** Hours closed by `now` (end + SEAL_GRACE_MS) are sealed. */
  now: Date;
  /**
   * Start at this hour and leave the shared cursor alone (tests, a replay). Without it the run
   * resumes from the stored cursor, or on the very first run from the day before `now`.
   */
  fromHour?: string;
  /**
   * Seal only these tenants' hours, each read on its own (`begins_with` on the index's sort key),
   * and leave the shared cursor alone: a replay for some tenants, or tests sharing one stack, where
   * sealing everyone's hours would start another test's chain at an hour of its choosing.
   * Without `fromHour` the run starts where a first run would (a day back).
   */
  tenants?: readonly string[];
  /** Asked after each page: true = save the cursor and stop (the next invocation resumes). */
  shouldStop?: () => boolean;
  /**
   * Internal: the catch-up of a chain start (one tenant, `tenants` set), sealing its hours up to
   * and including `through`; every digest before that hour leaves the head marked `starting`.
   */
  catchUp?: { through: string };
}

export interface SealResult {
  digests: number;
  entries: number;
  pages: number;
  /** False when stopped early: the cursor holds where the next run resumes. */
  done: boolean;
  /** Start of the oldest hour not passed yet (the next run starts there). */
  nextHour: string;
  /** Legacy entries given their integrity by chain starts (backfill.ts). */
  enriched: number;
}

const FIRST_RUN_LOOKBACK_MS = 24 * HOUR_MS;

/**
 * Seals every closed hour since the cursor: for each hour and bySeal partition, reads the hashes
 * (tenants together, each by id), builds each tenant's RFC 6962 tree incrementally, and appends
 * one signed digest per (tenant, hour) with entries, chained to the tenant's head. Exactly once:
 * the append is a transaction conditioned on the head (digest-store.ts), and an hour at or before
 * the tenant's head is never sealed again. A run stopped between pages saves the page key and the
 * cut tenant's Merkle state; the next run continues with the same result as an unsplit run.
 */
export async function sealClosedHours(deps: SealDeps, opts: SealOptions): Promise<SealResult> {
  const closed = lastClosedHour(opts.now.getTime(), SEAL_GRACE_MS);
  const last = opts.catchUp ? Math.min(closed, Date.parse(opts.catchUp.through)) : closed;
  const shared = opts.fromHour === undefined && opts.tenants === undefined;
  let cursor: SealCursorLike = shared
    ? ((await deps.store.cursor()) ?? { hour: firstRunHour(last), shard: 0 })
    : {
        hour: opts.fromHour === undefined ? firstRunHour(last) : hourStart(Date.parse(opts.fromHour)),
        shard: 0,
      };
  const result: SealResult = {
    digests: 0,
    entries: 0,
    pages: 0,
    done: true,
    nextHour: cursor.hour,
    enriched: 0,
  };
  /** A chain start that could not finish in this run: the run stops at its hour (it waits). */
  let waiting = false;
  if (Date.parse(cursor.hour) > last || opts.tenants?.length === 0) return result;

  const jwk = await deps.signer.publicJwk();
  await deps.store.putKey(jwk, deps.clock.now().toISOString());
  const limit = pLimit(Math.max(1, deps.concurrency ?? 16));
  const leafPage = deps.leafPage ?? LEAF_PAGE;

  while (Date.parse(cursor.hour) <= last) {
    const hour = cursor.hour;
    for (let shard = cursor.shard; shard < deps.shards; shard++) {
      const pending: Promise<void>[] = [];
      const finish = (t: Sealing) => {
        pending.push(
          limit(async () => {
            await Promise.all(t.writes);
            const starts = deps.start !== undefined && !opts.catchUp;
            let head = t.starting || !starts ? undefined : await deps.store.head(t.tenantId);
            if (!t.starting && (!starts || (head && !head.starting))) {
              const written = await sealTenantHour(
                deps,
                opts,
                jwk.kid,
                t.tenantId,
                hour,
                t.merkle,
                async () => {
                  // The leaf list is complete before the digest that it belongs to is written.
                  if (t.leaves.length > 0) storeLeaves(t, hour);
                  await Promise.all(t.writes);
                },
                head,
              );
              if (written !== CHAIN_STARTING) {
                result.digests += written;
                return;
              }
              head = await deps.store.head(t.tenantId);
            }
            // No chain yet: backfill, then seal from the oldest hour through this one (re-read).
            const started = await startChain(deps, opts, t.tenantId, hour, head ?? null);
            result.digests += started.digests;
            result.enriched += started.enriched;
            if (!started.done) waiting = true;
          }),
        );
      };
      /** Stores the tenant's unstored leaves as the page that starts at their first index. */
      const storeLeaves = (t: Sealing, at: string) => {
        if (t.starting) return;
        const write = deps.store.putLeaves(t.tenantId, at, t.merkle.size - t.leaves.length, t.leaves);
        write.catch(() => {}); // awaited before the digest; this only keeps it from being unhandled
        t.writes.push(write);
        t.leaves = [];
      };
      // The whole partition (tenants together), or each named tenant's part of it.
      for (const only of opts.tenants ?? [undefined]) {
        let startKey = shard === cursor.shard ? cursor.startKey : undefined;
        let current: Sealing | undefined =
          shard === cursor.shard && cursor.partial
            ? {
                tenantId: cursor.partial.tenantId,
                merkle: new MerkleBuilder(cursor.partial.merkle),
                leaves: cursor.partial.leaves ?? [],
                writes: [],
                starting: cursor.partial.starting,
              }
            : undefined;
        for (;;) {
          const page = await deps.store.sealPage(hour, shard, startKey, deps.pageLimit, only);
          result.pages++;
          for (const item of page.items) {
            if (current?.tenantId !== item.tenantId) {
              if (current) finish(current);
              current = { tenantId: item.tenantId, merkle: new MerkleBuilder(), leaves: [], writes: [] };
            }
            result.entries++;
            if (current.starting) continue;
            current.merkle.add(Buffer.from(item.hash, 'hex'));
            current.leaves.push({ id: item.id, hash: item.hash });
            if (current.leaves.length === leafPage) {
              // Before a tenant's first leaf page: a tenant without a chain is re-read when its
              // chain starts (after its backfill, which may add entries to this very hour).
              if (current.merkle.size === leafPage && (await startsChain(deps, opts, current.tenantId))) {
                current = { ...current, merkle: new MerkleBuilder(), leaves: [], starting: true };
              } else storeLeaves(current, hour);
            }
          }
          startKey = page.nextKey;
          if (!startKey) break;
          if (opts.shouldStop?.()) {
            await Promise.all([...pending, ...(current?.writes ?? [])]);
            cursor = {
              hour,
              shard,
              startKey,
              ...(current
                ? {
                    partial: {
                      tenantId: current.tenantId,
                      merkle: current.merkle.state(),
                      leaves: current.leaves,
                      ...(current.starting ? { starting: true } : {}),
                    },
                  }
                : {}),
            };
            if (shared) await deps.store.saveCursor(cursor);
            return { ...result, done: false, nextHour: hour };
          }
        }
        if (current) finish(current);
      }
      await Promise.all(pending);
      if (waiting) {
        // A tenant's chain start waits (backfill cut by the time budget): so does this hour.
        cursor = { hour, shard };
        if (shared) await deps.store.saveCursor(cursor);
        return { ...result, done: false, nextHour: hour };
      }
    }
    cursor = { hour: new Date(Date.parse(hour) + HOUR_MS).toISOString(), shard: 0 };
    if (shared) await deps.store.saveCursor(cursor);
  }
  return { ...result, nextHour: cursor.hour };
}

/** A tenant's hour being read: its tree so far, leaves not stored yet, page writes under way. */
interface Sealing {
  tenantId: string;
  merkle: MerkleBuilder;
  leaves: Leaf[];
  writes: Promise<void>[];
  /** The tenant has no chain yet: its hour is not collected here but re-read by its chain start. */
  starting?: boolean;
}

/** True when the tenant's chain has not started (or not caught up): one GetItem of its head. */
async function startsChain(deps: SealDeps, opts: SealOptions, tenantId: string): Promise<boolean> {
  if (!deps.start || opts.catchUp) return false;
  const head = await deps.store.head(tenantId);
  return !head || head.starting === true;
}

/**
 * Starts (or goes on starting) a tenant's chain, met at `hour`: runs the tenant's legacy backfill
 * to its end (resumable: its cursor is saved in State after each run, and a run cut by the time
 * budget leaves `done` false, so the hour waits), then seals the tenant alone from its oldest
 * entry's hour (or the hour after its head) through `hour`, each hour read afresh. Digests before
 * `hour` leave the head marked `starting`, so no other sealer appends a later hour past a gap;
 * the digest of `hour` clears it. Safe with two sealers at once: the enrichment is conditional,
 * and every digest is appended in hour order under the head condition.
 */
async function startChain(
  deps: SealDeps,
  opts: SealOptions,
  tenantId: string,
  hour: string,
  head: { digestHash: string; periodStart: string; starting?: boolean } | null,
): Promise<{ done: boolean; digests: number; enriched: number }> {
  const start = deps.start!;
  let enriched = 0;
  let from = hour;
  if (head) from = new Date(Date.parse(head.periodStart) + HOUR_MS).toISOString();
  else {
    let state = await start.store.backfillState(tenantId);
    if (!state?.done) {
      const run = await backfillLegacyEntries(
        { store: start.store, shardsFor: start.shardsFor, pageLimit: start.pageLimit },
        { tenantId, cursor: state?.cursor, shouldStop: opts.shouldStop },
      );
      enriched = run.enriched;
      state = await start.store.saveBackfillState(tenantId, { done: run.done, cursor: run.cursor });
      if (!run.done) return { done: false, digests: 0, enriched };
    }
    // The chain starts at the oldest backfilled hour (legacy hours come first, in hour order).
    const oldest = state.cursor.oldestHour;
    if (oldest !== undefined && oldest < hour) from = oldest;
  }
  const sealed = await sealClosedHours(deps, {
    now: opts.now,
    fromHour: from,
    tenants: [tenantId],
    shouldStop: opts.shouldStop,
    catchUp: { through: hour },
  });
  return { done: sealed.done, digests: sealed.digests, enriched };
}

function firstRunHour(last: number): string {
  return hourStart(last - FIRST_RUN_LOOKBACK_MS);
}

/** sealTenantHour found the tenant's chain not started (or not caught up): startChain's turn. */
const CHAIN_STARTING = -1;

/**
 * One digest for the tenant's hour, unless the head is already at or past it. 1 if written;
 * CHAIN_STARTING (with chain starts on, outside a catch-up) when the head is missing or `starting`.
 */
async function sealTenantHour(
  deps: SealDeps,
  opts: SealOptions,
  keyId: string,
  tenantId: string,
  hour: string,
  merkle: MerkleBuilder,
  beforeAppend: () => Promise<void>,
  /** The head as just read (saves a read on the first attempt). */
  known?: { digestHash: string; periodStart: string; starting?: boolean } | null,
): Promise<number> {
  const periodStart = hour;
  let prepared = false;
  for (let attempt = 0; attempt < 3; attempt++) {
    const head = attempt === 0 && known !== undefined ? known : await deps.store.head(tenantId);
    if (head && head.periodStart >= periodStart) return 0;
    if (deps.start && !opts.catchUp && (!head || head.starting)) return CHAIN_STARTING;
    if (!prepared) {
      await beforeAppend();
      prepared = true;
    }
    const unsigned = {
      id: digestId(periodStart),
      periodStart,
      periodEnd: new Date(Date.parse(periodStart) + HOUR_MS).toISOString(),
      count: merkle.size,
      rootHash: merkle.root().toString('hex'),
      previousDigestHash: head?.digestHash ?? null,
      keyId,
      createdAt: deps.clock.now().toISOString(),
    };
    const digestHash = digestHashOf(unsigned);
    const signature = await deps.signer.sign(digestHash);
    const starting = opts.catchUp !== undefined && periodStart < opts.catchUp.through;
    if (await deps.store.append(tenantId, { ...unsigned, digestHash, signature }, head, starting)) return 1;
  }
  return 0;
}

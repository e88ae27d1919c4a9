import { ulid } from 'ulidx';
import type { UserCaller } from '../../domain/caller.ts';
import { ConflictError, ForbiddenError, NotFoundError } from '../../domain/errors.ts';
import type { Clock } from '../../domain/time.ts';
import {
  ERASURE_STREAMS,
  type ErasureInput,
  type ErasureRecord,
  type ErasureTask,
  type ErasureView,
  erasureVersions,
  erasureView,
} from '../../domain/trust/erasure.ts';
import { type LegalHold, personHeld } from '../../domain/trust/holds.ts';
import type { ErasureQueue, ErasureStore, ErasureTargets } from './ports.ts';

/**
 * Erasure of a person (API.md "Trust → Erasure of a person"). An owner asks; a person an active
 * legal hold covers is a 409 and nothing is written. The request is recorded in the audit log
 * (object `Person`, action `Erased`, the person's id only) and the work runs in the background:
 * each step does at most PAGES_PER_STEP pages, checkpoints the record, and queues the next step.
 * Every step can be repeated (a redelivered message, a crash before the checkpoint): a retired
 * key stays retired, entries already erased are left as they are, a deleted key stays deleted.
 *
 * The order closes the writers' race: the person's key version is retired first, and the walk
 * starts only once no writer's key cache can still hold it (`settle`), so no entry sealed under
 * that version is written after the walk passed its place; only then is the version destroyed.
 */
export const PAGES_PER_STEP = 10;

/**
 * Added to the key cache's age in AWS before the walk: an entry sealed with a cached key just
 * before the cache expired is stored by its writer within the writer's timeout, and then reaches
 * the indexes the walk reads (GSIs are eventually consistent: usually well under a second) on
 * clocks that may differ a little. Every function that makes person keys times out at least
 * INDEX_MARGIN_SECONDS sooner (test/infra asserts it), so the walk finds the entry.
 */
export const INDEX_MARGIN_SECONDS = 30;
export const WRITE_GRACE_SECONDS = 60;

export interface ErasureDeps {
  store: ErasureStore;
  holds(tenantId: string): Promise<LegalHold[]>;
  queue: ErasureQueue;
  audit: {
    record(
      events: {
        tenantId: string;
        occurredAt: string;
        actor: { type: 'user'; id: string; name: string };
        action: 'Erased';
        object: { type: 'Person'; id: string };
        source: { kind: 'web' };
      }[],
    ): Promise<void>;
  };
  nameOf(tenantId: string, userId: string): Promise<string>;
  clock: Clock;
  newId?: () => string;
}

function assertOwner(caller: UserCaller): void {
  if (caller.role !== 'owner') throw new ForbiddenError('Only owners may erase a person.');
}

export async function requestErasure(
  deps: ErasureDeps,
  caller: UserCaller,
  input: ErasureInput,
): Promise<ErasureView> {
  assertOwner(caller);
  if (personHeld(await deps.holds(caller.tenantId), input.personId)) {
    throw new ConflictError('An active legal hold covers this person; release it before erasing them.');
  }
  const now = deps.clock.now().toISOString();
  const record: ErasureRecord = {
    tenantId: caller.tenantId,
    id: (deps.newId ?? ulid)(),
    personId: input.personId,
    status: 'pending',
    phase: 'retire',
    stream: 0,
    shard: 0,
    auditEntries: 0,
    activityEntries: 0,
    requestedAt: now,
    updatedAt: now,
  };
  await deps.store.putErasure(record);
  await deps.audit.record([
    {
      tenantId: caller.tenantId,
      occurredAt: now,
      actor: { type: 'user', id: caller.userId, name: await deps.nameOf(caller.tenantId, caller.userId) },
      action: 'Erased',
      // The person's id only: no name, no e-mail.
      object: { type: 'Person', id: input.personId },
      source: { kind: 'web' },
    },
  ]);
  await deps.queue.enqueue({ tenantId: caller.tenantId, erasureId: record.id });
  return erasureView(record);
}

export async function getErasure(deps: ErasureDeps, caller: UserCaller, id: string): Promise<ErasureView> {
  assertOwner(caller);
  const record = /^[0-9A-Za-z]{1,64}$/.test(id) ? await deps.store.getErasure(caller.tenantId, id) : null;
  if (!record) throw new NotFoundError('No erasure with this id.');
  return erasureView(record);
}

export interface ErasureWorkerDeps {
  store: ErasureStore;
  holds(tenantId: string): Promise<LegalHold[]>;
  queue: ErasureQueue;
  targets: ErasureTargets;
  clock: Clock;
  pagesPerStep?: number;
}

/**
 * One step of an erasure: at most `pagesPerStep` pages (a retirement, a wait, a page of entries),
 * the record checkpointed after each, then the next step queued. Returns what the step left:
 * `more` (queued again), `waiting` (queued with a delay until key caches expired), `done`,
 * `blocked` (a hold now covers the person), `gone`, or `superseded` (another copy of this step
 * checkpointed first and carries on; this one stopped before doing more).
 */
export async function runErasureTask(
  deps: ErasureWorkerDeps,
  task: ErasureTask,
): Promise<'more' | 'waiting' | 'done' | 'blocked' | 'gone' | 'superseded'> {
  const loaded = await deps.store.getErasure(task.tenantId, task.erasureId);
  if (!loaded) return 'gone';
  let r: ErasureRecord = loaded;
  if (r.status !== 'pending') return r.status === 'done' ? 'done' : 'blocked';
  // Every checkpoint is written only over the record this step loaded or last wrote: a second
  // copy of the step (a redelivered or re-queued message) loses, and stops without a trace.
  const save = async (next: ErasureRecord) => {
    const written: ErasureRecord = { ...next, updatedAt: deps.clock.now().toISOString() };
    if (!(await deps.store.putErasure(written, r.updatedAt))) throw SUPERSEDED;
    r = written;
  };
  try {
    return await step();
  } catch (err) {
    if (err === SUPERSEDED) return 'superseded';
    throw err;
  }

  async function step(): Promise<'more' | 'waiting' | 'done' | 'blocked'> {
    // A hold placed after the request wins: the erasure stops before destroying anything more
    // (a version already retired stays readable: the entries sealed under it read as before).
    if (r.phase !== 'wait' && personHeld(await deps.holds(r.tenantId), r.personId)) {
      await save({ ...r, status: 'blocked' });
      return 'blocked';
    }
    const t = deps.targets;
    const waitUntil = () => new Date(deps.clock.now().getTime() + t.keyCacheSeconds * 1000).toISOString();
    for (let page = 0; page < (deps.pagesPerStep ?? PAGES_PER_STEP); page++) {
      if (r.phase === 'retire') {
        if (r.keyVersion === undefined) {
          // Checkpointed before retiring: a repeated step retires this version, never a newer one.
          const keyVersion = await t.keyVersion(r.tenantId, r.personId);
          // Versions erasures blocked by a hold retired and left readable: erased with this one.
          const before = new Set<string>();
          for (const e of await deps.store.erasuresOf(r.tenantId, r.personId)) {
            if (e.id !== r.id && e.status === 'blocked' && e.keyVersion && e.keyVersion !== keyVersion)
              before.add(e.keyVersion);
          }
          await save({ ...r, keyVersion, ...(before.size > 0 ? { retiredBefore: [...before] } : {}) });
          continue;
        }
        if (r.keyVersion !== null) await t.retireKey(r.tenantId, r.personId, r.keyVersion);
        await save({ ...r, phase: 'settle', waitUntil: waitUntil() });
      } else if (r.phase === 'settle' || r.phase === 'wait') {
        const left = Date.parse(r.waitUntil ?? '') - deps.clock.now().getTime();
        if (left > 0) {
          await deps.queue.enqueue(task, Math.ceil(left / 1000));
          return 'waiting';
        }
        if (r.phase === 'settle') {
          const next: ErasureRecord = { ...r, phase: 'audit', stream: 0, shard: 0 };
          delete next.waitUntil;
          await save(next);
          continue;
        }
        const now = deps.clock.now().toISOString();
        await save({ ...r, phase: 'done', status: 'done', completedAt: now });
        return 'done';
      } else if (r.phase === 'audit') {
        const stream = ERASURE_STREAMS[r.stream]!;
        const out = await t.auditPage(r.tenantId, r.personId, erasureVersions(r), stream, r.shard, r.after);
        const next: ErasureRecord = { ...r, auditEntries: r.auditEntries + out.changed };
        delete next.after;
        if (out.after) next.after = out.after;
        else if (stream === 'impersonator' && r.shard + 1 < t.shards(r.tenantId)) next.shard = r.shard + 1;
        else if (r.stream + 1 < ERASURE_STREAMS.length) {
          next.stream = r.stream + 1;
          next.shard = 0;
        } else next.phase = 'activity';
        await save(next);
      } else if (r.phase === 'activity') {
        const out = await t.activityPage(r.tenantId, r.personId, r.after);
        const next: ErasureRecord = { ...r, activityEntries: r.activityEntries + out.count };
        delete next.after;
        if (out.after) next.after = out.after;
        else next.phase = 'keys';
        await save(next);
      } else if (r.phase === 'keys') {
        const versions = erasureVersions(r);
        if (versions === undefined) await t.destroyKey(r.tenantId, r.personId, undefined);
        else for (const version of versions) await t.destroyKey(r.tenantId, r.personId, version);
        await t.tombstone(r.tenantId, r.personId);
        await save({ ...r, phase: 'wait', waitUntil: waitUntil() });
      }
    }
    await deps.queue.enqueue(task);
    return 'more';
  }
}

/** Thrown by a checkpoint another copy of the step wrote first (see `save`). */
const SUPERSEDED = new Error('erasure step superseded');

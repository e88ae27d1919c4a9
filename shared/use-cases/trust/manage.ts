import { ulid } from 'ulidx';
import type { z } from 'zod';
import type { UserCaller } from '../../domain/caller.ts';
import { ForbiddenError, NotFoundError } from '../../domain/errors.ts';
import type { Clock } from '../../domain/time.ts';
import type { LegalHold, LegalHoldInput } from '../../domain/trust/holds.ts';
import { type ExpiryJob, type jobProgressSchema, progressOf } from '../../domain/trust/jobs.ts';
import type { RetentionInput, RetentionMonths, TrustLog } from '../../domain/trust/retention.ts';
import type { ExpiryQueue } from './ports.ts';

/**
 * Legal holds and retention per tenant (API.md "Trust"): owners place and release holds and set
 * retention; owners and admins read both. Every change is recorded in the audit log (retention
 * with before and after values) and queues expiry jobs (./expiry.ts) for both logs (a hold) or
 * the changed log (retention), which bring stored expiries in line with the new state.
 */
export interface TrustAuditEvent {
  tenantId: string;
  occurredAt: string;
  actor: { type: 'user'; id: string; name: string };
  action: 'Created' | 'Released' | 'Updated';
  object: { type: 'LegalHold' | 'Setting'; id: string; name: string };
  source: { kind: 'web' };
  changes?: { field: string; before?: unknown; after?: unknown }[];
  details?: Record<string, unknown>;
}

export interface StoredRetention {
  auditMonths?: number;
  activityMonths?: number;
  updatedAt?: string;
  jobs?: Partial<Record<TrustLog, string>>;
}

export interface TrustStorePort {
  load(tenantId: string): Promise<{ holds: LegalHold[]; retention: StoredRetention }>;
  putRetention(tenantId: string, retention: StoredRetention): Promise<void>;
  createHold(tenantId: string, hold: LegalHold): Promise<void>;
  releaseHold(tenantId: string, id: string, at: string, by: string): Promise<LegalHold>;
  putJob(job: ExpiryJob): Promise<void>;
  getJob(tenantId: string, id: string): Promise<ExpiryJob | null>;
}

export type { ExpiryQueue } from './ports.ts';

export interface TrustDeps {
  store: TrustStorePort;
  defaults: RetentionMonths;
  audit: { record(events: TrustAuditEvent[]): Promise<void> };
  queue: ExpiryQueue;
  /** The display name of a user (the audit entry's actor); the id when unknown. */
  nameOf(tenantId: string, userId: string): Promise<string>;
  /** Drops this process's cached trust state of the tenant (reads see the change at once). */
  changed(tenantId: string): void;
  clock: Clock;
  newId?: () => string;
}

export type RetentionView = RetentionMonths & {
  progress: Partial<Record<TrustLog, z.infer<typeof jobProgressSchema>>>;
};

function assertOwner(caller: UserCaller, what: string): void {
  if (caller.role !== 'owner') throw new ForbiddenError(`Only owners may ${what}.`);
}
function assertOwnerOrAdmin(caller: UserCaller, what: string): void {
  if (caller.role !== 'owner' && caller.role !== 'admin')
    throw new ForbiddenError(`Only owners and admins may ${what}.`);
}

async function actorOf(deps: TrustDeps, caller: UserCaller): Promise<TrustAuditEvent['actor']> {
  return { type: 'user', id: caller.userId, name: await deps.nameOf(caller.tenantId, caller.userId) };
}

/** Creates one expiry job per log and queues it. */
export async function startExpiryJobs(
  deps: Pick<TrustDeps, 'store' | 'queue' | 'newId'>,
  tenantId: string,
  reason: ExpiryJob['reason'],
  logs: readonly TrustLog[],
  at: string,
): Promise<Partial<Record<TrustLog, string>>> {
  const ids: Partial<Record<TrustLog, string>> = {};
  for (const log of logs) {
    const job: ExpiryJob = {
      tenantId,
      id: (deps.newId ?? ulid)(),
      log,
      reason,
      status: 'running',
      pass: 1,
      shard: 0,
      entriesChecked: 0,
      entriesChanged: 0,
      createdAt: at,
      updatedAt: at,
    };
    await deps.store.putJob(job);
    await deps.queue.enqueue({ tenantId, jobId: job.id });
    ids[log] = job.id;
  }
  return ids;
}

export async function getRetention(deps: TrustDeps, caller: UserCaller): Promise<RetentionView> {
  assertOwnerOrAdmin(caller, 'read the retention settings');
  const { retention } = await deps.store.load(caller.tenantId);
  const progress: RetentionView['progress'] = {};
  for (const log of ['audit', 'activity'] as const) {
    const id = retention.jobs?.[log];
    const job = id ? await deps.store.getJob(caller.tenantId, id) : null;
    if (job) progress[log] = progressOf(job);
  }
  return {
    auditMonths: retention.auditMonths ?? deps.defaults.auditMonths,
    activityMonths: retention.activityMonths ?? deps.defaults.activityMonths,
    progress,
  };
}

export async function putRetention(
  deps: TrustDeps,
  caller: UserCaller,
  input: RetentionInput,
): Promise<RetentionView> {
  assertOwner(caller, 'change the retention settings');
  const now = deps.clock.now().toISOString();
  const { retention } = await deps.store.load(caller.tenantId);
  const before: RetentionMonths = {
    auditMonths: retention.auditMonths ?? deps.defaults.auditMonths,
    activityMonths: retention.activityMonths ?? deps.defaults.activityMonths,
  };
  const after: RetentionMonths = {
    auditMonths: input.auditMonths ?? before.auditMonths,
    activityMonths: input.activityMonths ?? before.activityMonths,
  };
  const changedLogs = (['audit', 'activity'] as const).filter(
    (log) => before[`${log}Months`] !== after[`${log}Months`],
  );
  if (changedLogs.length === 0) return getRetention(deps, caller);
  // The setting first: jobs read it afresh, so one that starts at once already applies it.
  const next: StoredRetention = { ...retention, ...input, updatedAt: now };
  await deps.store.putRetention(caller.tenantId, next);
  deps.changed(caller.tenantId);
  const jobs = await startExpiryJobs(deps, caller.tenantId, 'retention', changedLogs, now);
  await deps.store.putRetention(caller.tenantId, { ...next, jobs: { ...retention.jobs, ...jobs } });
  await deps.audit.record([
    {
      tenantId: caller.tenantId,
      occurredAt: now,
      actor: await actorOf(deps, caller),
      action: 'Updated',
      object: { type: 'Setting', id: 'retention', name: 'Retention' },
      source: { kind: 'web' },
      changes: changedLogs.map((log) => ({
        field: `${log}Months`,
        before: before[`${log}Months`],
        after: after[`${log}Months`],
      })),
    },
  ]);
  return getRetention(deps, caller);
}

export async function listHolds(deps: TrustDeps, caller: UserCaller): Promise<{ items: LegalHold[] }> {
  assertOwnerOrAdmin(caller, 'read legal holds');
  const { holds } = await deps.store.load(caller.tenantId);
  return { items: holds };
}

export async function placeHold(
  deps: TrustDeps,
  caller: UserCaller,
  input: LegalHoldInput,
): Promise<LegalHold> {
  assertOwner(caller, 'place legal holds');
  const now = deps.clock.now().toISOString();
  const hold: LegalHold = {
    id: (deps.newId ?? ulid)(),
    name: input.name,
    reason: input.reason,
    ...(input.personIds ? { personIds: input.personIds } : {}),
    status: 'active',
    createdAt: now,
    createdBy: caller.userId,
  };
  await deps.store.createHold(caller.tenantId, hold);
  await holdChanged(deps, caller, hold, now, 'Created', [
    { field: 'name', after: hold.name },
    { field: 'reason', after: hold.reason },
    { field: 'scope', after: hold.personIds ? 'persons' : 'tenant' },
    ...(hold.personIds ? [{ field: 'personIds', after: hold.personIds }] : []),
  ]);
  return hold;
}

export async function releaseHold(deps: TrustDeps, caller: UserCaller, id: string): Promise<LegalHold> {
  assertOwner(caller, 'release legal holds');
  if (!/^[0-9A-Za-z]{1,64}$/.test(id)) throw new NotFoundError('No legal hold with this id.');
  const now = deps.clock.now().toISOString();
  const hold = await deps.store.releaseHold(caller.tenantId, id, now, caller.userId);
  await holdChanged(deps, caller, hold, now, 'Released', [
    { field: 'status', before: 'active', after: 'released' },
  ]);
  return hold;
}

/**
 * After a hold is placed or released: this process's cached trust state dropped, an expiry job
 * started per log (stored expiries follow the hold), and the change recorded in the audit log.
 */
async function holdChanged(
  deps: TrustDeps,
  caller: UserCaller,
  hold: LegalHold,
  now: string,
  action: 'Created' | 'Released',
  changes: TrustAuditEvent['changes'],
): Promise<void> {
  deps.changed(caller.tenantId);
  const reason = action === 'Created' ? 'hold' : 'release';
  await startExpiryJobs(deps, caller.tenantId, reason, ['audit', 'activity'], now);
  await deps.audit.record([
    {
      tenantId: caller.tenantId,
      occurredAt: now,
      actor: await actorOf(deps, caller),
      action,
      object: { type: 'LegalHold', id: hold.id, name: hold.name },
      source: { kind: 'web' },
      changes,
    },
  ]);
}

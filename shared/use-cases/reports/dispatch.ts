// Scheduled reports in two steps.
//
// The tick (`dispatchDueSchedules`, every 15 minutes in AWS) only finds and claims: it reads the
// due schedules (one indexed query), orders them round-robin by tenant, pauses the schedules
// whose owner lost access, claims each due period's run (report, period) with a conditional
// write — or takes over one whose lease ran out — and hands the claimed runs to the run queue
// in that fair order. It moves `nextRunAt` past the runs that are complete.
//
// The run worker (`executeRun`, one queue message or one in-process call per run) starts the
// claimed attempt once, exports one file per effective view — the owner's view as the directory
// says now, narrowed to each recipient's own, recipients with the same view sharing a file — and
// e-mails each recipient their link, each send recorded before it goes out so a retry never
// repeats it. A run that failed releases its lease; the next tick takes it over.

import type { UserCaller } from '../../domain/caller.ts';
import { fileExtension } from '../../domain/exports/export-job.ts';
import { reportFileName } from '../../domain/exports/file-names.ts';
import { canUseLog, sharedView, type Viewer } from '../../domain/reports/access.ts';
import { describePeriod, nextOccurrence, type Period, previousPeriod } from '../../domain/reports/periods.ts';
import { resolveRange } from '../../domain/reports/range.ts';
import { reportCsvBom, type StoredReport, type StoredSchedule } from '../../domain/reports/report.ts';
import { logger } from '../../observability.ts';
import { mapBounded } from '../bounded-pool.ts';
import { reportReadyEmail } from './email/report-ready.ts';
import type {
  AccessChecker,
  AuditRecorder,
  Clock,
  DueSchedule,
  Email,
  ExportResult,
  ExportRunner,
  Mailer,
  Person,
  ReportStore,
  RunFile,
  RunKey,
  RunLedger,
  RunQueue,
  RunRecord,
  RunTask,
  ScheduleStore,
} from './ports.ts';

interface ScheduleDeps {
  reports: ReportStore;
  schedules: ScheduleStore;
  runs: RunLedger;
  people: AccessChecker;
  clock: Clock;
  options?: Partial<DispatchOptions>;
}

/** What the tick needs where runs go to a queue (AWS). */
export interface TickDeps extends ScheduleDeps {
  queue: RunQueue;
}

/** What a run worker needs. */
export interface RunDeps extends ScheduleDeps {
  mailer: Mailer;
  exports: ExportRunner;
  audit: AuditRecorder;
  linkDays: number;
}

/** Tick and workers in one process (tests, `npm start`): without a queue, runs run here and are awaited. */
export type DispatchDeps = RunDeps & { queue?: RunQueue };

export interface DispatchOptions {
  /** Due schedules read per tick (the index's oldest first), from which `batch` are taken fairly. */
  scan: number;
  /** Due schedules taken per tick, round-robin by tenant. */
  batch: number;
  /** Periods made up per schedule per tick; the rest follow on the next ticks, oldest first. */
  maxPeriodsPerTick: number;
  /**
   * How long a claimed run is held before another tick may take it over: longer than the run
   * worker's 15-minute timeout, so a slow export is never run twice at once. A worker's start
   * renews it.
   */
  leaseMs: number;
  /** Tries of a run (export and failed sends) before the run gives up and the schedule moves on. */
  maxAttempts: number;
  /** Schedules the tick claims at once. */
  concurrency: number;
  /** Runs executed at once when they run in this process. */
  workers: number;
}

const DEFAULTS: DispatchOptions = {
  scan: 8000,
  batch: 2000,
  maxPeriodsPerTick: 40,
  leaseMs: 16 * 60 * 1000,
  maxAttempts: 6,
  concurrency: 16,
  workers: 4,
};

export type RunStatus =
  /** Every recipient sent or skipped. */
  | 'sent'
  /** Claimed and handed to the run queue. */
  | 'queued'
  /** Some sends or the export failed; the next tick resumes the run. */
  | 'retrying'
  /** Gave up after maxAttempts; the schedule moved on. */
  | 'failed'
  /** Already complete, or another dispatcher or worker holds it. */
  | 'skipped'
  /** The owner lost access: the schedule is paused, nothing sent. */
  | 'paused';

export interface RunOutcome {
  tenantId: string;
  reportId: string;
  periodStart?: string;
  status: RunStatus;
}

const RUN_ACTOR = { type: 'system', name: 'Report scheduler' } as const;

/**
 * Round-robin by tenant: every tenant's oldest due schedule first (tenants in the order of their
 * oldest), then every tenant's second, and so on, up to `limit`. One tenant's fifty schedules
 * never hold back another tenant's one.
 */
export function fairOrder(due: readonly DueSchedule[], limit: number): DueSchedule[] {
  return roundRobin(
    [...due].sort((a, b) => a.nextRunAt.localeCompare(b.nextRunAt)),
    limit,
  );
}

/** Items in their order, interleaved by tenant: each tenant's first, then each one's second, … */
function roundRobin<T extends { tenantId: string }>(
  items: readonly T[],
  limit = Number.POSITIVE_INFINITY,
): T[] {
  const byTenant = new Map<string, T[]>();
  for (const d of items) {
    const list = byTenant.get(d.tenantId);
    if (list) list.push(d);
    else byTenant.set(d.tenantId, [d]);
  }
  const queues = [...byTenant.values()];
  const out: T[] = [];
  for (let round = 0; out.length < limit; round++) {
    let took = false;
    for (const q of queues) {
      const next = q[round];
      if (!next) continue;
      took = true;
      out.push(next);
      if (out.length >= limit) break;
    }
    if (!took) break;
  }
  return out;
}

interface Claimed {
  outcome: RunOutcome;
  task?: RunTask;
  /** The run is known complete (so nextRunAt may move past it). */
  complete: boolean;
  occurrence: Date;
}

interface ScheduleClaims {
  report: StoredReport;
  schedule: StoredSchedule;
  claims: Claimed[];
  /** The occurrence after the last one walked (where nextRunAt goes when all are complete). */
  next: Date;
}

export async function dispatchDueSchedules(deps: TickDeps | DispatchDeps): Promise<RunOutcome[]> {
  const opts = { ...DEFAULTS, ...deps.options };
  const now = deps.clock.now();
  const due = fairOrder(await deps.schedules.due(now, opts.scan), opts.batch);
  if (due.length === 0) return [];
  const outcomes: RunOutcome[][] = [];
  const walked: ScheduleClaims[] = [];
  await mapBounded(due, opts.concurrency, async (item, i) => {
    try {
      const result = await claimSchedule(deps, opts, item, now);
      if (result && 'paused' in result) outcomes[i] = [result.paused];
      else if (result) walked[i] = result;
    } catch (error) {
      // One schedule's failure (a dependency down) must not stop the others; it stays due.
      logger.error('schedule dispatch failed', {
        error,
        tenantId: item.tenantId,
        reportId: item.reportId,
      });
      outcomes[i] = [{ tenantId: item.tenantId, reportId: item.reportId, status: 'retrying' }];
    }
  });

  // Fan out in the fair order, made-up periods included: one task per claimed run.
  const claims = roundRobin(
    walked
      .flatMap((w) => (w ? w.claims.filter((c) => c.task) : []))
      .map((c) => ({ tenantId: c.outcome.tenantId, c })),
  ).map((x) => x.c);
  const tasks = claims.flatMap((c) => (c.task ? [c.task] : []));
  const queue = deps.queue ?? inProcessQueue(deps as RunDeps, opts.workers);
  let statuses: RunStatus[];
  try {
    statuses = tasks.length > 0 ? await queue.enqueue(tasks) : [];
  } catch (error) {
    logger.error('could not hand the claimed runs to the run queue', { error, runs: tasks.length });
    // Released at once: the next tick takes them over instead of waiting for the lease.
    await Promise.all(
      tasks.map((t) => deps.runs.update(t, { leaseUntil: now.toISOString() }).catch(() => undefined)),
    );
    statuses = tasks.map(() => 'retrying');
  }
  let t = 0;
  for (const c of claims) {
    if (!c.task) continue;
    const status = statuses[t++] ?? 'queued';
    c.outcome.status = status;
    if (status === 'sent' || status === 'failed') c.complete = true;
  }

  await mapBounded(walked, opts.concurrency, async (w, i) => {
    if (!w) return;
    outcomes[i] = w.claims.map((c) => c.outcome);
    const firstOpen = w.claims.find((c) => !c.complete)?.occurrence ?? w.next;
    if (firstOpen.toISOString() !== w.schedule.nextRunAt) {
      await deps.schedules
        .advance(w.report.tenantId, w.report.id, w.schedule.version, {
          nextRunAt: firstOpen.toISOString(),
        })
        .catch((error: unknown) => logger.error('could not move a schedule on', { error, ...w.report }));
    }
  });
  return outcomes.flatMap((o) => o ?? []);
}

async function claimSchedule(
  deps: ScheduleDeps,
  opts: DispatchOptions,
  item: DueSchedule,
  now: Date,
): Promise<ScheduleClaims | { paused: RunOutcome } | undefined> {
  const report = await deps.reports.get(item.tenantId, item.reportId);
  const schedule = report?.schedule;
  if (!report || !schedule || schedule.paused) return undefined;
  // The index is eventually consistent: trust the item, not the index row.
  if (Date.parse(schedule.nextRunAt) > now.getTime()) return undefined;

  const owner = (await deps.people.people(report.tenantId, [report.ownerId])).get(report.ownerId);
  const lost = ownerProblem(report, owner);
  if (lost) {
    await deps.schedules.advance(report.tenantId, report.id, schedule.version, {
      nextRunAt: schedule.nextRunAt,
      paused: { reason: lost, at: now.toISOString() },
    });
    logger.info('schedule paused', { tenantId: report.tenantId, reportId: report.id, reason: lost });
    return { paused: { tenantId: report.tenantId, reportId: report.id, status: 'paused' } };
  }

  const claims: Claimed[] = [];
  let occurrence = new Date(schedule.nextRunAt);
  while (occurrence.getTime() <= now.getTime() && claims.length < opts.maxPeriodsPerTick) {
    const period = periodOf(schedule, occurrence);
    const key = keyOf(report, schedule, occurrence);
    const outcome: RunOutcome = { ...key, status: 'skipped' };
    const { run, complete } = await acquire(deps, opts, key, period, occurrence, now);
    claims.push({
      outcome,
      complete,
      occurrence,
      ...(run ? { task: { ...key, scheduledFor: occurrence.toISOString(), attempt: run.attempts } } : {}),
    });
    occurrence = nextOccurrence(schedule, occurrence);
  }
  return { report, schedule, claims, next: occurrence };
}

function ownerProblem(report: StoredReport, owner: Person | undefined): string | undefined {
  if (!owner) return `The report’s owner (${report.ownerId}) is no longer in the directory.`;
  if (!owner.active) return `The report’s owner (${report.ownerId}) is deactivated.`;
  // The role and a curator's `reporting` permission as the directory says now, never a copy
  // taken when the report was saved.
  if (!owner.role || !canUseLog({ role: owner.role, reporting: owner.reporting }, report.log)) {
    return `The report’s owner (${report.ownerId}) may no longer see the ${report.log} log.`;
  }
  return undefined;
}

function periodOf(schedule: StoredSchedule, occurrence: Date): Period {
  return previousPeriod(schedule.frequency, occurrence, schedule.timeZone);
}

function keyOf(report: StoredReport, schedule: StoredSchedule, occurrence: Date): RunKey {
  return {
    tenantId: report.tenantId,
    reportId: report.id,
    periodStart: periodOf(schedule, occurrence).from.toISOString(),
  };
}

/** Claims the run, or takes over an unfinished one whose lease ran out; no run when not ours. */
async function acquire(
  deps: ScheduleDeps,
  opts: DispatchOptions,
  key: RunKey,
  period: Period,
  occurrence: Date,
  now: Date,
): Promise<{ run?: RunRecord; complete: boolean }> {
  const leaseUntil = new Date(now.getTime() + opts.leaseMs).toISOString();
  const fresh: RunRecord = {
    ...key,
    scheduledFor: occurrence.toISOString(),
    periodEnd: period.to.toISOString(),
    status: 'running',
    attempts: 1,
    phase: 'queued',
    leaseUntil,
    skipped: [],
    updatedAt: now.toISOString(),
  };
  if (await deps.runs.claim(fresh)) return { run: fresh, complete: false };
  const existing = await deps.runs.get(key);
  if (!existing) return { complete: false };
  if (existing.status === 'complete') return { complete: true };
  const taken = await deps.runs.takeOver(key, now.toISOString(), leaseUntil);
  return taken ? { run: taken, complete: false } : { complete: false };
}

/** Runs each task here, `workers` at once, and answers each run's status (no queue: tests, `npm start`). */
export function inProcessQueue(deps: RunDeps, workers = DEFAULTS.workers): RunQueue {
  return {
    enqueue: (tasks) =>
      // One run's failure must not stop the others: it is caught here and retried by a later tick.
      mapBounded(tasks, workers, async (task) => {
        try {
          return await executeRun(deps, task);
        } catch (error) {
          logger.error('scheduled run failed', { error, ...task });
          return 'retrying' as const;
        }
      }),
  };
}

/**
 * The run worker: starts the claimed attempt (once, however often the task is delivered), runs
 * it, and moves the schedule's `nextRunAt` past the runs now complete. Answers the run's status.
 */
export async function executeRun(
  deps: RunDeps,
  task: RunTask,
): Promise<'sent' | 'retrying' | 'failed' | 'skipped'> {
  const opts = { ...DEFAULTS, ...deps.options };
  const now = deps.clock.now();
  const leaseUntil = new Date(now.getTime() + opts.leaseMs).toISOString();
  const run = await deps.runs.start(task, task.attempt, now.toISOString(), leaseUntil);
  if (!run) return 'skipped';
  const report = await deps.reports.get(task.tenantId, task.reportId);
  const schedule = report?.schedule;
  if (!report || !schedule || schedule.paused) {
    await deps.runs.update(task, {
      status: 'complete',
      outcome: 'cancelled',
      error: 'The schedule was removed or paused before the run.',
    });
    return 'skipped';
  }
  const status = await runPeriod(deps, opts, report, schedule, run, new Date(task.scheduledFor), now);
  if (status === 'sent' || status === 'failed') await settle(deps, report, schedule, now);
  return status;
}

/** Moves `nextRunAt` past every complete run from where it stands (never past an open one). */
async function settle(
  deps: RunDeps,
  report: StoredReport,
  schedule: StoredSchedule,
  now: Date,
): Promise<void> {
  try {
    let occurrence = new Date(schedule.nextRunAt);
    while (occurrence.getTime() <= now.getTime()) {
      const run = await deps.runs.get(keyOf(report, schedule, occurrence));
      if (run?.status !== 'complete') break;
      occurrence = nextOccurrence(schedule, occurrence);
    }
    if (occurrence.toISOString() !== schedule.nextRunAt) {
      await deps.schedules.advance(report.tenantId, report.id, schedule.version, {
        nextRunAt: occurrence.toISOString(),
      });
    }
  } catch (error) {
    // The next tick moves it on instead.
    logger.warn('could not move a schedule on after its run', { error, tenantId: report.tenantId });
  }
}

interface Audience {
  view: string;
  /** Who the file is for; the first one's visibility narrows the export (all share the view). */
  recipients: Person[];
}

async function runPeriod(
  deps: RunDeps,
  opts: DispatchOptions,
  report: StoredReport,
  schedule: StoredSchedule,
  run: RunRecord,
  occurrence: Date,
  now: Date,
): Promise<'sent' | 'retrying' | 'failed'> {
  const period = periodOf(schedule, occurrence);
  const key: RunKey = run;
  const lastTry = run.attempts >= opts.maxAttempts;

  // Owner and recipients as the directory knows them now.
  const found = await deps.people.people(report.tenantId, [report.ownerId, ...schedule.recipients]);
  const owner = found.get(report.ownerId);
  const ownerLost = ownerProblem(report, owner);
  const skipped: RunRecord['skipped'] = [];
  const audiences = new Map<string, Audience>();
  for (const userId of schedule.recipients) {
    const person = found.get(userId);
    const reason = ownerLost ? 'the report’s owner lost access' : recipientProblem(report, person);
    const view =
      !reason && owner && person ? sharedView(viewer(owner), viewer(person), report.log) : undefined;
    if (reason || !view || !person) {
      skipped.push({ userId, reason: reason ?? `may no longer see the ${report.log} log` });
      continue;
    }
    const audience = audiences.get(view);
    if (audience) audience.recipients.push(person);
    else audiences.set(view, { view, recipients: [person] });
  }
  if (audiences.size === 0 || !owner) {
    await deps.runs.update(key, { status: 'complete', outcome: 'sent', skipped });
    return 'sent';
  }

  // One export per effective view; a retry reuses the files already made.
  const files = [...(run.files ?? [])];
  const filters = resolveRange(report.filters, { at: occurrence, schedule });
  for (const audience of audiences.values()) {
    if (files.some((f) => f.view === audience.view)) continue;
    try {
      const window =
        typeof filters.from === 'string' && typeof filters.to === 'string'
          ? { from: filters.from, to: filters.to }
          : {};
      const result = await deps.exports.run({
        tenantId: report.tenantId,
        caller: callerOf(report.tenantId, owner),
        viewers: [callerOf(report.tenantId, audience.recipients[0] as Person)],
        log: report.log,
        filters,
        source: { kind: 'scheduled_job', name: `Scheduled report ${report.name}`.slice(0, 128) },
        format: REPORT_FORMAT,
        csvBom: reportCsvBom(report),
        fileName: reportFileName(
          report.name,
          windowOf(window, period),
          schedule.timeZone,
          fileExtension(REPORT_FORMAT),
        ),
      });
      files.push({ view: audience.view, ...result, ...window });
      await deps.runs.update(key, { files });
    } catch (error) {
      logger.error('scheduled export failed', { error, ...key });
      const message = 'The export failed.';
      if (lastTry) {
        await deps.runs.update(key, { status: 'complete', outcome: 'failed', error: message });
        return 'failed';
      }
      await deps.runs.update(key, { error: message, leaseUntil: now.toISOString() });
      return 'retrying';
    }
  }

  const already = new Map((await deps.runs.sends(key)).map((s) => [s.userId, s]));
  let failed = 0;
  for (const audience of audiences.values()) {
    const file = files.find((f) => f.view === audience.view) as RunFile;
    const email = composeEmail(report, schedule, period, file, deps.linkDays);
    for (const person of audience.recipients) {
      const prior = already.get(person.id);
      if (prior && prior.status !== 'failed') continue;
      const at = deps.clock.now().toISOString();
      if (!(await deps.runs.claimSend(key, person.id, person.email, at))) continue;
      try {
        const { messageId } = await deps.mailer.send({ ...email, to: person.email });
        await deps.runs.markSend(key, person.id, {
          status: 'sent',
          messageId,
          at: deps.clock.now().toISOString(),
        });
      } catch (error) {
        failed++;
        logger.warn('report e-mail failed', { error, ...key, userId: person.id });
        await deps.runs.markSend(key, person.id, {
          status: 'failed',
          error: 'The e-mail could not be sent.',
          at,
        });
        if (lastTry) skipped.push({ userId: person.id, reason: `the e-mail failed ${run.attempts} times` });
      }
    }
  }
  // Recipients in the order of the schedule.
  const order = new Map(schedule.recipients.map((id, i) => [id, i]));
  skipped.sort((a, b) => (order.get(a.userId) ?? 0) - (order.get(b.userId) ?? 0));

  if (failed > 0 && !lastTry) {
    await deps.runs.update(key, { skipped, leaseUntil: now.toISOString() });
    return 'retrying';
  }
  const outcome = failed > 0 ? 'failed' : 'sent';
  await deps.runs.update(key, { status: 'complete', outcome, skipped });
  // The e-mails are out: a failure to record them must not make the run look unsent.
  const [first] = files;
  await recordRun(deps, [
    {
      id: `report-run:${report.id}:${period.from.toISOString()}`,
      tenantId: report.tenantId,
      occurredAt: deps.clock.now().toISOString(),
      actor: RUN_ACTOR,
      action: 'Generated',
      object: { type: 'Report', id: report.id, name: report.name },
      source: { kind: 'scheduled_job', name: 'Report scheduler' },
      details: {
        periodStart: period.from.toISOString(),
        periodEnd: period.to.toISOString(),
        ...(files.length === 1 && first ? { exportId: first.exportId, rowCount: first.rowCount } : {}),
        files: files.map((f) => ({
          exportId: f.exportId,
          rowCount: f.rowCount,
          recipients: audiences.get(f.view)?.recipients.map((p) => p.id) ?? [],
        })),
        recipients: schedule.recipients.filter((r) => !skipped.some((s) => s.userId === r)),
        ...(skipped.length > 0 ? { skipped } : {}),
      },
    },
  ]);
  return outcome;
}

function viewer(person: Person): Viewer {
  return {
    userId: person.id,
    role: person.role ?? 'learner',
    reporting: person.reporting,
    managers: person.managers,
  };
}

function callerOf(tenantId: string, person: Person): UserCaller {
  return {
    kind: 'user',
    tenantId,
    userId: person.id,
    role: person.role ?? 'learner',
    reporting: person.reporting,
  };
}

async function recordRun(deps: RunDeps, events: Parameters<AuditRecorder['record']>[0]): Promise<void> {
  try {
    await deps.audit.record(events);
  } catch (error) {
    logger.error('could not record a scheduled run in the audit log', { error, event: events[0] });
  }
}

function recipientProblem(report: StoredReport, person: Person | undefined): string | undefined {
  if (!person) return 'no longer in the directory';
  if (!person.active) return 'deactivated';
  if (!person.role || !canUseLog({ role: person.role, reporting: person.reporting }, report.log)) {
    return `may no longer see the ${report.log} log`;
  }
  return undefined;
}

/** Scheduled reports are CSV files. */
const REPORT_FORMAT = 'csv';

/** The window a file covers: the resolved filters' from/to, else the schedule's period. */
function windowOf(file: Pick<RunFile, 'from' | 'to'>, period: Period): Period {
  const from = file.from ? new Date(file.from) : undefined;
  const to = file.to ? new Date(file.to) : undefined;
  return from && to && Number.isFinite(from.getTime()) && Number.isFinite(to.getTime())
    ? { from, to }
    : period;
}

export function composeEmail(
  report: StoredReport,
  schedule: StoredSchedule,
  period: Period,
  file: ExportResult & Pick<RunFile, 'from' | 'to'>,
  linkDays: number,
): Omit<Email, 'to'> {
  const window = windowOf(file, period);
  const format = file.format ?? REPORT_FORMAT;
  return reportReadyEmail({
    tenantId: report.tenantId,
    reportName: report.name,
    frequency: schedule.frequency,
    period: describePeriod(window, schedule.timeZone),
    timeZone: schedule.timeZone,
    format: format.toUpperCase(),
    fileName: file.fileName ?? reportFileName(report.name, window, schedule.timeZone, fileExtension(format)),
    rowCount: file.rowCount,
    downloadUrl: file.downloadUrl,
    linkDays,
    ...(file.expiresAt ? { expiresAt: new Date(file.expiresAt) } : {}),
  });
}

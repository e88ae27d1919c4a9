import { canUseLog } from '../../domain/reports/access.ts';
import { describePeriod, nextOccurrence, type Period, previousPeriod } from '../../domain/reports/periods.ts';
import { resolveRange } from '../../domain/reports/range.ts';
import type { StoredReport, StoredSchedule } from '../../domain/reports/report.ts';
import { logger } from '../../observability.ts';
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
  RunKey,
  RunLedger,
  RunRecord,
  ScheduleStore,
} from './ports.ts';

/**
 * The schedule dispatcher: every tick it finds the due schedules (one indexed query), and for
 * each period due — oldest first, every missed one made up — claims the run (report, period)
 * with a conditional write, exports with the owner's visibility as it is now, and sends one
 * e-mail per recipient, each send recorded before it goes out so that a retry never sends it
 * twice and does retry the ones that failed. Only then does `nextRunAt` move on.
 */
export interface DispatchDeps {
  reports: ReportStore;
  schedules: ScheduleStore;
  runs: RunLedger;
  mailer: Mailer;
  exports: ExportRunner;
  people: AccessChecker;
  audit: AuditRecorder;
  clock: Clock;
  linkDays: number;
  options?: Partial<DispatchOptions>;
}

export interface DispatchOptions {
  /** Due schedules taken per tick. */
  batch: number;
  /** Periods made up per schedule per tick; the rest follow on the next ticks, oldest first. */
  maxPeriodsPerTick: number;
  /**
   * How long a claimed run is held before another dispatcher may resume it: longer than the
   * dispatcher Lambda's 15-minute timeout, so a slow export is never run twice at once.
   */
  leaseMs: number;
  /** Tries of a run (export and failed sends) before the run gives up and the schedule moves on. */
  maxAttempts: number;
  /** Schedules handled at once. */
  concurrency: number;
}

const DEFAULTS: DispatchOptions = {
  batch: 500,
  maxPeriodsPerTick: 40,
  leaseMs: 16 * 60 * 1000,
  maxAttempts: 6,
  concurrency: 4,
};

export type RunStatus =
  /** Every recipient sent or skipped. */
  | 'sent'
  /** Some sends or the export failed; the next tick resumes the run. */
  | 'retrying'
  /** Gave up after maxAttempts; the schedule moved on. */
  | 'failed'
  /** Already complete, or another dispatcher holds it. */
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

export async function dispatchDueSchedules(deps: DispatchDeps): Promise<RunOutcome[]> {
  const opts = { ...DEFAULTS, ...deps.options };
  const now = deps.clock.now();
  const due = await deps.schedules.due(now, opts.batch);
  const outcomes: RunOutcome[] = [];
  const queue = [...due];
  const worker = async () => {
    for (let item = queue.shift(); item; item = queue.shift()) {
      try {
        outcomes.push(...(await dispatchOne(deps, opts, item, now)));
      } catch (error) {
        // One schedule's failure (a dependency down) must not stop the others; it stays due.
        logger.error('schedule dispatch failed', { error, tenantId: item.tenantId, reportId: item.reportId });
        outcomes.push({ tenantId: item.tenantId, reportId: item.reportId, status: 'retrying' });
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, opts.concurrency) }, worker));
  return outcomes;
}

async function dispatchOne(
  deps: DispatchDeps,
  opts: DispatchOptions,
  item: DueSchedule,
  now: Date,
): Promise<RunOutcome[]> {
  const report = await deps.reports.get(item.tenantId, item.reportId);
  const schedule = report?.schedule;
  if (!report || !schedule || schedule.paused) return [];
  // The index is eventually consistent: trust the item, not the index row.
  if (Date.parse(schedule.nextRunAt) > now.getTime()) return [];

  const owner = (await deps.people.people(report.tenantId, [report.ownerId])).get(report.ownerId);
  const lost = ownerProblem(report, owner);
  if (lost) {
    await deps.schedules.advance(report.tenantId, report.id, schedule.version, {
      nextRunAt: schedule.nextRunAt,
      paused: { reason: lost, at: now.toISOString() },
    });
    logger.info('schedule paused', { tenantId: report.tenantId, reportId: report.id, reason: lost });
    return [{ tenantId: report.tenantId, reportId: report.id, status: 'paused' }];
  }

  const outcomes: RunOutcome[] = [];
  let occurrence = new Date(schedule.nextRunAt);
  let done = 0;
  while (occurrence.getTime() <= now.getTime() && done < opts.maxPeriodsPerTick) {
    const status = await runPeriod(deps, opts, report, schedule, owner as Person, occurrence, now);
    outcomes.push({
      tenantId: report.tenantId,
      reportId: report.id,
      periodStart: periodOf(schedule, occurrence).from.toISOString(),
      status,
    });
    if (status === 'retrying') break;
    if (status === 'skipped' && (await isHeldElsewhere(deps, report, schedule, occurrence, now))) break;
    occurrence = nextOccurrence(schedule, occurrence);
    done++;
  }
  if (occurrence.toISOString() !== schedule.nextRunAt) {
    await deps.schedules.advance(report.tenantId, report.id, schedule.version, {
      nextRunAt: occurrence.toISOString(),
    });
  }
  return outcomes;
}

function ownerProblem(report: StoredReport, owner: Person | undefined): string | undefined {
  if (!owner) return `The report’s owner (${report.ownerId}) is no longer in the directory.`;
  if (!owner.active) return `The report’s owner (${report.ownerId}) is deactivated.`;
  if (!owner.role || !canUseLog({ role: owner.role, reporting: report.ownerReporting }, report.log)) {
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

async function isHeldElsewhere(
  deps: DispatchDeps,
  report: StoredReport,
  schedule: StoredSchedule,
  occurrence: Date,
  now: Date,
): Promise<boolean> {
  const run = await deps.runs.get(keyOf(report, schedule, occurrence));
  return !!run && run.status !== 'complete' && Date.parse(run.leaseUntil) > now.getTime();
}

/** Claims the run, or takes over an unfinished one whose lease ran out; undefined when not ours. */
async function acquire(
  deps: DispatchDeps,
  opts: DispatchOptions,
  key: RunKey,
  period: Period,
  occurrence: Date,
  now: Date,
): Promise<RunRecord | undefined> {
  const leaseUntil = new Date(now.getTime() + opts.leaseMs).toISOString();
  const fresh: RunRecord = {
    ...key,
    scheduledFor: occurrence.toISOString(),
    periodEnd: period.to.toISOString(),
    status: 'running',
    attempts: 1,
    leaseUntil,
    skipped: [],
    updatedAt: now.toISOString(),
  };
  if (await deps.runs.claim(fresh)) return fresh;
  const existing = await deps.runs.get(key);
  if (!existing || existing.status === 'complete') return undefined;
  return deps.runs.takeOver(key, now.toISOString(), leaseUntil);
}

async function runPeriod(
  deps: DispatchDeps,
  opts: DispatchOptions,
  report: StoredReport,
  schedule: StoredSchedule,
  owner: Person,
  occurrence: Date,
  now: Date,
): Promise<RunStatus> {
  const period = periodOf(schedule, occurrence);
  const key = keyOf(report, schedule, occurrence);
  const run = await acquire(deps, opts, key, period, occurrence, now);
  if (!run) return 'skipped';
  const lastTry = run.attempts >= opts.maxAttempts;

  // Who may still receive it, as the directory says now; nobody left → nothing to export.
  const recipients = await deps.people.people(report.tenantId, schedule.recipients);
  const eligible = schedule.recipients.filter((id) => !recipientProblem(report, recipients.get(id)));
  if (eligible.length === 0) {
    const skippedAll = schedule.recipients.map((userId) => ({
      userId,
      reason: recipientProblem(report, recipients.get(userId)) ?? '',
    }));
    await deps.runs.update(key, { status: 'complete', outcome: 'sent', skipped: skippedAll });
    return 'sent';
  }

  let exported: ExportResult | undefined = run.export;
  if (!exported) {
    const filters = resolveRange(report.filters, { at: occurrence, schedule });
    try {
      const result = await deps.exports.run({
        tenantId: report.tenantId,
        caller: {
          kind: 'user',
          tenantId: report.tenantId,
          userId: owner.id,
          role: owner.role ?? 'learner',
          reporting: report.ownerReporting,
        },
        log: report.log,
        filters,
        source: { kind: 'scheduled_job', name: `Scheduled report ${report.name}`.slice(0, 128) },
      });
      exported = result;
      const window =
        typeof filters.from === 'string' && typeof filters.to === 'string'
          ? { from: filters.from, to: filters.to }
          : {};
      await deps.runs.update(key, { export: { ...result, ...window } });
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

  const skipped: RunRecord['skipped'] = [];
  const already = new Map((await deps.runs.sends(key)).map((s) => [s.userId, s]));
  let failed = 0;
  const email = composeEmail(report, schedule, period, exported, deps.linkDays);
  for (const userId of schedule.recipients) {
    const person = recipients.get(userId);
    const reason = recipientProblem(report, person);
    if (reason) {
      skipped.push({ userId, reason });
      continue;
    }
    const prior = already.get(userId);
    if (prior && prior.status !== 'failed') continue;
    const at = deps.clock.now().toISOString();
    if (!(await deps.runs.claimSend(key, userId, (person as Person).email, at))) continue;
    try {
      const { messageId } = await deps.mailer.send({ ...email, to: (person as Person).email });
      await deps.runs.markSend(key, userId, {
        status: 'sent',
        messageId,
        at: deps.clock.now().toISOString(),
      });
    } catch (error) {
      failed++;
      logger.warn('report e-mail failed', { error, ...key, userId });
      await deps.runs.markSend(key, userId, { status: 'failed', error: 'The e-mail could not be sent.', at });
      if (lastTry) skipped.push({ userId, reason: `the e-mail failed ${run.attempts} times` });
    }
  }

  if (failed > 0 && !lastTry) {
    await deps.runs.update(key, { skipped, leaseUntil: now.toISOString() });
    return 'retrying';
  }
  const outcome = failed > 0 ? 'failed' : 'sent';
  await deps.runs.update(key, { status: 'complete', outcome, skipped });
  // The e-mails are out: a failure to record them must not make the run look unsent.
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
        exportId: exported.exportId,
        rowCount: exported.rowCount,
        recipients: schedule.recipients.filter((r) => !skipped.some((s) => s.userId === r)),
        ...(skipped.length > 0 ? { skipped } : {}),
      },
    },
  ]);
  return outcome;
}

async function recordRun(deps: DispatchDeps, events: Parameters<AuditRecorder['record']>[0]): Promise<void> {
  try {
    await deps.audit.record(events);
  } catch (error) {
    logger.error('could not record a scheduled run in the audit log', { error, event: events[0] });
  }
}

function recipientProblem(report: StoredReport, person: Person | undefined): string | undefined {
  if (!person) return 'no longer in the directory';
  if (!person.active) return 'deactivated';
  if (!person.role || !canUseLog({ role: person.role, reporting: false }, report.log)) {
    return `may no longer see the ${report.log} log`;
  }
  return undefined;
}

const escapeHtml = (s: string) =>
  s.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c,
  );

export function composeEmail(
  report: StoredReport,
  schedule: StoredSchedule,
  period: Period,
  exported: ExportResult,
  linkDays: number,
): Omit<Email, 'to'> {
  const days = describePeriod(period, schedule.timeZone);
  const covered = `${days} (${schedule.timeZone})`;
  const rows = `${exported.rowCount} ${exported.rowCount === 1 ? 'row' : 'rows'}`;
  const subject = `Scheduled report: ${report.name}, ${days}`;
  const text = [
    `Your scheduled ${schedule.frequency} report "${report.name}" is ready.`,
    '',
    `Period covered: ${covered}`,
    `Rows: ${rows.split(' ')[0]}`,
    '',
    `Download (valid ${linkDays} days): ${exported.downloadUrl}`,
    '',
    'You receive this e-mail because you are a recipient of this scheduled report in Logbook.',
  ].join('\n');
  const html = `<!doctype html><html><body style="font-family:sans-serif">
<h2>${escapeHtml(report.name)}</h2>
<p>Your scheduled ${schedule.frequency} report is ready.</p>
<table><tr><td>Period covered</td><td>${escapeHtml(covered)}</td></tr>
<tr><td>Rows</td><td>${exported.rowCount}</td></tr></table>
<p><a href="${escapeHtml(exported.downloadUrl)}">Download the export</a> (link valid ${linkDays} days)</p>
<p style="color:#666;font-size:small">You receive this e-mail because you are a recipient of this scheduled report in Logbook.</p>
</body></html>`;
  return { subject, text, html };
}

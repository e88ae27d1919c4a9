import { ConflictError, DuplicateError } from '../../../shared/domain/errors.ts';
import type { ReportQuota, StoredReport } from '../../../shared/domain/reports/report.ts';
import type {
  AccessChecker,
  AuditRecorder,
  Clock,
  DueSchedule,
  Email,
  ExportRunner,
  FilterValidator,
  Mailer,
  Person,
  ReportAuditEvent,
  ReportStore,
  RunKey,
  RunLedger,
  RunRecord,
  ScheduleStore,
  SendRecord,
} from '../../../shared/use-cases/reports/ports.ts';

/** In-memory stand-ins for the report use cases' ports, with the same conditional semantics. */
export class FakeClock implements Clock {
  constructor(public current: Date) {}
  now(): Date {
    return new Date(this.current);
  }
  set(iso: string): void {
    this.current = new Date(iso);
  }
  advance(ms: number): void {
    this.current = new Date(this.current.getTime() + ms);
  }
}

const clone = <T>(v: T): T => structuredClone(v);
const runId = (k: RunKey) => `${k.tenantId}|${k.reportId}|${k.periodStart}`;

export class MemoryState implements ReportStore, ScheduleStore {
  readonly reports = new Map<string, StoredReport>();
  readonly runs = new Map<string, RunRecord>();
  readonly sendRecords = new Map<string, SendRecord>();
  dueQueries = 0;

  private rid(t: string, id: string) {
    return `${t}|${id}`;
  }
  async get(tenantId: string, id: string) {
    const r = this.reports.get(this.rid(tenantId, id));
    return r ? clone(r) : undefined;
  }
  async listByTenant(tenantId: string) {
    return [...this.reports.values()].filter((r) => r.tenantId === tenantId).map(clone);
  }
  /** The tenant's counts, as the store's counter keeps them. */
  counts(tenantId: string): ReportQuota {
    const all = [...this.reports.values()].filter((r) => r.tenantId === tenantId);
    return { reports: all.length, schedules: all.filter((r) => r.schedule).length };
  }
  async create(report: StoredReport, quota: ReportQuota) {
    const k = this.rid(report.tenantId, report.id);
    if (this.reports.has(k)) throw new DuplicateError('exists');
    if (this.counts(report.tenantId).reports >= quota.reports) throw new ConflictError('too many reports');
    this.reports.set(k, clone(report));
  }
  async save(report: StoredReport, previous: StoredReport, quota: ReportQuota) {
    const k = this.rid(report.tenantId, report.id);
    const stored = this.reports.get(k);
    if (!stored || stored.schedule?.version !== previous.schedule?.version)
      throw new ConflictError('changed');
    if (report.schedule && !previous.schedule && this.counts(report.tenantId).schedules >= quota.schedules)
      throw new ConflictError('too many schedules');
    this.reports.set(k, clone(report));
  }
  async delete(report: StoredReport) {
    const k = this.rid(report.tenantId, report.id);
    if (this.reports.get(k)?.schedule?.version !== report.schedule?.version)
      throw new ConflictError('changed');
    this.reports.delete(k);
  }
  async due(now: Date, limit: number): Promise<DueSchedule[]> {
    this.dueQueries++;
    return [...this.reports.values()]
      .filter((r) => r.schedule && !r.schedule.paused && Date.parse(r.schedule.nextRunAt) <= now.getTime())
      .sort((a, b) => (a.schedule?.nextRunAt ?? '').localeCompare(b.schedule?.nextRunAt ?? ''))
      .slice(0, limit)
      .map((r) => ({ tenantId: r.tenantId, reportId: r.id, nextRunAt: r.schedule?.nextRunAt ?? '' }));
  }
  async advance(
    tenantId: string,
    reportId: string,
    version: string,
    state: { nextRunAt: string; paused?: { reason: string; at: string } },
  ) {
    const r = this.reports.get(this.rid(tenantId, reportId));
    if (!r?.schedule || r.schedule.version !== version) return false;
    r.schedule.nextRunAt = state.nextRunAt;
    if (state.paused) {
      r.schedule.paused = true;
      r.schedule.pausedReason = state.paused.reason;
    }
    return true;
  }
  async claim(run: RunRecord) {
    const k = runId(run);
    if (this.runs.has(k)) return false;
    this.runs.set(k, clone(run));
    return true;
  }
  async takeOver(key: RunKey, now: string, leaseUntil: string) {
    const run = this.runs.get(runId(key));
    if (!run || run.status === 'complete' || run.leaseUntil > now) return undefined;
    run.leaseUntil = leaseUntil;
    run.attempts += 1;
    run.phase = 'queued';
    return clone(run);
  }
  async start(key: RunKey, attempt: number, now: string, leaseUntil: string) {
    const run = this.runs.get(runId(key));
    if (run?.status !== 'running' || run.attempts !== attempt || run.phase !== 'queued') return undefined;
    Object.assign(run, { phase: 'started', leaseUntil, updatedAt: now });
    return clone(run);
  }
  async update(key: RunKey, patch: Partial<RunRecord>) {
    const run = this.runs.get(runId(key));
    if (run) Object.assign(run, clone(patch));
  }
  async claimSend(key: RunKey, userId: string, to: string, at: string) {
    const k = `${runId(key)}|${userId}`;
    const prior = this.sendRecords.get(k);
    if (prior && prior.status !== 'failed') return false;
    this.sendRecords.set(k, { userId, status: 'sending', to, at });
    return true;
  }
  async markSend(
    key: RunKey,
    userId: string,
    result: { status: 'sent' | 'failed'; messageId?: string; error?: string; at: string },
  ) {
    const k = `${runId(key)}|${userId}`;
    const prior = this.sendRecords.get(k);
    this.sendRecords.set(k, { ...(prior ?? { userId }), ...result } as SendRecord);
  }
  async sends(key: RunKey) {
    const prefix = `${runId(key)}|`;
    return [...this.sendRecords.entries()].filter(([k]) => k.startsWith(prefix)).map(([, v]) => clone(v));
  }
  // RunLedger.get and ReportStore.get share a name; the ledger's is getRun below, bound in deps.
  async getRun(key: RunKey) {
    const r = this.runs.get(runId(key));
    return r ? clone(r) : undefined;
  }
  ledger(): RunLedger {
    return {
      claim: (r) => this.claim(r),
      get: (k) => this.getRun(k),
      takeOver: (k, n, l) => this.takeOver(k, n, l),
      start: (k, a, n, l) => this.start(k, a, n, l),
      update: (k, p) => this.update(k, p),
      claimSend: (k, u, t, a) => this.claimSend(k, u, t, a),
      markSend: (k, u, r) => this.markSend(k, u, r),
      sends: (k) => this.sends(k),
    };
  }
}

export class FakeMailer implements Mailer {
  readonly sent: (Email & { at: string })[] = [];
  /** Addresses whose next N sends fail. */
  readonly failures = new Map<string, number>();
  constructor(private readonly clock: Clock) {}
  async send(email: Email) {
    const left = this.failures.get(email.to) ?? 0;
    if (left > 0) {
      this.failures.set(email.to, left - 1);
      throw new Error('SES is unavailable');
    }
    this.sent.push({ ...email, at: this.clock.now().toISOString() });
    return { messageId: `m-${this.sent.length}` };
  }
}

export class FakeExports implements ExportRunner {
  readonly calls: Parameters<ExportRunner['run']>[0][] = [];
  failNext = 0;
  async run(input: Parameters<ExportRunner['run']>[0]) {
    if (this.failNext > 0) {
      this.failNext--;
      throw new Error('export failed');
    }
    this.calls.push(structuredClone(input));
    const n = this.calls.length;
    return { exportId: `x-${n}`, rowCount: 3, downloadUrl: `http://localhost/v1/downloads/tok-${n}` };
  }
}

export class FakePeople implements AccessChecker {
  readonly byTenant = new Map<string, Map<string, Person>>();
  add(tenantId: string, person: Partial<Person> & { id: string }): void {
    let m = this.byTenant.get(tenantId);
    if (!m) {
      m = new Map();
      this.byTenant.set(tenantId, m);
    }
    m.set(person.id, {
      name: `Name ${person.id}`,
      email: `${person.id}@example.com`,
      active: true,
      role: 'admin',
      reporting: false,
      managers: [],
      ...person,
    });
  }
  update(tenantId: string, id: string, patch: Partial<Person>): void {
    const p = this.byTenant.get(tenantId)?.get(id);
    if (p) Object.assign(p, patch);
  }
  async people(tenantId: string, ids: readonly string[]) {
    const m = this.byTenant.get(tenantId) ?? new Map<string, Person>();
    const out = new Map<string, Person>();
    for (const id of ids) {
      const p = m.get(id);
      if (p) out.set(id, { ...p });
    }
    return out;
  }
}

export class FakeAudit implements AuditRecorder {
  readonly events: ReportAuditEvent[] = [];
  async record(events: ReportAuditEvent[]) {
    this.events.push(...structuredClone(events));
  }
}

export const acceptAllFilters: FilterValidator = { validate: () => [] };

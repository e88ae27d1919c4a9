import { nextOccurrence } from '../../../shared/domain/reports/periods.ts';
import type { StoredReport } from '../../../shared/domain/reports/report.ts';
import type { DispatchDeps } from '../../../shared/use-cases/reports/dispatch.ts';
import {
  acceptAllFilters,
  FakeAudit,
  FakeClock,
  FakeExports,
  FakeMailer,
  FakePeople,
  MemoryState,
} from './fakes.ts';

export const TENANT = 'acme';

/** A tenant with in-memory stores, a fake clock and a few directory people. */
export function world(startIso: string) {
  const clock = new FakeClock(new Date(startIso));
  const state = new MemoryState();
  const mailer = new FakeMailer(clock);
  const exports = new FakeExports();
  const people = new FakePeople();
  const audit = new FakeAudit();
  people.add(TENANT, { id: 'u-owner', role: 'admin' });
  people.add(TENANT, { id: 'u-a', role: 'admin' });
  people.add(TENANT, { id: 'u-b', role: 'owner' });
  people.add(TENANT, { id: 'u-hr', role: 'hr' });
  people.add(TENANT, { id: 'u-learner', role: 'learner' });
  const deps: DispatchDeps = {
    reports: state,
    schedules: state,
    runs: state.ledger(),
    mailer,
    exports,
    people,
    audit,
    clock,
    linkDays: 7,
  };
  let n = 0;
  const addReport = (over: {
    frequency: 'daily' | 'weekly' | 'monthly' | 'quarterly';
    timeZone?: string;
    hour?: number;
    recipients?: string[];
    log?: 'audit' | 'activity';
    filters?: StoredReport['filters'];
    ownerId?: string;
  }): StoredReport => {
    n++;
    const timing = { frequency: over.frequency, timeZone: over.timeZone ?? 'UTC', hour: over.hour ?? 6 };
    const now = clock.now().toISOString();
    const report: StoredReport = {
      tenantId: TENANT,
      id: `r-${String(n).padStart(3, '0')}`,
      name: `Report ${n}`,
      log: over.log ?? 'audit',
      filters: over.filters ?? {},
      visibility: 'private',
      ownerId: over.ownerId ?? 'u-owner',
      createdAt: now,
      updatedAt: now,
      schedule: {
        version: `v${n}`,
        ...timing,
        recipients: over.recipients ?? ['u-a'],
        nextRunAt: nextOccurrence(timing, clock.now()).toISOString(),
        paused: false,
        createdAt: now,
        updatedAt: now,
      },
    };
    state.reports.set(`${TENANT}|${report.id}`, report);
    return report;
  };
  return { clock, state, mailer, exports, people, audit, deps, addReport, filters: acceptAllFilters };
}

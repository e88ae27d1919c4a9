import { beforeEach, describe, expect, it } from 'vitest';
import type { Role, UserCaller } from '../../../shared/domain/caller.ts';
import { ForbiddenError, NotFoundError, ValidationError } from '../../../shared/domain/errors.ts';
import { parseInput } from '../../../shared/domain/issues.ts';
import { reportInputSchema, scheduleInputSchema } from '../../../shared/domain/reports/report.ts';
import {
  createReport,
  deleteReport,
  deleteSchedule,
  getReport,
  listReports,
  type ManageDeps,
  putSchedule,
  updateReport,
} from '../../../shared/use-cases/reports/manage.ts';
import { TENANT, world } from './world.ts';

const caller = (
  userId: string,
  role: Exclude<Role, 'service'>,
  tenantId = TENANT,
  reporting = false,
): UserCaller => ({
  kind: 'user',
  tenantId,
  userId,
  role,
  reporting,
});
const admin = caller('u-admin', 'admin');
const owner = caller('u-boss', 'owner');
const hr = caller('u-hr', 'hr');
const manager = caller('u-mgr', 'manager');
const learner = caller('u-learner', 'learner');
const otherTenantAdmin = caller('u-admin', 'admin', 'globex');

const auditInput = (visibility: 'private' | 'shared' = 'private') =>
  parseInput(reportInputSchema, {
    name: 'Deletions',
    log: 'audit',
    filters: { action: 'Deleted' },
    visibility,
  });
const activityInput = (visibility: 'private' | 'shared' = 'private') =>
  parseInput(reportInputSchema, {
    name: 'Completions',
    log: 'activity',
    filters: { completed: 'true' },
    visibility,
  });

let w: ReturnType<typeof world>;
let deps: ManageDeps & { cursorKey: Uint8Array };
let ids = 0;

beforeEach(() => {
  w = world('2026-05-10T07:00:00.000Z');
  ids = 0;
  deps = {
    reports: w.state,
    people: w.people,
    filters: w.filters,
    audit: w.audit,
    clock: w.clock,
    cursorKey: new TextEncoder().encode('test-key-test-key'),
    newId: () => `01R${String(++ids).padStart(5, '0')}`,
  };
});

describe('saved reports', () => {
  it('creates a report owned by the caller and records it in the audit log', async () => {
    const report = await createReport(deps, admin, auditInput());
    expect(report).toMatchObject({
      name: 'Deletions',
      log: 'audit',
      ownerId: 'u-admin',
      visibility: 'private',
    });
    expect(report.createdAt).toBe('2026-05-10T07:00:00.000Z');
    expect(w.audit.events).toEqual([
      expect.objectContaining({
        tenantId: TENANT,
        action: 'Created',
        object: { type: 'Report', id: report.id, name: 'Deletions' },
        actor: { type: 'user', id: 'u-admin', name: 'u-admin' },
      }),
    ]);
  });

  it('keeps csvBom as saved (default true), and records a change of it', async () => {
    const report = await createReport(deps, admin, auditInput());
    expect(report.csvBom).toBe(true);
    const changed = await updateReport(deps, admin, report.id, { ...auditInput(), csvBom: false });
    expect(changed.csvBom).toBe(false);
    expect((await getReport(deps, admin, report.id)).csvBom).toBe(false);
    expect(w.audit.events.at(-1)?.changes).toEqual([{ field: 'csvBom', before: true, after: false }]);
  });

  it('lets only owners and admins save audit reports, and learners no reports at all', async () => {
    await expect(createReport(deps, hr, auditInput())).rejects.toBeInstanceOf(ForbiddenError);
    await expect(createReport(deps, manager, auditInput())).rejects.toBeInstanceOf(ForbiddenError);
    await expect(createReport(deps, learner, activityInput())).rejects.toBeInstanceOf(ForbiddenError);
    await expect(createReport(deps, caller('u-c', 'curator'), activityInput())).rejects.toBeInstanceOf(
      ForbiddenError,
    );
    expect((await createReport(deps, manager, activityInput())).ownerId).toBe('u-mgr');
    expect((await createReport(deps, caller('u-c', 'curator', TENANT, true), activityInput())).ownerId).toBe(
      'u-c',
    );
  });

  it('lists the caller’s reports and the shared ones they may use', async () => {
    const mine = await createReport(deps, hr, activityInput());
    const sharedActivity = await createReport(deps, admin, activityInput('shared'));
    const sharedAudit = await createReport(deps, admin, auditInput('shared'));
    await createReport(deps, admin, auditInput('private'));
    const ofHr = await listReports(deps, hr, { limit: 50 });
    expect(ofHr.items.map((r) => r.id).sort()).toEqual([mine.id, sharedActivity.id].sort());
    const ofOwner = await listReports(deps, owner, { limit: 50 });
    expect(ofOwner.items.map((r) => r.id).sort()).toEqual([sharedActivity.id, sharedAudit.id].sort());
    await expect(listReports(deps, learner, { limit: 50 })).rejects.toBeInstanceOf(ForbiddenError);
    expect((await listReports(deps, otherTenantAdmin, { limit: 50 })).items).toEqual([]);
  });

  it('pages the list with a cursor bound to the caller', async () => {
    for (let i = 0; i < 5; i++) await createReport(deps, admin, auditInput());
    const first = await listReports(deps, admin, { limit: 2 });
    expect(first.items).toHaveLength(2);
    const second = await listReports(deps, admin, { limit: 2, cursor: first.nextCursor ?? '' });
    const third = await listReports(deps, admin, { limit: 2, cursor: second.nextCursor ?? '' });
    expect(third.nextCursor).toBeNull();
    expect(new Set([...first.items, ...second.items, ...third.items].map((r) => r.id)).size).toBe(5);
    await expect(listReports(deps, owner, { limit: 2, cursor: first.nextCursor ?? '' })).rejects.toThrow(
      /cursor/,
    );
  });

  it('hides private reports of others and other tenants’ reports as 404', async () => {
    const report = await createReport(deps, admin, auditInput('private'));
    await expect(getReport(deps, owner, report.id)).rejects.toBeInstanceOf(NotFoundError);
    await expect(getReport(deps, otherTenantAdmin, report.id)).rejects.toBeInstanceOf(NotFoundError);
    await expect(updateReport(deps, owner, report.id, auditInput())).rejects.toBeInstanceOf(NotFoundError);
    await expect(deleteReport(deps, otherTenantAdmin, report.id)).rejects.toBeInstanceOf(NotFoundError);
    await expect(getReport(deps, admin, 'no-such-id')).rejects.toBeInstanceOf(NotFoundError);
    expect((await getReport(deps, admin, report.id)).id).toBe(report.id);
  });

  it('lets owners and admins change shared reports; others who can see them get 403', async () => {
    const shared = await createReport(deps, hr, activityInput('shared'));
    const reporter = caller('u-rep', 'reporter');
    expect((await getReport(deps, reporter, shared.id)).id).toBe(shared.id);
    await expect(updateReport(deps, reporter, shared.id, activityInput('shared'))).rejects.toBeInstanceOf(
      ForbiddenError,
    );
    const renamed = await updateReport(deps, owner, shared.id, {
      ...activityInput('shared'),
      name: 'Renamed',
    });
    expect(renamed).toMatchObject({ name: 'Renamed', ownerId: 'u-hr' });
    expect(w.audit.events.at(-1)).toMatchObject({
      action: 'Updated',
      changes: [{ field: 'name', before: 'Completions', after: 'Renamed' }],
    });
    await deleteReport(deps, admin, shared.id);
    await expect(getReport(deps, hr, shared.id)).rejects.toBeInstanceOf(NotFoundError);
    expect(w.audit.events.at(-1)).toMatchObject({
      action: 'Deleted',
      object: { type: 'Report', id: shared.id },
    });
  });

  it('names every filter the log rejects under filters.', async () => {
    deps.filters = { validate: () => [{ path: 'action', message: 'is not an action' }] };
    await expect(createReport(deps, admin, auditInput())).rejects.toMatchObject({
      errors: [{ path: 'filters.action', message: 'is not an action' }],
    });
  });
});

describe('report filters', () => {
  it('rejects range together with from or to, and unknown ranges', () => {
    const bad = (filters: unknown) => {
      try {
        parseInput(reportInputSchema, { name: 'x', log: 'audit', filters, visibility: 'private' });
        return [];
      } catch (e) {
        return (e as ValidationError).errors.map((x) => x.path);
      }
    };
    expect(bad({ range: 'last7d', from: '2026-01-01T00:00:00Z' })).toEqual(['filters.range']);
    expect(bad({ range: 'yesterday' })).toEqual(['filters.range']);
    expect(bad({ cursor: 'abc' })).toEqual(['filters.cursor']);
    expect(bad({ range: 'last90d', action: 'Created' })).toEqual([]);
  });
});

describe('schedules', () => {
  const schedule = (recipients: string[], extra: Record<string, unknown> = {}) =>
    parseInput(scheduleInputSchema, { frequency: 'weekly', recipients, ...extra });

  it('stores the schedule with its next run at the hour in the zone', async () => {
    const report = await createReport(deps, admin, auditInput());
    const out = await putSchedule(
      deps,
      admin,
      report.id,
      schedule(['u-a', 'u-b'], { timeZone: 'Europe/London' }),
    );
    // Sunday 10 May 2026 → Monday 11 May 06:00 BST.
    expect(out.schedule).toMatchObject({
      frequency: 'weekly',
      recipients: ['u-a', 'u-b'],
      timeZone: 'Europe/London',
      hour: 6,
      nextRunAt: '2026-05-11T05:00:00.000Z',
      paused: false,
    });
    expect(w.audit.events.at(-1)).toMatchObject({
      action: 'Created',
      object: { type: 'ReportSchedule', id: report.id },
    });
    await deleteSchedule(deps, admin, report.id);
    expect((await getReport(deps, admin, report.id)).schedule).toBeUndefined();
    expect(w.audit.events.at(-1)).toMatchObject({ action: 'Deleted', object: { type: 'ReportSchedule' } });
    await expect(deleteSchedule(deps, admin, report.id)).rejects.toBeInstanceOf(NotFoundError);
  });

  it('names each recipient who is unknown, deactivated or may not see the log', async () => {
    w.people.add(TENANT, { id: 'u-gone', active: false });
    const report = await createReport(deps, admin, auditInput());
    const err = await putSchedule(
      deps,
      admin,
      report.id,
      schedule(['u-a', 'u-hr', 'u-nobody', 'u-gone', 'u-learner']),
    ).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ValidationError);
    expect((err as ValidationError).errors.map((e) => e.path)).toEqual([
      'recipients[1]',
      'recipients[2]',
      'recipients[3]',
      'recipients[4]',
    ]);
    const activity = await createReport(deps, admin, activityInput());
    const ok = await putSchedule(deps, admin, activity.id, schedule(['u-a', 'u-hr']));
    expect(ok.schedule?.recipients).toEqual(['u-a', 'u-hr']);
  });

  it('validates frequency, recipients count, duplicates, time zone and hour', () => {
    const paths = (body: unknown) => {
      try {
        parseInput(scheduleInputSchema, body);
        return [];
      } catch (e) {
        return (e as ValidationError).errors.map((x) => x.path);
      }
    };
    expect(paths({ frequency: 'hourly', recipients: [], timeZone: 'Mars/Base', hour: 24 })).toEqual([
      'frequency',
      'recipients',
      'timeZone',
      'hour',
    ]);
    expect(paths({ frequency: 'daily', recipients: ['a', 'b', 'a'] })).toEqual(['recipients[2]']);
    expect(paths({ frequency: 'daily', recipients: Array.from({ length: 51 }, (_, i) => `u${i}`) })).toEqual([
      'recipients',
    ]);
    expect(parseInput(scheduleInputSchema, { frequency: 'daily', recipients: ['a'] })).toMatchObject({
      timeZone: 'UTC',
      hour: 6,
    });
    expect(
      parseInput(scheduleInputSchema, { frequency: 'daily', recipients: ['a'], timeZone: 'europe/london' })
        .timeZone,
    ).toBe('Europe/London');
  });

  it('resumes a paused schedule when it is saved again', async () => {
    const report = await createReport(deps, admin, auditInput());
    await putSchedule(deps, admin, report.id, schedule(['u-a']));
    const stored = w.state.reports.get(`${TENANT}|${report.id}`);
    if (stored?.schedule) Object.assign(stored.schedule, { paused: true, pausedReason: 'owner deactivated' });
    expect((await getReport(deps, admin, report.id)).schedule).toMatchObject({
      paused: true,
      pausedReason: 'owner deactivated',
    });
    const again = await putSchedule(deps, admin, report.id, schedule(['u-a']));
    expect(again.schedule?.paused).toBe(false);
    expect(again.schedule?.pausedReason).toBeUndefined();
  });

  it('lets only those who may change the report schedule it', async () => {
    const report = await createReport(deps, admin, auditInput('private'));
    await expect(putSchedule(deps, owner, report.id, schedule(['u-a']))).rejects.toBeInstanceOf(
      NotFoundError,
    );
    await expect(putSchedule(deps, otherTenantAdmin, report.id, schedule(['u-a']))).rejects.toBeInstanceOf(
      NotFoundError,
    );
  });
});

import { describe, expect, it } from 'vitest';
import { localParts } from '../../../shared/domain/reports/periods.ts';
import { dispatchDueSchedules } from '../../../shared/use-cases/reports/dispatch.ts';
import { TENANT, world } from './world.ts';

const MIN = 60 * 1000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;

/** Ticks the dispatcher every 15 simulated minutes from the clock's time until `endIso`. */
async function tickUntil(w: ReturnType<typeof world>, endIso: string) {
  const end = Date.parse(endIso);
  while (w.clock.now().getTime() < end) {
    await dispatchDueSchedules(w.deps);
    w.clock.advance(15 * MIN);
  }
}

describe('the schedule dispatcher over a simulated year', () => {
  it('runs each frequency the expected number of times, at 06:00 local time across DST changes', async () => {
    const w = world('2026-01-01T00:00:00.000Z');
    const zones = ['Europe/London', 'America/New_York'];
    const ids: Record<string, string> = {};
    for (const tz of zones) {
      for (const frequency of ['daily', 'weekly', 'monthly', 'quarterly'] as const) {
        ids[w.addReport({ frequency, timeZone: tz }).id] = `${frequency} ${tz}`;
      }
    }
    await tickUntil(w, '2027-01-01T00:00:00.000Z');

    const byReport = new Map<string, typeof w.exports.calls>();
    for (const call of w.exports.calls) {
      const report = [...w.state.reports.values()].find(
        (r) => `Scheduled report ${r.name}` === call.source.name,
      );
      const key = ids[report?.id ?? ''] ?? '?';
      byReport.set(key, [...(byReport.get(key) ?? []), call]);
    }
    for (const tz of zones) {
      expect(byReport.get(`daily ${tz}`)).toHaveLength(365);
      expect(byReport.get(`weekly ${tz}`)).toHaveLength(52); // 2026 has 52 Mondays
      expect(byReport.get(`monthly ${tz}`)).toHaveLength(12);
      expect(byReport.get(`quarterly ${tz}`)).toHaveLength(4);
    }
    // One e-mail per run (one recipient), each sent at 06:00–06:15 local time.
    expect(w.mailer.sent).toHaveLength(2 * (365 + 52 + 12 + 4));
    const runs = [...w.state.runs.values()];
    expect(runs.every((r) => r.status === 'complete' && r.outcome === 'sent')).toBe(true);
    for (const run of runs) {
      const report = w.state.reports.get(`${TENANT}|${run.reportId}`);
      const tz = report?.schedule?.timeZone ?? 'UTC';
      const local = localParts(new Date(run.scheduledFor), tz);
      expect([local.hour, local.minute]).toEqual([6, 0]);
    }
    for (const mail of w.mailer.sent) {
      const tz = mail.text.includes('America/New_York') ? 'America/New_York' : 'Europe/London';
      const local = localParts(new Date(mail.at), tz);
      expect(local.hour).toBe(6);
      expect(local.minute).toBeLessThan(15);
    }
    // 35,040 ticks: past the default 5 s on a loaded machine (before the fan-out change too).
  }, 60_000);

  it('covers the previous complete day in the zone, 23 or 25 hours long on clock-change days', async () => {
    const w = world('2026-03-28T12:00:00.000Z');
    w.addReport({ frequency: 'daily', timeZone: 'Europe/London' });
    await tickUntil(w, '2026-03-31T12:00:00.000Z');
    const windows = w.exports.calls.map((c) => [c.filters.from, c.filters.to]);
    expect(windows).toEqual([
      ['2026-03-28T00:00:00.000Z', '2026-03-29T00:00:00.000Z'], // run 29 Mar 06:00 BST = 05:00Z
      ['2026-03-29T00:00:00.000Z', '2026-03-29T23:00:00.000Z'], // the 23-hour day
      ['2026-03-29T23:00:00.000Z', '2026-03-30T23:00:00.000Z'],
    ]);
    expect(w.mailer.sent.map((m) => m.at.slice(0, 16))).toEqual([
      '2026-03-29T05:00',
      '2026-03-30T05:00',
      '2026-03-31T05:00',
    ]);

    const autumn = world('2026-10-24T12:00:00.000Z');
    autumn.addReport({ frequency: 'daily', timeZone: 'Europe/London' });
    await tickUntil(autumn, '2026-10-26T12:00:00.000Z');
    expect(autumn.exports.calls.map((c) => [c.filters.from, c.filters.to])).toEqual([
      ['2026-10-23T23:00:00.000Z', '2026-10-24T23:00:00.000Z'],
      ['2026-10-24T23:00:00.000Z', '2026-10-26T00:00:00.000Z'], // the 25-hour day
    ]);
    expect(autumn.mailer.sent.map((m) => m.at.slice(0, 16))).toEqual([
      '2026-10-25T06:00',
      '2026-10-26T06:00',
    ]);
  });

  it('covers the previous Monday–Monday week, month and quarter in the zone', async () => {
    const w = world('2026-03-31T12:00:00.000Z');
    w.addReport({ frequency: 'weekly', timeZone: 'America/New_York' });
    w.addReport({ frequency: 'monthly', timeZone: 'Europe/London' });
    w.addReport({ frequency: 'quarterly', timeZone: 'Europe/London' });
    await tickUntil(w, '2026-04-07T00:00:00.000Z');
    const bySource = Object.fromEntries(
      w.exports.calls.map((c) => [c.source.name, [c.filters.from, c.filters.to]]),
    );
    expect(bySource).toEqual({
      // Monday 6 Apr 06:00 EDT: the week of Mon 30 Mar 00:00 EDT.
      'Scheduled report Report 1': ['2026-03-30T04:00:00.000Z', '2026-04-06T04:00:00.000Z'],
      // 1 Apr 06:00 BST: March, which began in GMT and ended in BST.
      'Scheduled report Report 2': ['2026-03-01T00:00:00.000Z', '2026-03-31T23:00:00.000Z'],
      'Scheduled report Report 3': ['2026-01-01T00:00:00.000Z', '2026-03-31T23:00:00.000Z'],
    });
  });

  it('makes up every missed run, oldest first, after being down for three days', async () => {
    const w = world('2026-05-10T07:00:00.000Z');
    w.addReport({ frequency: 'daily', timeZone: 'UTC', recipients: ['u-a', 'u-b'] });
    w.clock.set('2026-05-14T07:00:00.000Z'); // runs of the 11th, 12th, 13th and 14th are due
    const outcomes = await dispatchDueSchedules(w.deps);
    expect(outcomes.map((o) => [o.periodStart, o.status])).toEqual([
      ['2026-05-10T00:00:00.000Z', 'sent'],
      ['2026-05-11T00:00:00.000Z', 'sent'],
      ['2026-05-12T00:00:00.000Z', 'sent'],
      ['2026-05-13T00:00:00.000Z', 'sent'],
    ]);
    expect(w.mailer.sent).toHaveLength(8);
    expect(w.state.reports.get(`${TENANT}|r-001`)?.schedule?.nextRunAt).toBe('2026-05-15T06:00:00.000Z');
    expect(await dispatchDueSchedules(w.deps)).toEqual([]);
    expect(w.mailer.sent).toHaveLength(8);
  });

  it('sends once when two dispatchers are triggered at the same moment', async () => {
    const w = world('2026-05-10T07:00:00.000Z');
    w.addReport({ frequency: 'daily', recipients: ['u-a', 'u-b'] });
    w.addReport({ frequency: 'weekly', recipients: ['u-a'] });
    w.clock.set('2026-05-11T06:05:00.000Z');
    const [a, b] = await Promise.all([dispatchDueSchedules(w.deps), dispatchDueSchedules(w.deps)]);
    expect(w.mailer.sent).toHaveLength(3);
    expect(w.exports.calls).toHaveLength(2);
    expect([...(a ?? []), ...(b ?? [])].filter((o) => o.status === 'sent')).toHaveLength(2);
    await Promise.all([dispatchDueSchedules(w.deps), dispatchDueSchedules(w.deps)]);
    expect(w.mailer.sent).toHaveLength(3);
  });

  it('retries a recipient whose e-mail failed on the next tick, without a second e-mail to the others', async () => {
    const w = world('2026-05-10T07:00:00.000Z');
    w.addReport({ frequency: 'daily', recipients: ['u-a', 'u-b', 'u-hr'], log: 'activity' });
    w.mailer.failures.set('u-b@example.com', 1);
    w.clock.set('2026-05-11T06:00:00.000Z');
    const first = await dispatchDueSchedules(w.deps);
    expect(first.map((o) => o.status)).toEqual(['retrying']);
    expect(w.mailer.sent.map((m) => m.to)).toEqual(['u-a@example.com', 'u-hr@example.com']);
    const run = [...w.state.runs.values()][0];
    expect(run?.status).toBe('running');
    expect(w.state.reports.get(`${TENANT}|r-001`)?.schedule?.nextRunAt).toBe('2026-05-11T06:00:00.000Z');

    w.clock.advance(15 * MIN);
    const second = await dispatchDueSchedules(w.deps);
    expect(second.map((o) => o.status)).toEqual(['sent']);
    expect(w.mailer.sent.map((m) => m.to)).toEqual([
      'u-a@example.com',
      'u-hr@example.com',
      'u-b@example.com',
    ]);
    expect(w.exports.calls).toHaveLength(1); // the export is reused, not run again
    expect([...w.state.runs.values()][0]?.status).toBe('complete');
    expect(w.state.reports.get(`${TENANT}|r-001`)?.schedule?.nextRunAt).toBe('2026-05-12T06:00:00.000Z');
  });

  it('gives up on a recipient after repeated failures and names them in the run', async () => {
    const w = world('2026-05-10T07:00:00.000Z');
    w.addReport({ frequency: 'daily', recipients: ['u-a', 'u-b'] });
    w.mailer.failures.set('u-b@example.com', 100);
    w.clock.set('2026-05-11T06:00:00.000Z');
    for (let i = 0; i < 8; i++) {
      await dispatchDueSchedules(w.deps);
      w.clock.advance(15 * MIN);
    }
    const run = [...w.state.runs.values()][0];
    expect(run).toMatchObject({ status: 'complete', outcome: 'failed' });
    expect(run?.skipped.map((s) => s.userId)).toEqual(['u-b']);
    expect(w.mailer.sent.map((m) => m.to)).toEqual(['u-a@example.com']);
    expect(w.state.reports.get(`${TENANT}|r-001`)?.schedule?.nextRunAt).toBe('2026-05-12T06:00:00.000Z');
  });

  it('retries a failed export on the next tick', async () => {
    const w = world('2026-05-10T07:00:00.000Z');
    w.addReport({ frequency: 'daily' });
    w.exports.failNext = 1;
    w.clock.set('2026-05-11T06:00:00.000Z');
    expect((await dispatchDueSchedules(w.deps)).map((o) => o.status)).toEqual(['retrying']);
    expect(w.mailer.sent).toHaveLength(0);
    w.clock.advance(15 * MIN);
    expect((await dispatchDueSchedules(w.deps)).map((o) => o.status)).toEqual(['sent']);
    expect(w.mailer.sent).toHaveLength(1);
  });

  it('pauses the schedule and sends nothing when the owner is deactivated', async () => {
    const w = world('2026-05-10T07:00:00.000Z');
    w.addReport({ frequency: 'daily' });
    w.people.update(TENANT, 'u-owner', { active: false });
    w.clock.set('2026-05-11T06:00:00.000Z');
    expect((await dispatchDueSchedules(w.deps)).map((o) => o.status)).toEqual(['paused']);
    expect(w.mailer.sent).toHaveLength(0);
    expect(w.exports.calls).toHaveLength(0);
    const schedule = w.state.reports.get(`${TENANT}|r-001`)?.schedule;
    expect(schedule?.paused).toBe(true);
    expect(schedule?.pausedReason).toMatch(/deactivated/);
    w.clock.advance(DAY);
    expect(await dispatchDueSchedules(w.deps)).toEqual([]);
  });

  it('pauses an audit report whose owner was demoted from admin', async () => {
    const w = world('2026-05-10T07:00:00.000Z');
    w.addReport({ frequency: 'daily', log: 'audit' });
    w.addReport({ frequency: 'daily', log: 'activity' });
    w.people.update(TENANT, 'u-owner', { role: 'hr' });
    w.clock.set('2026-05-11T06:00:00.000Z');
    const outcomes = await dispatchDueSchedules(w.deps);
    expect(Object.fromEntries(outcomes.map((o) => [o.reportId, o.status]))).toEqual({
      'r-001': 'paused',
      'r-002': 'sent',
    });
    expect(w.state.reports.get(`${TENANT}|r-001`)?.schedule?.pausedReason).toMatch(
      /may no longer see the audit log/,
    );
  });

  it('runs the export as the owner with their role at run time, from the scheduler', async () => {
    const w = world('2026-05-10T07:00:00.000Z');
    w.people.add(TENANT, { id: 'u-mgr', role: 'manager' });
    w.addReport({ frequency: 'daily', log: 'activity', ownerId: 'u-mgr', recipients: ['u-hr'] });
    w.clock.set('2026-05-11T06:00:00.000Z');
    await dispatchDueSchedules(w.deps);
    expect(w.exports.calls[0]).toMatchObject({
      tenantId: TENANT,
      caller: { kind: 'user', tenantId: TENANT, userId: 'u-mgr', role: 'manager' },
      log: 'activity',
      source: { kind: 'scheduled_job' },
    });
    expect(w.audit.events).toEqual([
      expect.objectContaining({
        action: 'Generated',
        object: expect.objectContaining({ type: 'Report', id: 'r-001' }),
        source: expect.objectContaining({ kind: 'scheduled_job' }),
      }),
    ]);
  });

  it('skips recipients who lost access and names them in the run record', async () => {
    const w = world('2026-05-10T07:00:00.000Z');
    w.addReport({ frequency: 'daily', log: 'audit', recipients: ['u-a', 'u-b', 'u-hr'] });
    w.people.update(TENANT, 'u-b', { active: false });
    w.clock.set('2026-05-11T06:00:00.000Z');
    expect((await dispatchDueSchedules(w.deps)).map((o) => o.status)).toEqual(['sent']);
    expect(w.mailer.sent.map((m) => m.to)).toEqual(['u-a@example.com']);
    expect([...w.state.runs.values()][0]?.skipped).toEqual([
      { userId: 'u-b', reason: 'deactivated' },
      { userId: 'u-hr', reason: 'may no longer see the audit log' },
    ]);
  });

  it('exports nothing when no recipient may receive the report any more', async () => {
    const w = world('2026-05-10T07:00:00.000Z');
    w.addReport({ frequency: 'daily', log: 'audit', recipients: ['u-hr', 'u-learner'] });
    w.clock.set('2026-05-11T06:00:00.000Z');
    expect((await dispatchDueSchedules(w.deps)).map((o) => o.status)).toEqual(['sent']);
    expect(w.exports.calls).toHaveLength(0);
    expect(w.mailer.sent).toHaveLength(0);
    expect([...w.state.runs.values()][0]?.skipped.map((s) => s.userId)).toEqual(['u-hr', 'u-learner']);
    expect(w.state.reports.get(`${TENANT}|r-001`)?.schedule?.nextRunAt).toBe('2026-05-12T06:00:00.000Z');
  });

  it('leaves a run another dispatcher holds, and resumes it once that lease has run out', async () => {
    const w = world('2026-05-10T07:00:00.000Z');
    w.addReport({ frequency: 'daily', recipients: ['u-a', 'u-b'] });
    const key = { tenantId: TENANT, reportId: 'r-001', periodStart: '2026-05-10T00:00:00.000Z' };
    // A dispatcher that crashed after exporting and e-mailing u-a.
    await w.state.claim({
      ...key,
      scheduledFor: '2026-05-11T06:00:00.000Z',
      periodEnd: '2026-05-11T00:00:00.000Z',
      status: 'running',
      attempts: 1,
      phase: 'started',
      leaseUntil: '2026-05-11T06:16:00.000Z',
      files: [
        { view: 'all', exportId: 'x-0', rowCount: 9, downloadUrl: 'http://localhost/v1/downloads/tok-0' },
      ],
      skipped: [],
      updatedAt: '2026-05-11T06:00:00.000Z',
    });
    await w.state.claimSend(key, 'u-a', 'u-a@example.com', '2026-05-11T06:00:01.000Z');
    await w.state.markSend(key, 'u-a', { status: 'sent', at: '2026-05-11T06:00:02.000Z' });

    w.clock.set('2026-05-11T06:15:00.000Z');
    expect((await dispatchDueSchedules(w.deps)).map((o) => o.status)).toEqual(['skipped']);
    expect(w.mailer.sent).toHaveLength(0);
    expect(w.state.reports.get(`${TENANT}|r-001`)?.schedule?.nextRunAt).toBe('2026-05-11T06:00:00.000Z');

    w.clock.set('2026-05-11T06:30:00.000Z');
    expect((await dispatchDueSchedules(w.deps)).map((o) => o.status)).toEqual(['sent']);
    expect(w.mailer.sent.map((m) => m.to)).toEqual(['u-b@example.com']);
    expect(w.mailer.sent[0]?.text).toContain('tok-0');
    expect(w.exports.calls).toHaveLength(0);
  });

  it('e-mails each recipient alone with the report name, period, row count and a 7-day link', async () => {
    const w = world('2026-05-10T07:00:00.000Z');
    w.addReport({ frequency: 'daily', timeZone: 'Europe/London', recipients: ['u-a', 'u-b'] });
    w.clock.set('2026-05-11T05:00:00.000Z');
    await dispatchDueSchedules(w.deps);
    expect(w.mailer.sent.map((m) => m.to)).toEqual(['u-a@example.com', 'u-b@example.com']);
    const mail = w.mailer.sent[0];
    expect(mail?.subject).toContain('Report 1');
    for (const body of [mail?.text, mail?.html]) {
      expect(body).toContain('10 May 2026 (Europe/London)');
      expect(body).toContain('http://localhost/v1/downloads/tok-1');
      expect(body).toMatch(/valid 7 days/);
      expect(body).toContain('3');
    }
  });

  it('names the file by the report and its period in the zone, and asks for the report’s BOM choice', async () => {
    const w = world('2026-05-10T07:00:00.000Z');
    const report = w.addReport({ frequency: 'weekly', timeZone: 'Europe/London' });
    w.state.reports.set(`${TENANT}|${report.id}`, { ...report, name: 'Weekly deletions', csvBom: false });
    w.clock.set('2026-05-11T05:00:00.000Z'); // Monday 06:00 BST: the week of 4–10 May
    await dispatchDueSchedules(w.deps);
    expect(w.exports.calls).toEqual([
      expect.objectContaining({
        format: 'csv',
        csvBom: false,
        fileName: 'weekly-deletions_2026-05-04_2026-05-10.csv',
      }),
    ]);
    expect(w.mailer.sent[0]?.text).toContain('File: CSV, weekly-deletions_2026-05-04_2026-05-10.csv');
    expect(w.mailer.sent[0]?.text).toContain(`Tenant: ${TENANT}`);
  });
});

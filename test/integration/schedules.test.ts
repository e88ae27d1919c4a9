import { describe, expect, it } from 'vitest';
import { api } from './helpers.ts';
import { scheduleTenant } from './support/schedule-tenant.ts';

/** Schedules over HTTP: recipients checked against the directory, and pausing on lost access. */
const ctx = scheduleTenant('e2e');
const { tenant, user, mine } = ctx;

describe('report schedules on the local stack', () => {
  it('names each recipient who may not receive the report', async () => {
    const report = await api('/v1/reports', {
      token: ctx.tokens.admin,
      body: { name: 'Check', log: 'audit', filters: {}, visibility: 'private' },
    });
    const res = await api(`/v1/reports/${report.body.id}/schedule`, {
      token: ctx.tokens.admin,
      method: 'PUT',
      body: { frequency: 'daily', recipients: ['u-owner', 'u-hr', 'u-nobody', 'u-gone', 'u-learner'] },
    });
    expect(res.status).toBe(400);
    expect(res.body.errors.map((e: { path: string }) => e.path)).toEqual([
      'recipients[1]',
      'recipients[2]',
      'recipients[3]',
      'recipients[4]',
    ]);
  });

  it('shows the schedule with its next run at 06:00 in the zone, and removes it', async () => {
    const report = await api('/v1/reports', {
      token: ctx.tokens.admin,
      body: { name: 'Weekly', log: 'activity', filters: { range: 'previousPeriod' }, visibility: 'shared' },
    });
    const put = await api(`/v1/reports/${report.body.id}/schedule`, {
      token: ctx.tokens.admin,
      method: 'PUT',
      body: { frequency: 'weekly', recipients: ['u-hr', 'u-owner'], timeZone: 'America/New_York' },
    });
    expect(put.status).toBe(200);
    const read = await api(`/v1/reports/${report.body.id}`, { token: ctx.tokens.admin });
    expect(read.body.schedule).toMatchObject({
      frequency: 'weekly',
      timeZone: 'America/New_York',
      hour: 6,
      paused: false,
    });
    const next = new Date(read.body.schedule.nextRunAt);
    const local = new Intl.DateTimeFormat('en-US', {
      timeZone: 'America/New_York',
      weekday: 'short',
      hour: 'numeric',
      hourCycle: 'h23',
    }).format(next);
    expect(local).toBe('Mon, 06');
    expect(
      (await api(`/v1/reports/${report.body.id}/schedule`, { token: ctx.tokens.admin, method: 'DELETE' }))
        .status,
    ).toBe(204);
    expect(
      (await api(`/v1/reports/${report.body.id}`, { token: ctx.tokens.admin })).body.schedule,
    ).toBeUndefined();
  });

  it('pauses the schedule of an owner who was demoted, sending nothing', async () => {
    const report = await api('/v1/reports', {
      token: ctx.tokens.owner,
      body: { name: `Paused ${tenant}`, log: 'audit', filters: {}, visibility: 'private' },
    });
    const scheduled = await api(`/v1/reports/${report.body.id}/schedule`, {
      token: ctx.tokens.owner,
      method: 'PUT',
      body: { frequency: 'weekly', recipients: ['u-admin'] },
    });
    const before = (await mine()).length;
    await api('/v1/directory/users', {
      token: ctx.tokens.service,
      method: 'PUT',
      body: { tenantId: tenant, users: [user('u-owner', 'HR')] },
    });
    const now = new Date(Date.parse(scheduled.body.schedule.nextRunAt) + 60_000).toISOString();
    const run = await api('/_local/run-schedules', { body: { now, tenantId: tenant } });
    expect(run.body.runs).toContainEqual(
      expect.objectContaining({ reportId: report.body.id, status: 'paused' }),
    );
    const read = await api(`/v1/reports/${report.body.id}`, { token: ctx.tokens.owner });
    expect(read.body.schedule).toMatchObject({ paused: true, pausedReason: expect.stringMatching(/audit/) });
    expect(await mine()).toHaveLength(before);
  });
});

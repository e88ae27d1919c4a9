import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { slugify, windowDays } from '../../shared/domain/exports/file-names.ts';
import { previousPeriod } from '../../shared/domain/reports/periods.ts';
import { api, baseUrl } from './helpers.ts';
import { type Mail, scheduleTenant } from './support/schedule-tenant.ts';

/**
 * End to end on the local stack: save a report, schedule it, run the dispatcher past the due
 * time, read the e-mail, follow its link and read the CSV.
 */
const ctx = scheduleTenant('e2e');
const { tenant, email, mine } = ctx;

async function ingest(events: { id: string; occurredAt: string; action: string }[]) {
  const res = await api('/v1/audit-events', {
    token: ctx.tokens.service,
    body: {
      events: events.map((e) => ({
        ...e,
        tenantId: tenant,
        actor: { type: 'user', id: 'u-x', name: 'Xavier Actor' },
        object: { type: 'User', id: `obj-${e.id}`, name: `Object ${e.id}` },
        source: { kind: 'web' },
      })),
    },
  });
  expect(res.status).toBeLessThan(300);
}

describe('scheduled e-mail exports on the local stack', () => {
  it('e-mails each recipient once with a link to the CSV of the previous day', async () => {
    const report = await api('/v1/reports', {
      token: ctx.tokens.admin,
      body: {
        name: `Deletions ${tenant}`,
        log: 'audit',
        filters: { action: 'Deleted' },
        visibility: 'private',
      },
    });
    expect(report.status).toBe(201);
    const scheduled = await api(`/v1/reports/${report.body.id}/schedule`, {
      token: ctx.tokens.admin,
      method: 'PUT',
      body: { frequency: 'daily', recipients: ['u-admin', 'u-owner'], timeZone: 'Europe/London' },
    });
    expect(scheduled.status).toBe(200);
    const due = new Date(scheduled.body.schedule.nextRunAt);
    const period = previousPeriod('daily', due, 'Europe/London');
    const inPeriod = (h: number) => new Date(period.from.getTime() + h * 3600_000).toISOString();
    await ingest([
      { id: `${tenant}-1`, occurredAt: inPeriod(1), action: 'Deleted' },
      { id: `${tenant}-2`, occurredAt: inPeriod(2), action: 'Deleted' },
      { id: `${tenant}-3`, occurredAt: inPeriod(3), action: 'Created' },
      {
        id: `${tenant}-4`,
        occurredAt: new Date(period.from.getTime() - 3600_000).toISOString(),
        action: 'Deleted',
      },
    ]);

    const now = new Date(due.getTime() + 60_000).toISOString();
    const [first, second] = await Promise.all([
      api('/_local/run-schedules', { body: { now, tenantId: tenant } }),
      api('/_local/run-schedules', { body: { now, tenantId: tenant } }),
    ]);
    const statuses = [...first.body.runs, ...second.body.runs]
      .filter((r: { reportId: string }) => r.reportId === report.body.id)
      .map((r: { status: string }) => r.status);
    expect(statuses).toContain('sent');
    expect(statuses.filter((s: string) => s === 'sent')).toHaveLength(1);

    const mails = await mine();
    expect(mails.map((m) => m.to)).toEqual(expect.arrayContaining([[email('u-admin')], [email('u-owner')]]));
    expect(mails).toHaveLength(2);
    const mail = mails[0] as Mail;
    expect(mail.subject).toContain(`Deletions ${tenant}`);
    expect(mail.text).toContain('Rows: 2');
    const fileName = `${slugify(`Deletions ${tenant}`)}_${windowDays(period, 'Europe/London')}.csv`;
    for (const part of [mail.text, mail.html]) {
      expect(part).toContain(tenant);
      expect(part).toContain(fileName);
      expect(part).toContain('CSV');
      expect(part).toMatch(
        /Link expires:?\s*(<[^>]+>\s*)*\w{3}, \d{1,2} \w{3} \d{4}, \d{2}:\d{2} Europe\/London/,
      );
    }
    expect(mail.at).toMatch(/Z$/);
    const link = /(http\S+\/v1\/downloads\/\S+)/.exec(mail.text)?.[1] ?? '';
    expect(link.startsWith(baseUrl())).toBe(true);
    expect(mail.html).toContain(link.replace(/&/g, '&amp;'));

    const file = await fetch(link);
    expect(file.status).toBe(200);
    expect(file.headers.get('content-disposition')).toContain(`filename="${fileName}"`);
    const bytes = Buffer.from(await file.arrayBuffer());
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const rows = parse(bytes, { columns: true, bom: true }) as Record<string, string>[];
    expect(rows.map((r) => r['Object ID']).sort()).toEqual([`obj-${tenant}-1`, `obj-${tenant}-2`]);

    // Run again at the same moment: nothing new is sent; the schedule moved on a day.
    await api('/_local/run-schedules', { body: { now, tenantId: tenant } });
    expect(await mine()).toHaveLength(2);
    const after = await api(`/v1/reports/${report.body.id}`, { token: ctx.tokens.admin });
    expect(Date.parse(after.body.schedule.nextRunAt) - due.getTime()).toBeGreaterThanOrEqual(23 * 3600_000);
  });

  it('records reports and schedules in the audit log', async () => {
    const res = await api(
      `/v1/audit-events?objectType=Report,ReportSchedule&from=2020-01-01T00:00:00Z&limit=200`,
      {
        token: ctx.tokens.admin,
      },
    );
    expect(res.status).toBe(200);
    const seen = res.body.items.map(
      (e: { action: string; object: { type: string } }) => `${e.object.type} ${e.action}`,
    );
    expect(seen).toEqual(
      expect.arrayContaining(['Report Created', 'ReportSchedule Created', 'Report Generated']),
    );
  });
});

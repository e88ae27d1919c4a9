import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { compileTemplate, modulePath, SAMPLE_REPORT_READY, TEMPLATES } from '../../../local/emails.ts';
import { previousPeriod } from '../../../shared/domain/reports/periods.ts';
import type { StoredReport, StoredSchedule } from '../../../shared/domain/reports/report.ts';
import { composeEmail } from '../../../shared/use-cases/reports/dispatch.ts';
import {
  describeExpiry,
  fillTemplate,
  reportReadyEmail,
} from '../../../shared/use-cases/reports/email/report-ready.ts';

const SAMPLE = SAMPLE_REPORT_READY;

describe('the scheduled report e-mail', () => {
  it('renders HTML and text as the snapshots show', async () => {
    const mail = reportReadyEmail(SAMPLE);
    expect(mail.subject).toBe('Scheduled report: Weekly deletions, 30 Nov 2026 – 6 Dec 2026');
    await expect(mail.html).toMatchFileSnapshot('./__snapshots__/report-ready.html');
    await expect(mail.text).toMatchFileSnapshot('./__snapshots__/report-ready.txt');
  });

  it('names the tenant, the period, the format and file, the row count and the absolute expiry in both parts', () => {
    const mail = reportReadyEmail(SAMPLE);
    for (const part of [mail.text, mail.html]) {
      expect(part).toContain('acme');
      expect(part).toContain('30 Nov 2026 – 6 Dec 2026 (Europe/London)');
      expect(part).toContain('CSV');
      expect(part).toContain('weekly-deletions_2026-11-30_2026-12-06.csv');
      expect(part).toContain('Mon, 14 Dec 2026, 06:00 Europe/London (06:00 UTC)');
      expect(part).toContain(SAMPLE.downloadUrl);
      expect(part).toMatch(/valid 7 days/);
    }
    expect(mail.text).toContain('Rows: 1234');
    expect(mail.html).toContain('1,234');
    expect(mail.html).not.toMatch(/\{\{\w+\}\}/);
  });

  it('escapes what the report owner typed, in text and attributes', () => {
    const mail = reportReadyEmail({
      ...SAMPLE,
      reportName: '<img src=x onerror=alert(1)> "Q&A"',
      downloadUrl: 'https://x.example/v1/downloads/a"b?c=1&d=2',
    });
    expect(mail.html).not.toContain('<img src=x');
    expect(mail.html).toContain('&lt;img src=x onerror=alert(1)&gt; &quot;Q&amp;A&quot;');
    expect(mail.html).toContain('href="https://x.example/v1/downloads/a&quot;b?c=1&amp;d=2"');
    // The plain-text part is not HTML: the name as typed.
    expect(mail.text).toContain('"<img src=x onerror=alert(1)> "Q&A"" is ready');
  });

  it('states the expiry in the schedule’s zone and in UTC, with the UTC date when the day differs', () => {
    const at = new Date('2026-12-15T07:30:00Z');
    expect(describeExpiry(at, 'UTC')).toBe('Tue, 15 Dec 2026, 07:30 UTC');
    expect(describeExpiry(at, 'America/Los_Angeles')).toBe(
      'Mon, 14 Dec 2026, 23:30 America/Los_Angeles (Tue, 15 Dec 2026, 07:30 UTC)',
    );
  });

  it('refuses to send a half-filled template', () => {
    expect(() => fillTemplate('<p>{{a}} {{b}}</p>', { a: '1' })).toThrow('no value for {{b}}');
    expect(() => fillTemplate('<p>{{a}}</p>', { a: '1', c: '2' })).toThrow('no placeholder for c');
  });

  it('is composed from a run’s file: the window the file covers, its name and the link’s expiry', () => {
    const schedule = {
      frequency: 'weekly',
      timeZone: 'Europe/London',
      recipients: ['u1'],
      hour: 6,
    } as StoredSchedule;
    const report = { tenantId: 'acme', name: 'Weekly deletions', log: 'audit' } as StoredReport;
    const period = previousPeriod('weekly', new Date('2026-12-07T06:00:00Z'), 'Europe/London');
    const mail = composeEmail(
      report,
      schedule,
      period,
      {
        exportId: 'x',
        rowCount: 2,
        downloadUrl: 'http://l/v1/downloads/t',
        expiresAt: '2026-12-14T06:00:00.000Z',
      },
      7,
    );
    expect(mail.text).toContain('Period covered: 30 Nov 2026 – 6 Dec 2026 (Europe/London)');
    expect(mail.text).toContain('File: CSV, weekly-deletions_2026-11-30_2026-12-06.csv');
    expect(mail.text).toContain('Link expires: Mon, 14 Dec 2026, 06:00 Europe/London (06:00 UTC)');
    // A run recorded before the expiry was kept still says how long the link lives.
    const old = composeEmail(report, schedule, period, { exportId: 'x', rowCount: 2, downloadUrl: 'u' }, 7);
    expect(old.text).toContain('Link expires: 7 days after the file was made');
  });

  it('ships HTML compiled from the current MJML template (run `npm run emails` after editing it)', async () => {
    for (const template of TEMPLATES) {
      expect(readFileSync(modulePath(template), 'utf8'), template.source).toBe(
        await compileTemplate(template),
      );
    }
  });
});

import { REPORT_READY_HTML } from './report-ready.html.ts';

/**
 * The e-mail a scheduled report's recipient gets: which tenant and report, the period the file
 * covers, its format, name and row count, and the link with its absolute expiry. The HTML is the
 * MJML template ./report-ready.mjml, compiled at build time (`npm run emails`) into
 * ./report-ready.html.ts; the plain-text part says the same for clients that show no HTML.
 */
export interface ReportReadyMessage {
  tenantId: string;
  reportName: string;
  frequency: string;
  /** The days the file covers as the recipient reads them: `30 Nov 2026 – 6 Dec 2026`. */
  period: string;
  timeZone: string;
  /** `CSV` or `JSON`. */
  format: string;
  fileName: string;
  rowCount: number;
  downloadUrl: string;
  linkDays: number;
  /** When the link stops working; absent for files of runs recorded before it was kept. */
  expiresAt?: Date;
}

export interface ComposedEmail {
  subject: string;
  text: string;
  html: string;
}

export function reportReadyEmail(m: ReportReadyMessage): ComposedEmail {
  const covered = `${m.period} (${m.timeZone})`;
  const expires = m.expiresAt
    ? describeExpiry(m.expiresAt, m.timeZone)
    : `${m.linkDays} days after the file was made`;
  const subject = `Scheduled report: ${m.reportName}, ${m.period}`;
  const text = [
    `Your scheduled ${m.frequency} report "${m.reportName}" is ready.`,
    '',
    `Tenant: ${m.tenantId}`,
    `Period covered: ${covered}`,
    `File: ${m.format}, ${m.fileName}`,
    `Rows: ${m.rowCount}`,
    `Link expires: ${expires}`,
    '',
    `Download (valid ${m.linkDays} days): ${m.downloadUrl}`,
    '',
    'The link works without signing in: forward it only to people allowed to see this report.',
    'You receive this e-mail because you are a recipient of this scheduled report in Logbook.',
  ].join('\n');
  const html = fillTemplate(REPORT_READY_HTML, {
    subject,
    preview: `${m.rowCount.toLocaleString('en-GB')} ${m.rowCount === 1 ? 'row' : 'rows'}, ${covered}`,
    reportName: m.reportName,
    frequency: m.frequency,
    tenant: m.tenantId,
    period: covered,
    format: m.format,
    fileName: m.fileName,
    rows: m.rowCount.toLocaleString('en-GB'),
    expires,
    downloadUrl: m.downloadUrl,
    linkDays: String(m.linkDays),
  });
  return { subject, text, html };
}

const expiryFormats = new Map<string, Intl.DateTimeFormat>();

/**
 * `Mon, 14 Dec 2026, 01:00 America/New_York (06:00 UTC)`: the instant in the schedule's zone, where the
 * recipient reads it, and in UTC.
 */
export function describeExpiry(at: Date, timeZone: string): string {
  const fmt = (tz: string) => {
    let f = expiryFormats.get(tz);
    if (!f) {
      f = new Intl.DateTimeFormat('en-GB', {
        timeZone: tz,
        weekday: 'short',
        day: 'numeric',
        month: 'short',
        year: 'numeric',
        hour: '2-digit',
        minute: '2-digit',
        hourCycle: 'h23',
      });
      expiryFormats.set(tz, f);
    }
    return f.format(at);
  };
  const utc = fmt('UTC');
  if (timeZone === 'UTC') return `${utc} UTC`;
  const local = fmt(timeZone);
  // Same day in both: the UTC time alone.
  const day = (s: string) => s.slice(0, s.lastIndexOf(', '));
  const utcPart = day(utc) === day(local) ? utc.slice(utc.lastIndexOf(', ') + 2) : utc;
  return `${local} ${timeZone} (${utcPart} UTC)`;
}

const HTML_ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

export const escapeHtml = (s: string): string => s.replace(/[&<>"']/g, (c) => HTML_ESCAPES[c] ?? c);

/**
 * Fills every `{{name}}` of a compiled template with its value, HTML-escaped (text and attribute
 * values alike). A placeholder without a value, or a value without a placeholder, is a bug in the
 * template or its caller and throws, so a half-filled e-mail never goes out.
 */
export function fillTemplate(template: string, values: Record<string, string>): string {
  const used = new Set<string>();
  const html = template.replace(/\{\{(\w+)\}\}/g, (_, name: string) => {
    const value = values[name];
    if (value === undefined) throw new Error(`e-mail template: no value for {{${name}}}`);
    used.add(name);
    return escapeHtml(value);
  });
  const unused = Object.keys(values).filter((name) => !used.has(name));
  if (unused.length > 0) throw new Error(`e-mail template: no placeholder for ${unused.join(', ')}`);
  return html;
}

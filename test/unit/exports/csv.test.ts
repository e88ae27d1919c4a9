import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import {
  actionLabel,
  activityHeader,
  activityRow,
  auditHeader,
  auditRow,
  formatChanges,
  formatDuration,
  guardCell,
} from '../../../shared/domain/exports/columns.ts';
import {
  activityRows,
  auditRows,
  csvStream,
  ndjsonStream,
} from '../../../shared/use-cases/exports/serialize.ts';
import { ExportUsers } from '../../../shared/use-cases/exports/user-columns.ts';
import { AUDIT, ELEARNING, STANDARD } from '../../fixtures/export-columns.ts';
import { activityEntry, auditEntry, FakeDirectory } from './fakes.ts';

async function* from<T>(items: T[]): AsyncGenerator<T> {
  for (const i of items) yield i;
}

async function buffer(stream: NodeJS.ReadableStream): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of stream) chunks.push(Buffer.isBuffer(c) ? c : Buffer.from(String(c)));
  return Buffer.concat(chunks);
}

async function text(stream: NodeJS.ReadableStream): Promise<string> {
  return (await buffer(stream)).toString('utf8');
}

function directory() {
  const d = new FakeDirectory();
  d.users.set('u1', {
    id: 'u1',
    firstName: 'Jane',
    lastName: 'Doe',
    email: 'jane@example.com',
    role: 'learning_designer',
    jobTitle: 'Engineer',
    language: 'en',
    location: 'Zürich',
    joinedAt: '2024-01-15',
    managerId: 'm1',
    primaryTeamId: 't-eng',
    secondaryTeamIds: ['t-ops', 't-gone', 't-qa'],
    status: 'deactivated',
    deactivatedAt: '2026-10-01T00:00:00.000Z',
    customFields: { Region: 'EMEA', 'Cost centre': '=SUM(A1)' },
  });
  d.users.set('m1', {
    id: 'm1',
    firstName: 'Maria',
    lastName: 'Manager',
    email: 'm@example.com',
    role: 'manager',
    status: 'active',
  });
  d.teams.set('t-eng', 'Engineering');
  d.teams.set('t-ops', 'Operations');
  d.teams.set('t-qa', 'Quality');
  return d;
}

describe('activity CSV columns', () => {
  it('lists the standard columns in the contract order, then custom fields', () => {
    expect(activityHeader('standard', ['Cost centre', 'Region'])).toEqual([
      ...STANDARD,
      'Cost centre',
      'Region',
    ]);
  });

  it('adds the e-learning columns before the custom fields in the elearning variant', () => {
    expect(activityHeader('elearning', ['Region'])).toEqual([...STANDARD, ...ELEARNING, 'Region']);
  });

  it('keeps a custom field named like a fixed column distinct and guards its name', () => {
    expect(activityHeader('standard', ['Role', '=cmd']).slice(-2)).toEqual(['Role (custom field)', "'=cmd"]);
  });

  it('fills user columns from the directory as it is now, with manager and team names', async () => {
    const d = directory();
    const users = new ExportUsers(d, 't1');
    await users.prepare(['u1']);
    const row = activityRow(
      activityEntry(1, { expiresAt: '2027-11-01T00:00:00.000Z' }),
      users.get('u1'),
      'standard',
      ['Cost centre', 'Region'],
    );
    expect(
      Object.fromEntries(activityHeader('standard', ['Cost centre', 'Region']).map((h, i) => [h, row[i]])),
    ).toEqual({
      'First name': 'Jane',
      'Last name': 'Doe',
      'Email address': 'jane@example.com',
      Role: 'Learning Designer',
      'Job title': 'Engineer',
      Language: 'en',
      Location: 'Zürich',
      'Join date': '2024-01-15',
      'Manager name': 'Maria Manager',
      'Primary team': 'Engineering',
      'Secondary teams': 'Operations, Quality',
      'Status (at time of export)': 'Deactivated',
      Deactivated: '2026-10-01T00:00:00.000Z',
      Action: 'Completed',
      Title: 'Fire Safety 1',
      Type: 'Item',
      'Content Type': 'Video',
      'Unique ID': 'c1',
      'Happened at': '2026-11-01T00:00:01.000Z',
      Completed: 'Yes',
      'Expired at': '2027-11-01T00:00:00.000Z',
      Tags: 'safety',
      'Cost centre': "'=SUM(A1)",
      Region: 'EMEA',
    });
  });

  it('fills the e-learning columns with result, score, formatted and raw time and certificate expiry', () => {
    const row = activityRow(
      activityEntry(1, {
        action: 'Failed',
        completed: false,
        result: { outcome: 'failed', scorePercent: 45, durationSeconds: 3725 },
        certificateExpiresAt: '2027-01-01T00:00:00.000Z',
      }),
      undefined,
      'elearning',
      [],
    );
    expect(row.slice(STANDARD.length)).toEqual([
      'Failed',
      '45',
      '1 hour 2 minutes 5 seconds',
      '3725',
      '2027-01-01T00:00:00.000Z',
    ]);
    expect(row[STANDARD.indexOf('Completed')]).toBe('No');
  });

  it('shows archived content with (Archived) after its title, and a user unknown to the directory by name', () => {
    const row = activityRow(
      activityEntry(2, {
        user: { id: 'gone', name: 'Old Timer Smith' },
        content: { type: 'Quiz', id: 'q1', title: 'Quiz', archived: true },
      }),
      undefined,
      'standard',
      [],
    );
    expect(row.slice(0, 3)).toEqual(['Old', 'Timer Smith', '']);
    expect(row[STANDARD.indexOf('Title')]).toBe('Quiz (Archived)');
    expect(row[STANDARD.indexOf('Status (at time of export)')]).toBe('');
  });

  it('leaves content columns empty for entries without content (log-ins)', () => {
    const row = activityRow(
      activityEntry(3, { action: 'LoggedIn', content: undefined, completed: undefined }),
      undefined,
      'standard',
      [],
    );
    expect(row.slice(13, 18)).toEqual(['Logged in', '', '', '', '']);
  });

  it('looks the directory up once per batch, not once per row', async () => {
    const d = directory();
    const users = new ExportUsers(d, 't1');
    const entries = Array.from({ length: 250 }, (_, i) => activityEntry(i));
    const rows = [];
    for await (const r of activityRows(from(entries), users, 'standard', [], 100)) rows.push(r);
    expect(rows).toHaveLength(251);
    // 3 batches; the first also loads the manager; later batches hit the cache.
    expect(d.userCalls).toBe(2);
  });
});

describe('audit CSV columns', () => {
  it('lists the audit columns in the contract order', () => {
    expect(auditHeader()).toEqual(AUDIT);
  });

  it('writes the event label, subject, attribution and changes', () => {
    const row = auditRow(
      auditEntry(1, {
        action: 'PasswordChanged',
        subject: { id: 'u9', name: 'Sam Subject' },
        attribution: 'API (HR Sync)',
        ip: '10.0.0.1',
        changes: [
          { field: 'jobTitle', before: 'Engineer', after: 'Lead' },
          { field: 'password', before: '[REDACTED]', after: '[REDACTED]' },
          { field: 'teams', after: ['a', 'b'] },
        ],
      }),
    );
    expect(row).toEqual([
      '2026-11-01T00:00:01.000Z',
      'Adam Admin',
      'u-admin',
      'Password changed',
      'User',
      'Jane Doe',
      'u1',
      'Sam Subject',
      'API (HR Sync)',
      '10.0.0.1',
      'Adam Admin updated user Jane Doe',
      'jobTitle: Engineer → Lead; password: [REDACTED] → [REDACTED]; teams: (none) → ["a","b"]',
    ]);
  });

  it.each([
    ['PasswordChanged', 'Password changed'],
    ['LoginAs', 'Login as'],
    ['ForceLoggedOut', 'Force logged out'],
    ['MarkedAsCompleted', 'Marked as completed'],
    ['EnrolledFor', 'Enrolled for'],
    ['ReceivedCertificateFor', 'Received certificate for'],
    ['Created', 'Created'],
  ])('labels the action %s as "%s"', (action, label) => {
    expect(actionLabel(action)).toBe(label);
  });

  it('writes no changes as an empty cell', () => {
    expect(formatChanges(undefined)).toBe('');
    expect(formatChanges([])).toBe('');
  });
});

describe('formula-injection guard', () => {
  it.each(['=', '+', '-', '@', '\t', '\r'])('prefixes a cell starting with %j with a quote', (ch) => {
    expect(guardCell(`${ch}HYPERLINK("x")`)).toBe(`'${ch}HYPERLINK("x")`);
  });

  it('leaves other cells alone', () => {
    expect(guardCell('Jane')).toBe('Jane');
    expect(guardCell('')).toBe('');
    expect(guardCell('a=b')).toBe('a=b');
    expect(guardCell("'already")).toBe("'already");
  });

  it.each(['=', '+', '-', '@', '\t', '\r'])('guards %j in every text column of both logs', async (ch) => {
    const evil = `${ch}HYPERLINK("http://x.example/?q",",y")`;
    const audit = auditRow(
      auditEntry(1, {
        actor: { type: 'user', id: evil, name: evil },
        object: { type: 'User', id: evil, name: evil },
        subject: { id: 's', name: evil },
        summary: evil,
      }),
    );
    const activity = activityRow(
      activityEntry(1, {
        user: { id: 'x', name: `${evil} Smith` },
        content: { type: 'Item', id: evil, title: evil, tags: [evil] },
      }),
      undefined,
      'standard',
      [],
    );
    const csv = await text(csvStream(from([audit, activity])));
    const [a, b] = parse(csv, { relax_column_count: true }) as string[][];
    for (const cell of [a![1], a![2], a![5], a![6], a![7], a![10], b![0], b![14], b![17], b![21]])
      expect(cell).toBe(`'${evil}`);
  });
});

describe('CSV encoding', () => {
  it('round-trips commas, quotes, newlines and non-ASCII through csv-parse', async () => {
    const nasty = [
      'a,b',
      'say "hi"',
      'line1\nline2',
      'cr\rin middle',
      'Zoë Ångström 日本語 🎓',
      '',
      '  padded  ',
    ];
    const csv = await text(csvStream(from([['h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'h7'], nasty])));
    const rows = parse(csv, { bom: true }) as string[][];
    expect(rows).toEqual([['h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'h7'], nasty]);
  });

  it('uses CRLF records, a UTF-8 BOM, and quotes exactly the fields that need it', async () => {
    const rows = () =>
      from([
        ['First name', 'x'],
        ['a,b', 'plain'],
      ]);
    const bytes = await buffer(csvStream(rows()));
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(bytes.subarray(3).toString('utf8')).toBe('First name,x\r\n"a,b",plain\r\n');
  });

  it('leaves the BOM out when asked (bom: false)', async () => {
    const csv = await text(csvStream(from([['First name'], ['Zoë']]), { bom: false }));
    expect(csv).toBe('First name\r\nZoë\r\n');
  });

  it('writes a header row that parses back exactly for both logs', async () => {
    const d = directory();
    const activity = await text(
      csvStream(activityRows(from([activityEntry(1)]), new ExportUsers(d, 't1'), 'elearning', ['Region'])),
    );
    const [header] = parse(activity, { to_line: 1, bom: true }) as string[][];
    expect(header).toEqual([...STANDARD, ...ELEARNING, 'Region']);
    const audit = await text(csvStream(auditRows(from([auditEntry(1)]))));
    expect((parse(audit, { to_line: 1, bom: true }) as string[][])[0]).toEqual(auditHeader());
  });

  it('fails the stream when the entries fail, instead of ending it early', async () => {
    async function* broken() {
      yield ['a'];
      throw new Error('query failed');
    }
    await expect(text(csvStream(broken()))).rejects.toThrow('query failed');
    async function* brokenEntries() {
      yield { id: 1 };
      throw new Error('query failed');
    }
    await expect(text(ndjsonStream(brokenEntries()))).rejects.toThrow('query failed');
  });

  it('writes JSON as one entry per line in the API shape', async () => {
    const entries = [auditEntry(1), auditEntry(2, { summary: 'line\nbreak' })];
    const out = await text(ndjsonStream(from(entries)));
    const lines = out.trimEnd().split('\n');
    expect(lines).toHaveLength(2);
    expect(lines.map((l) => JSON.parse(l))).toEqual(entries);
  });
});

describe('durations', () => {
  it.each([
    [0, '0 seconds'],
    [1, '1 second'],
    [45, '45 seconds'],
    [60, '1 minute'],
    [300, '5 minutes'],
    [330, '5 minutes 30 seconds'],
    [3600, '1 hour'],
    [3720, '1 hour 2 minutes'],
    [7384, '2 hours 3 minutes 4 seconds'],
  ])('formats %i seconds as "%s"', (s, expected) => {
    expect(formatDuration(s)).toBe(expected);
  });
});

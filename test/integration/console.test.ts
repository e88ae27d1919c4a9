import { createHash, generateKeyPairSync, sign } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import canonicalize from 'canonicalize';
import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { DynamoAuditStore } from '../../shared/adapters/dynamodb/audit-store.ts';
import { HOUR_MS } from '../../shared/domain/audit/digest.ts';
import { sealEntry } from '../../shared/domain/audit/integrity.ts';
import { auditEventInputSchema } from '../../shared/domain/audit/schema.ts';
import { toEntry } from '../../shared/use-cases/audit/ingest.ts';
import { AUDIT as AUDIT_EXPORT_COLUMNS } from '../fixtures/export-columns.ts';
import { api, tokensFor, uniqueTenant } from './helpers.ts';
import {
  column,
  demoToken,
  headers,
  launchBrowser,
  openConsole,
  prepareConsole,
  type Session,
  screenshot,
  seriousViolations,
} from './support/browser.ts';

/**
 * The admin console in a real Chromium against the shared local stack with the demo tenant seeded
 * as `npm start` seeds it. Elements are found by role and accessible name; what the table shows
 * is compared with what the API answers for the same filter.
 */
let browser: Browser;
let owner: string;

beforeAll(async () => {
  [browser] = await Promise.all([launchBrowser(), prepareConsole()]);
  owner = await demoToken('owner');
}, 120_000);

afterAll(async () => {
  await browser?.close();
});

const AUDIT_TABLE = { name: /^Audit log entries/ };
const ACTIVITY_TABLE = { name: /^Activity log entries/ };

async function signIn(
  person: Parameters<typeof demoToken>[0] = 'owner',
  timezoneId?: string,
): Promise<Session> {
  const token = person === 'owner' ? owner : await demoToken(person);
  return openConsole(browser, token, timezoneId ? { timezoneId } : {});
}

async function close(s: Session, allowed: RegExp[] = []): Promise<void> {
  const unexpected = s.errors.filter((e) => !allowed.some((a) => a.test(e)));
  await s.context.close();
  expect(unexpected, 'console errors').toEqual([]);
}

async function summaries(query: string, token = owner): Promise<string[]> {
  const res = await api<{ items: { summary: string }[] }>(`/v1/audit-events?limit=25&${query}`, { token });
  expect(res.status).toBe(200);
  return res.body.items.map((i) => i.summary);
}

async function descriptions(path: string, query: string, token: string): Promise<string[]> {
  const res = await api<{ items: { description: string }[] }>(`${path}?limit=25&${query}`, { token });
  expect(res.status).toBe(200);
  return res.body.items.map((i) => i.description);
}

/** The tab panel on show (hidden panels keep their components, out of the accessibility tree). */
function view(page: Page) {
  return page.getByRole('tabpanel');
}

/**
 * Picks `option` in the directory picker labelled `label`: types `typed`, waits for the list to
 * show what was typed (its first option is `option`), then chooses it with Enter (the keyboard)
 * or a click.
 */
async function pick(
  scope: Locator,
  label: string,
  typed: string,
  option: string | RegExp,
  how: 'keyboard' | 'click' = 'keyboard',
): Promise<void> {
  const box = scope.getByRole('combobox', { name: label, exact: true });
  await box.fill(typed);
  const list = scope.getByRole('listbox', { name: label, exact: true });
  const wanted = list.getByRole('option', { name: option, exact: typeof option === 'string' });
  await expect
    .poll(() => list.getByRole('option').first().textContent(), { timeout: 10_000 })
    .toMatch(typeof option === 'string' ? new RegExp(`^\\s*${option}\\s*$`) : option);
  if (how === 'keyboard') await box.press('Enter');
  else await wanted.click();
  expect(await wanted.getAttribute('aria-selected')).toBe('true');
}

async function apply(page: Page): Promise<void> {
  await view(page).getByRole('button', { name: 'Apply filters' }).click();
}

describe('the admin console, as the demo owner', () => {
  it('signs in from the printed link, drops the token from the address bar and shows the audit log with the CSV columns', async () => {
    const s = await signIn('owner', 'America/New_York');
    const { page } = s;
    const table = page.getByRole('table', AUDIT_TABLE);
    await table.waitFor();
    expect(page.url()).not.toContain('token');
    expect(await headers(table)).toEqual(AUDIT_EXPORT_COLUMNS);
    expect(await column(table, 'Summary')).toEqual(await summaries(''));
    // Browser time zone shown, UTC on hover.
    const first = table.getByRole('row').nth(1).getByRole('cell').first().locator('time');
    const utc = (await first.getAttribute('title')) ?? '';
    expect(utc).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC$/);
    expect(await first.innerText()).not.toContain(utc.slice(11, 16));
    expect(await page.getByRole('tab').allInnerTexts()).toEqual([
      'Audit log',
      'Activity log',
      'My activity',
      'Reports',
      'Integrity',
    ]);
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, 'audit-log');
    await close(s);
  });

  it('narrows the audit table to what the API returns for each filter, by label', async () => {
    const s = await signIn();
    const { page } = s;
    const table = page.getByRole('table', AUDIT_TABLE);
    await table.waitFor();
    const cases: { label: string; set: (page: Page) => Promise<unknown>; query: string }[] = [
      {
        label: 'Event',
        set: (p) => view(p).getByLabel('Event', { exact: true }).selectOption('Deleted'),
        query: 'action=Deleted',
      },
      {
        label: 'Type',
        set: (p) => view(p).getByLabel('Type', { exact: true }).selectOption('Task'),
        query: 'action=Deleted&objectType=Task',
      },
      {
        label: 'Actor',
        set: (p) => view(p).getByLabel('Actor', { exact: true }).fill('u-adam'),
        query: 'actorId=u-adam',
      },
      {
        label: 'Object name',
        set: (p) => view(p).getByLabel('Object name').fill('fire'),
        query: 'objectName=fire',
      },
      {
        label: 'IP address',
        set: (p) => view(p).getByLabel('IP address').fill('81.2.69.0/24'),
        query: 'ip=81.2.69.0%2F24',
      },
      {
        label: 'System',
        set: (p) => view(p).getByLabel('System', { exact: true }).selectOption('true'),
        query: 'system=true',
      },
      {
        label: 'Source',
        set: (p) => view(p).getByLabel('Source', { exact: true }).selectOption('csv_import'),
        query: 'source=csv_import',
      },
    ];
    for (const c of cases) {
      // Each case starts from a clean form except the Type case, which adds to Event.
      if (c.label !== 'Type') await s.reopen();
      await page.getByRole('table', AUDIT_TABLE).waitFor();
      await c.set(page);
      await apply(page);
      const expected = await summaries(c.query);
      expect(expected.length, c.label).toBeGreaterThan(0);
      await expect
        .poll(() => column(page.getByRole('table', AUDIT_TABLE), 'Summary'), { timeout: 10_000 })
        .toEqual(expected);
    }
    // A filter nothing matches: the designed empty state, not an empty table.
    await view(page).getByLabel('Object name').fill('no-such-object-anywhere');
    await apply(page);
    await page.getByText('No audit entries match these filters').waitFor();
    expect(await page.getByRole('table', AUDIT_TABLE).count()).toBe(0);
    await close(s);
  });

  it('follows the cursor with "Next page" and comes back with "Previous page"', async () => {
    const s = await signIn();
    const { page } = s;
    const first = await api<{ items: { summary: string }[]; nextCursor: string }>(
      '/v1/audit-events?limit=25',
      { token: owner },
    );
    const second = await api<{ items: { summary: string }[] }>(
      `/v1/audit-events?limit=25&cursor=${encodeURIComponent(first.body.nextCursor)}`,
      { token: owner },
    );
    await page.getByRole('table', AUDIT_TABLE).waitFor();
    await page.getByRole('button', { name: 'Next page' }).click();
    await expect
      .poll(() => column(page.getByRole('table', AUDIT_TABLE), 'Summary'))
      .toEqual(second.body.items.map((i) => i.summary));
    await page.getByRole('button', { name: 'Previous page' }).click();
    await expect
      .poll(() => column(page.getByRole('table', AUDIT_TABLE), 'Summary'))
      .toEqual(first.body.items.map((i) => i.summary));
    await close(s);
  });

  it('opens an entry with before and after side by side, redacted values marked', async () => {
    const s = await signIn();
    const { page } = s;
    await page.getByRole('table', AUDIT_TABLE).waitFor();
    await view(page).getByLabel('Event', { exact: true }).selectOption('PasswordChanged');
    await apply(page);
    const row = page.getByRole('table', AUDIT_TABLE).getByRole('row').nth(1);
    await row.getByRole('button', { name: 'View details' }).click();
    const dialog = page.getByRole('dialog', { name: 'Entry details' });
    const changes = dialog.getByRole('table', { name: /Changes: before and after/ });
    await changes.waitFor();
    expect(await headers(changes)).toEqual(['Field', 'Before', 'After']);
    const cells = await changes.getByRole('row').nth(1).innerText();
    expect(cells).toMatch(/password/);
    expect(cells).not.toMatch(/hunter2|correct-horse/);
    expect(await dialog.getByText('Redacted', { exact: true }).count()).toBe(2);
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, 'audit-details');
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'hidden' });
    await close(s);
  });

  it('can be used with the keyboard alone: tabs, filters, table, details', async () => {
    const s = await signIn();
    const { page } = s;
    await page.getByRole('table', AUDIT_TABLE).waitFor();
    const focused = () =>
      page.evaluate(() => {
        const doc = (globalThis as any).document;
        let el: any = doc.activeElement;
        while (el?.shadowRoot?.activeElement) el = el.shadowRoot.activeElement;
        return el ? el.getAttribute('aria-label') || el.id || el.textContent?.trim() : null;
      });
    await page.getByRole('tab', { name: 'Audit log' }).focus();
    await page.keyboard.press('ArrowRight');
    expect(await page.getByRole('tab', { name: 'Activity log' }).getAttribute('aria-selected')).toBe('true');
    await page.keyboard.press('ArrowLeft');
    await page.keyboard.press('Tab');
    expect(await focused()).toBe('actorId');
    await page.keyboard.press('Tab');
    expect(await focused()).toBe('action');
    // Choose "Deleted" with the keyboard, then submit with Enter from a text field.
    await page.keyboard.type('Deleted');
    await page.keyboard.press('Tab');
    await page.keyboard.press('Tab');
    expect(await focused()).toBe('objectName');
    await page.keyboard.press('Enter');
    const expected = await summaries('action=Deleted');
    await expect.poll(() => column(page.getByRole('table', AUDIT_TABLE), 'Summary')).toEqual(expected);
    // Into the table's scroll region, then its first "View details" button.
    await page.getByRole('region', { name: 'Audit log entries' }).focus();
    await page.keyboard.press('Tab');
    expect(await focused()).toBe('View details');
    await page.keyboard.press('Enter');
    await page.getByRole('dialog', { name: 'Entry details' }).waitFor();
    await page.keyboard.press('Escape');
    await close(s);
  });

  it('narrows the activity table by scope and filters, with the seed description lines and e-learning results', async () => {
    const s = await signIn();
    const { page } = s;
    await page.getByRole('tab', { name: 'Activity log' }).click();
    const table = page.getByRole('table', ACTIVITY_TABLE);
    await table.waitFor();
    expect(await column(table, 'Activity description')).toEqual(
      await descriptions('/v1/activity', 'scope=company', owner),
    );
    const cases: { set: (p: Page) => Promise<unknown>; query: string }[] = [
      {
        set: async (p) => {
          await view(p).getByRole('radio', { name: 'Team' }).check();
          await pick(view(p), 'Team', 'Sales', 'Sales');
          await view(p).getByLabel('Include Sub-Teams').check();
        },
        query: 'scope=team&teamId=t-sales&includeSubTeams=true',
      },
      {
        set: async (p) => {
          await view(p).getByRole('radio', { name: 'Team' }).check();
          await pick(view(p), 'Team', 'sales uk', 'Sales UK', 'click');
          await view(p).getByLabel('Primary Team Members Only').check();
        },
        query: 'scope=team&teamId=t-sales-uk&primaryOnly=true',
      },
      {
        set: async (p) => {
          await view(p).getByRole('radio', { name: 'Group' }).check();
          await pick(view(p), 'Group', 'Men', 'Mentors');
        },
        query: 'scope=group&groupId=g-mentors',
      },
      {
        set: (p) => view(p).getByLabel('Action', { exact: true }).selectOption('Failed'),
        query: 'scope=company&action=Failed',
      },
      {
        set: (p) => view(p).getByLabel('Content type', { exact: true }).selectOption('Quiz'),
        query: 'scope=company&contentType=Quiz',
      },
      {
        set: (p) => view(p).getByLabel('Completed', { exact: true }).selectOption('true'),
        query: 'scope=company&completed=true',
      },
      { set: (p) => view(p).getByLabel('Title').fill('fire'), query: 'scope=company&title=fire' },
      { set: (p) => pick(view(p), 'People', 'leo', /^\s*Leo Learner/), query: 'scope=company&userId=u-leo' },
    ];
    for (const c of cases) {
      await s.reopen();
      await page.getByRole('tab', { name: 'Activity log' }).click();
      await page.getByRole('table', ACTIVITY_TABLE).waitFor();
      await c.set(page);
      await apply(page);
      const expected = await descriptions('/v1/activity', c.query, owner);
      expect(expected.length, c.query).toBeGreaterThan(0);
      await expect
        .poll(() => column(page.getByRole('table', ACTIVITY_TABLE), 'Activity description'), {
          timeout: 10_000,
        })
        .toEqual(expected);
    }
    // Failed quizzes: description as the seed's, result and score in their columns.
    await s.reopen();
    await page.getByRole('tab', { name: 'Activity log' }).click();
    await view(page).getByLabel('Action', { exact: true }).selectOption('Failed');
    await apply(page);
    await expect
      .poll(
        async () => (await column(page.getByRole('table', ACTIVITY_TABLE), 'E-learning / Quiz result'))[0],
      )
      .toBe('Failed');
    const lines = await column(page.getByRole('table', ACTIVITY_TABLE), 'Activity description');
    expect(lines[0]).toMatch(/ failed .* scoring \d+%/);
    expect((await column(page.getByRole('table', ACTIVITY_TABLE), 'E-learning / Quiz score'))[0]).toMatch(
      /^\d+%$/,
    );
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, 'activity-log');
    await close(s);
  }, 180_000);

  it('exports the current view and downloads the file', async () => {
    const s = await signIn();
    const { page } = s;
    await page.getByRole('table', AUDIT_TABLE).waitFor();
    await view(page).getByLabel('Event', { exact: true }).selectOption('Deleted');
    await apply(page);
    await page.getByRole('button', { name: 'Export CSV' }).click();
    const exports = page.getByRole('table', { name: 'Your recent exports' });
    // The new export is the first row; older ones (the owner's own) follow it.
    const link = exports.getByRole('row').nth(1).getByRole('link', { name: 'Download' });
    await link.waitFor({ timeout: 30_000 });
    const rows = Number((await column(exports, 'Rows'))[0]);
    const download = await Promise.all([page.waitForEvent('download'), link.click()]).then(([d]) => d);
    const text = readFileSync((await download.path())!, 'utf8').replace(/^\uFEFF/, '');
    const lines = text.trim().split(/\r?\n/);
    expect(lines[0]).toBe(AUDIT_EXPORT_COLUMNS.join(','));
    const deleted = await api<{ items: unknown[] }>('/v1/audit-events?action=Deleted&limit=200', {
      token: owner,
    });
    expect(rows).toBe(deleted.body.items.length);
    expect(lines.length - 1).toBeGreaterThanOrEqual(rows);
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, 'export');
    await close(s);
  });

  it('lists the owner’s own recent exports after signing in again, as GET /v1/exports does', async () => {
    const s = await signIn();
    const { page } = s;
    const exports = page.getByRole('table', { name: 'Your recent exports' });
    await exports.waitFor();
    const mine = await api<{ items: { createdAt: string; rowCount?: number }[] }>('/v1/exports?limit=10', {
      token: owner,
    });
    expect(mine.body.items.length).toBeGreaterThan(0);
    await expect.poll(async () => (await exports.getByRole('row').count()) - 1).toBe(mine.body.items.length);
    const rowsShown = (await exports.getByRole('row').all()).slice(1);
    const times = await Promise.all(
      rowsShown.map((r) => r.getByRole('cell').nth(1).locator('time').getAttribute('datetime')),
    );
    expect(times).toEqual(mine.body.items.map((e) => e.createdAt));
    expect(await column(exports, 'Rows')).toEqual(mine.body.items.map((e) => String(e.rowCount ?? '')));
    expect(await seriousViolations(page)).toEqual([]);
    await close(s);
  });

  it('saves the current filters as a report, shares it and schedules it, showing the next run', async () => {
    const s = await signIn();
    const { page } = s;
    const name = `Deleted tasks ${Date.now().toString(36)}`;
    await page.getByRole('table', AUDIT_TABLE).waitFor();
    await view(page).getByLabel('Event', { exact: true }).selectOption('Deleted');
    await apply(page);
    await view(page).getByLabel('Report name').fill(name);
    await page.getByRole('button', { name: 'Save report' }).click();
    await page.getByText(`Saved the report “${name}”`).waitFor();
    await page.getByRole('tab', { name: 'Reports' }).click();
    const reports = page.getByRole('table', { name: /Saved reports/ });
    const row = reports.getByRole('row').filter({ has: page.getByRole('rowheader', { name }) });
    await row.waitFor();
    expect(await row.innerText()).toMatch(/Just me/);
    await row.getByRole('button', { name: `Share ${name}` }).click();
    await page.getByText(`“${name}” is shared.`).waitFor();
    expect(await row.innerText()).toMatch(/Everyone with permissions/);

    await row.getByRole('button', { name: `Schedule ${name}` }).click();
    const dialog = page.getByRole('dialog', { name: `Schedule “${name}”` });
    await dialog.getByLabel('Frequency').selectOption('weekly');
    // Recipients come from the directory by name: one chosen with the keyboard, one with the mouse.
    await pick(dialog, 'Recipients', 'adam', /^\s*Adam Admin/);
    await pick(dialog, 'Recipients', 'Olivia', /^\s*Olivia Owner/, 'click');
    await dialog.getByRole('combobox', { name: 'Recipients' }).press('Escape');
    expect(await dialog.isVisible()).toBe(true);
    await dialog.getByRole('button', { name: 'Remove Adam Admin' }).waitFor();
    await dialog.getByLabel('Time zone').selectOption('Europe/London');
    await dialog.getByLabel('Hour').selectOption('7');
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, 'schedule');
    await dialog.getByRole('button', { name: 'Save schedule' }).click();
    await dialog.waitFor({ state: 'hidden' });
    await expect
      .poll(() => row.innerText())
      .toMatch(/Weekly \(Mondays\), 07:00 Europe\/London; 2 recipients/);

    const stored = await api<{ items: { id: string; name: string; schedule?: { nextRunAt: string } }[] }>(
      '/v1/reports',
      {
        token: owner,
      },
    );
    const report = stored.body.items.find((r) => r.name === name);
    expect(report?.schedule?.nextRunAt).toBeTruthy();
    const nextRun = row.getByRole('cell').nth(3).locator('time');
    expect(await nextRun.getAttribute('datetime')).toBe(report?.schedule?.nextRunAt);
    await screenshot(page, 'reports');

    // Opening a saved report shows its log with its filters, in the form and in the table.
    await row.getByRole('button', { name: `Open ${name}` }).click();
    expect(await page.getByRole('tab', { name: 'Audit log' }).getAttribute('aria-selected')).toBe('true');
    expect(await view(page).getByLabel('Event', { exact: true }).inputValue()).toBe('Deleted');
    await expect
      .poll(() => column(page.getByRole('table', AUDIT_TABLE), 'Summary'))
      .toEqual(await summaries('action=Deleted'));
    await close(s);
  });
});

describe('what each role sees', () => {
  it('shows a manager only their reports, and a 403 kindly when asked for the audit log', async () => {
    const s = await signIn('manager');
    const { page } = s;
    expect(await page.getByRole('tab').allInnerTexts()).toEqual(['Activity log', 'My activity', 'Reports']);
    const table = page.getByRole('table', ACTIVITY_TABLE);
    await table.waitFor();
    expect(await page.getByRole('radio').count()).toBe(1);
    expect(await page.getByRole('radio', { name: 'My reports' }).isChecked()).toBe(true);
    expect(await page.getByRole('radio', { name: 'Company' }).count()).toBe(0);
    const maria = await demoToken('manager');
    expect(await column(table, 'Activity description')).toEqual(
      await descriptions('/v1/activity', 'scope=managed', maria),
    );
    // The Team picker offers only the teams of Maria's tree, as the API does for her.
    const teams = await api<{ items: { name: string }[] }>('/v1/directory/teams?limit=20', { token: maria });
    await view(page).getByRole('combobox', { name: 'Team', exact: true }).focus();
    const offered = view(page).getByRole('listbox', { name: 'Team', exact: true }).getByRole('option');
    await expect
      .poll(async () => (await offered.allTextContents()).map((t) => t.trim()))
      .toEqual(teams.body.items.map((t) => t.name));
    expect(teams.body.items.map((t) => t.name)).not.toContain('Engineering');
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, 'manager');
    // The UI never offers the audit log to a manager; an embedder that shows it anyway gets a kind answer.
    await page.evaluate(() => {
      const doc = (globalThis as any).document;
      doc.querySelector('main').prepend(doc.createElement('logbook-audit-log'));
    });
    await page.getByRole('alert').filter({ hasText: 'Not available for your role' }).waitFor();
    await close(s, [/status of 403/]);
  });

  it('shows a learner only "My activity", with their own entries', async () => {
    const s = await signIn('learner');
    const { page } = s;
    expect(await page.getByRole('tab').allInnerTexts()).toEqual(['My activity']);
    const table = page.getByRole('table', { name: /^My activity/ });
    await table.waitFor();
    const leo = await demoToken('learner');
    expect(await column(table, 'Activity description')).toEqual(
      await descriptions('/v1/me/activity', '', leo),
    );
    expect(await page.getByRole('button', { name: 'Export CSV' }).count()).toBe(0);
    expect(await view(page).getByLabel('People').count()).toBe(0);
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, 'learner');
    await close(s);
  });

  it('says how to get a new token when the API refuses the one it has (401)', async () => {
    const expired = await demoToken('owner', '-1m');
    const s = await openConsole(browser, expired);
    const alert = s.page.getByRole('alert').filter({ hasText: 'npm run token' }).first();
    await alert.waitFor();
    expect(await alert.innerText()).toContain('npm run token -- --tenant demo --role owner --sub u-olivia');
    await close(s, [/status of 401/]);
  });

  it('asks for a sign-in link when opened without one', async () => {
    const s = await openConsole(browser, '');
    await s.page.getByRole('heading', { name: 'Sign in' }).waitFor();
    expect(await s.page.getByText('npm run token').count()).toBeGreaterThan(0);
    expect(await seriousViolations(s.page)).toEqual([]);
    await close(s);
  });
});

describe('<logbook-integrity>, against contract-shaped answers (each failure reason, deterministically)', () => {
  /**
   * Six hours signed by a key made here: 0–3 sound, 2 altered after sealing (its count), 4 with
   * another hour's signature, 5 signed but linked to a digest that is not the hour before it.
   */
  function digests() {
    const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const jwk = { ...publicKey.export({ format: 'jwk' }), kid: 'k-2026', alg: 'ES256', use: 'sig' };
    const items: Record<string, unknown>[] = [];
    let previous: string | null = null;
    const start = Date.parse('2026-11-30T08:00:00.000Z');
    for (let h = 0; h < 6; h++) {
      const fields: Record<string, unknown> = {
        id: `d-${h}`,
        periodStart: new Date(start + h * 3_600_000).toISOString(),
        periodEnd: new Date(start + (h + 1) * 3_600_000).toISOString(),
        count: 10 + h,
        rootHash: createHash('sha256').update(`root-${h}`).digest('hex'),
        previousDigestHash: h === 5 ? 'ab'.repeat(32) : previous,
        keyId: 'k-2026',
        createdAt: new Date(start + (h + 1) * 3_600_000 + 60_000).toISOString(),
      };
      const digestHash: string = createHash('sha256').update(canonicalize(fields)!).digest('hex');
      const signature = sign('sha256', Buffer.from(digestHash), {
        key: privateKey,
        dsaEncoding: 'ieee-p1363',
      }).toString('base64url');
      items.push({ ...fields, digestHash, signature });
      previous = digestHash;
    }
    items[2] = { ...items[2], count: 99 };
    items[4] = { ...items[4], signature: items[3]!.signature };
    return { items, keys: [jwk] };
  }

  it('shows each sealed hour as verified or not with the reason, following the chain across pages', async () => {
    const s = await signIn();
    const { page } = s;
    const { items, keys } = digests();
    await page.route('**/v1/audit-digests/keys', (r) => r.fulfill({ json: { keys } }));
    await page.route('**/v1/audit-digests?*', (r) =>
      new URL(r.request().url()).searchParams.get('cursor') === 'p2'
        ? r.fulfill({ json: { items: items.slice(3), nextCursor: null } })
        : r.fulfill({ json: { items: items.slice(0, 3), nextCursor: 'p2' } }),
    );
    await page.getByRole('tab', { name: 'Integrity' }).click();
    const table = page.getByRole('table', { name: /Sealed hours/ });
    await table.waitFor();
    expect(await column(table, 'Entries')).toEqual(['10', '11', '99']);
    expect(await view(page).getByRole('status').innerText()).toBe(
      '3 hours shown: 2 verified, 1 not verified. More hours on the next page.',
    );
    await view(page).getByRole('button', { name: 'Next page' }).click();
    await expect.poll(() => column(table, 'Entries')).toEqual(['10', '11', '99', '13', '14', '15']);
    const states = await column(table, 'State');
    expect(states[0]).toBe('✓ Verified');
    expect(states[1]).toBe('✓ Verified');
    expect(states[2]).toBe('Not verified: digest hash does not match its fields');
    // Its fields were altered, not its digestHash: the next hour, on the next page, still links.
    expect(states[3]).toBe('✓ Verified');
    expect(states[4]).toBe('Not verified: signature does not verify');
    expect(states[5]).toBe('Not verified: does not link to the previous hour');
    expect(await view(page).getByRole('status').innerText()).toBe(
      '6 hours shown: 3 verified, 3 not verified.',
    );
    expect(await view(page).getByRole('button', { name: 'Next page' }).count()).toBe(0);
    expect(await seriousViolations(page)).toEqual([]);
    await close(s);
  });

  it('survives a 403 from the digest routes', async () => {
    const s = await signIn();
    const { page } = s;
    await page.route('**/v1/audit-digests/keys', (r) =>
      r.fulfill({
        status: 403,
        contentType: 'application/problem+json',
        json: { type: 'about:blank', title: 'Forbidden', status: 403 },
      }),
    );
    await page.getByRole('tab', { name: 'Integrity' }).click();
    await view(page).getByRole('alert').filter({ hasText: 'Not available for your role' }).waitFor();
    expect(await view(page).getByRole('table').count()).toBe(0);
    await close(s, [/status of 403/]);
  });
});

describe('<logbook-integrity>, over the real integrity routes', () => {
  const doc = DynamoDBDocumentClient.from(
    new DynamoDBClient({
      region: 'eu-west-1',
      endpoint: inject('dynamoEndpoint'),
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    }),
    { marshallOptions: { removeUndefinedValues: true } },
  );
  const tables = inject('tables');
  const tenant = uniqueTenant('console-integ');
  // Two hours long closed, whatever the time of day: sealed by POST /_local/seal at the real now.
  const thisHour = Math.floor(Date.now() / HOUR_MS) * HOUR_MS;
  const hours = [thisHour - 3 * HOUR_MS, thisHour - 2 * HOUR_MS];
  let tenantOwner: string;

  /** Stores an entry as ingest would have at `recordedAt` (hash and all), as integrity.test.ts does. */
  async function storeAt(i: number, recordedAt: number) {
    const store = new DynamoAuditStore(doc, { tableName: tables.audit, shardsFor: () => 1 });
    const input = auditEventInputSchema.parse({
      id: `ev-${String(i).padStart(4, '0')}`,
      tenantId: tenant,
      occurredAt: new Date(recordedAt - 1000).toISOString(),
      actor: { type: 'user', id: 'u1', name: 'Person 1', email: 'p1@example.com' },
      action: 'Updated',
      object: { type: 'User', id: `obj-${i}`, name: `Object ${i}` },
      source: { kind: 'web' },
      changes: [{ field: 'title', before: `a${i}`, after: `b${i}` }],
    });
    const entry = toEntry(input, input.id!, new Date(recordedAt).toISOString());
    entry.integrity = sealEntry(entry);
    await store.put(entry, Math.floor(Date.now() / 1000) + 86_400 * 30);
  }

  async function openIntegrity(): Promise<{ s: Session; table: Locator }> {
    const s = await openConsole(browser, tenantOwner);
    await s.page.getByRole('tab', { name: 'Integrity' }).click();
    const table = s.page.getByRole('table', { name: /Sealed hours/ });
    await table.waitFor();
    return { s, table };
  }

  beforeAll(async () => {
    tenantOwner = (await tokensFor(tenant)).owner;
    let n = 0;
    for (const [h, hour] of hours.entries())
      for (let k = 0; k < 4 - h; k++) await storeAt(n++, hour + k * 60_000 + 5);
    const sealed = await api('/_local/seal', {
      // Only this tenant: the stack is shared, and other files' tenants seal their own hours.
      body: { fromHour: new Date(hours[0]!).toISOString(), tenants: [tenant] },
      unchecked: true,
    });
    expect(sealed.status).toBe(200);
  }, 60_000);

  it('shows each sealed hour of the tenant as verified in the browser, with a summary', async () => {
    const { s, table } = await openIntegrity();
    const { page } = s;
    expect(await headers(table)).toEqual(['Hour', 'Entries', 'Root hash', 'Key', 'State']);
    expect(await column(table, 'State')).toEqual(['✓ Verified', '✓ Verified']);
    expect(await column(table, 'Entries')).toEqual(['4', '3']);
    const digests = await api<{ items: { rootHash: string; keyId: string }[] }>('/v1/audit-digests', {
      token: tenantOwner,
    });
    expect(await column(table, 'Key')).toEqual(digests.body.items.map((d) => d.keyId));
    // The root hash shortened, the full one on hover.
    expect(await table.getByTitle(digests.body.items[0]!.rootHash).innerText()).toBe(
      `${digests.body.items[0]!.rootHash.slice(0, 16)}…`,
    );
    expect(await view(page).getByRole('status').innerText()).toBe('2 hours shown: 2 verified.');
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, 'integrity');
    await close(s);
  });

  it('reports a digest altered in the store after sealing', async () => {
    const key = { pk: `DIGESTS#${tenant}`, sk: new Date(hours[1]!).toISOString() };
    const before = await doc.send(new GetCommand({ TableName: tables.state, Key: key }));
    expect(before.Item?.count).toBe(3);
    await doc.send(new PutCommand({ TableName: tables.state, Item: { ...before.Item, count: 2 } }));
    try {
      const { s, table } = await openIntegrity();
      const states = await column(table, 'State');
      expect(states[0]).toBe('✓ Verified');
      expect(states[1]).toMatch(/^Not verified: digest hash does not match its fields/);
      expect(await view(s.page).getByRole('status').innerText()).toBe(
        '2 hours shown: 1 verified, 1 not verified.',
      );
      await close(s);
    } finally {
      await doc.send(new PutCommand({ TableName: tables.state, Item: before.Item }));
    }
  });
});

import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import { type Browser, type BrowserContext, chromium, type Locator, type Page } from 'playwright-core';
import { inject } from 'vitest';
import { ensureConsoleBuilt } from '../../../local/console.ts';
import { DEMO_PEOPLE, DEMO_TENANT, type DemoPerson } from '../../../local/seed/demo.ts';
import { mintToken } from '../../../local/tokens.ts';

/**
 * The browser side of the console tests: Debian's chromium driven by playwright-core, the demo
 * tenant seeded into the shared stack as `npm start` seeds it, sign-in links, an axe scan, and a
 * record of console errors. Elements are found by role and accessible name only.
 */
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const ARTIFACTS = join('test-results', 'console');

export async function launchBrowser(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(
      `No Chromium at ${CHROMIUM}. Install Debian's package: apt-get install -y chromium (.ci/run does), or set CHROMIUM_PATH.`,
    );
  }
  return chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--disable-gpu'] });
}

/** Seeds the demo tenant into the shared stack with `npm start`'s own seeders (once per stack). */
export async function seedDemo(): Promise<void> {
  const tables = inject('tables');
  Object.assign(process.env, {
    DYNAMODB_ENDPOINT: inject('dynamoEndpoint'),
    S3_ENDPOINT: inject('s3Endpoint'),
    SES_ENDPOINT: inject('sesEndpoint'),
    AUDIT_TABLE: tables.audit,
    ACTIVITY_TABLE: tables.activity,
    DIRECTORY_TABLE: tables.directory,
    STATE_TABLE: tables.state,
    EXPORTS_BUCKET: inject('bucket'),
    AWS_REGION: 'eu-west-1',
  });
  const [{ loadConfig }, { seedDemoTenant }] = await Promise.all([
    import('../../../shared/config.ts'),
    import('../../../local/seed/index.ts'),
  ]);
  await seedDemoTenant({ config: loadConfig(), now: new Date(), log: () => undefined });
}

/** Builds console/dist if it is stale, and seeds the demo tenant, side by side. */
export async function prepareConsole(): Promise<void> {
  mkdirSync(ARTIFACTS, { recursive: true });
  await Promise.all([ensureConsoleBuilt(), seedDemo()]);
}

export function demoToken(person: DemoPerson, expiresIn = '1h'): Promise<string> {
  const p = DEMO_PEOPLE[person];
  return mintToken({ sub: p.sub, role: p.role, tenant: DEMO_TENANT, expiresIn });
}

export interface Session {
  context: BrowserContext;
  page: Page;
  /** Console errors and uncaught page errors seen so far. */
  errors: string[];
  /** Opens the sign-in link again: a fresh page with empty filters (a reload would drop the token, kept in memory only). */
  reopen(): Promise<void>;
}

/** A fresh context signed in through the printed link (`/console/#token=…`). */
export async function openConsole(
  browser: Browser,
  token: string,
  options: { timezoneId?: string } = {},
): Promise<Session> {
  const context = await browser.newContext({
    acceptDownloads: true,
    viewport: { width: 1440, height: 1000 },
    timezoneId: options.timezoneId ?? 'Europe/London',
    locale: 'en-GB',
  });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  page.on('pageerror', (e) => errors.push(String(e)));
  const link = `${inject('baseUrl')}/console/#token=${token}`;
  await page.goto(link);
  const reopen = async () => {
    await page.goto('about:blank');
    await page.goto(link);
  };
  return { context, page, errors, reopen };
}

/** Zero serious or critical axe violations, or the list of them. */
export async function seriousViolations(page: Page): Promise<string[]> {
  const result = await new AxeBuilder({ page }).analyze();
  return result.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id} (${v.impact}): ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}

/** The column headers of a table. */
export function headers(table: Locator): Promise<string[]> {
  return table.evaluate((t: any) => [...t.tHead.rows[0].cells].map((c: any) => c.innerText.trim()));
}

/** The text of one column, by its header, top to bottom. */
export function column(table: Locator, header: string): Promise<string[]> {
  return table.evaluate((t: any, name: string) => {
    const index = [...t.tHead.rows[0].cells].findIndex((c: any) => c.innerText.trim() === name);
    if (index < 0) throw new Error(`no column ${name}`);
    return [...t.tBodies[0].rows].map((r: any) => r.cells[index].innerText.trim());
  }, header);
}

export function screenshot(page: Page, name: string): Promise<Buffer> {
  return page.screenshot({ path: join(ARTIFACTS, `${name}.png`), fullPage: false });
}

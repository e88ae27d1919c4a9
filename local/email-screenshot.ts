import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { reportReadyEmail } from '../shared/use-cases/reports/email/report-ready.ts';
import { SAMPLE_REPORT_READY } from './emails.ts';

/**
 * `npm run docs:email`: the scheduled report e-mail, filled with the sample the snapshot test
 * uses, rendered by a real Chromium (Debian's, `apt-get install -y chromium`) into
 * docs/images/report-email.png for docs/. Set CHROMIUM to use another binary.
 */
const ROOT = fileURLToPath(new URL('..', import.meta.url));
const OUT = join(ROOT, 'docs', 'images', 'report-email.png');

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
  args: ['--no-sandbox'],
});
try {
  const page = await browser.newPage({ viewport: { width: 720, height: 600 }, deviceScaleFactor: 1 });
  await page.setContent(reportReadyEmail(SAMPLE_REPORT_READY).html, { waitUntil: 'load' });
  mkdirSync(dirname(OUT), { recursive: true });
  await page.screenshot({ path: OUT, fullPage: true });
  console.log(`wrote ${OUT}`);
} finally {
  await browser.close();
}

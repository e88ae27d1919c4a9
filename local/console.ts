import { existsSync, readdirSync, statSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import type { ServerResponse } from 'node:http';
import { extname, join, normalize, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The admin console's build and its serving by the dev gateway. `console/dist` is built by Vite
 * (gitignored); `npm start` and the browser tests build it when it is missing or older than its
 * sources, which takes a few seconds.
 */
export const CONSOLE_ROOT = fileURLToPath(new URL('../console/', import.meta.url));
export const CONSOLE_DIST = join(CONSOLE_ROOT, 'dist');
const CLIENT_SRC = fileURLToPath(new URL('../packages/client/src/', import.meta.url));

/** The newest modification time of the files a build reads. */
function newestSource(): number {
  let newest = 0;
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else newest = Math.max(newest, statSync(path).mtimeMs);
    }
  };
  walk(join(CONSOLE_ROOT, 'src'));
  walk(CLIENT_SRC);
  // This file holds the build's settings.
  for (const file of [join(CONSOLE_ROOT, 'index.html'), fileURLToPath(import.meta.url)]) {
    newest = Math.max(newest, statSync(file).mtimeMs);
  }
  return newest;
}

export function consoleIsFresh(outDir = CONSOLE_DIST): boolean {
  const index = join(outDir, 'index.html');
  return existsSync(index) && statSync(index).mtimeMs >= newestSource();
}

/** Builds the console with Vite into `outDir` (default console/dist). */
export async function buildConsole(outDir = CONSOLE_DIST): Promise<void> {
  const { build } = await import('vite');
  await build({
    configFile: false,
    root: CONSOLE_ROOT,
    // Relative, so the same files work at /console/ locally and at the root of CloudFront.
    base: './',
    logLevel: 'warn',
    build: {
      outDir,
      emptyOutDir: true,
      target: 'es2022',
      // One module and one stylesheet: nothing inlined into index.html (the CSP allows no inline script).
      assetsInlineLimit: 0,
      modulePreload: { polyfill: false },
    },
  });
}

/** Builds the console unless console/dist is newer than every source file. */
export async function ensureConsoleBuilt(log: (line: string) => void = () => undefined): Promise<void> {
  if (consoleIsFresh()) return;
  log('building the admin console (console/dist) …');
  await buildConsole();
}

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.json': 'application/json',
  '.map': 'application/json',
};

/**
 * The headers CloudFront sends in AWS, sent here too: a CSP without inline scripts, no framing,
 * no sniffing, no referrer. Styles: Lit adopts constructed stylesheets, which style-src does not govern.
 */
export const CONSOLE_SECURITY_HEADERS = {
  'content-security-policy':
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'self'; form-action 'self'",
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'referrer-policy': 'no-referrer',
};

/** Serves `GET /console/…` from the built console; false when the path is not the console's. */
export async function serveConsole(
  pathname: string,
  res: ServerResponse,
  dist = CONSOLE_DIST,
): Promise<boolean> {
  if (pathname === '/console') {
    res.writeHead(301, { location: '/console/' });
    res.end();
    return true;
  }
  if (!pathname.startsWith('/console/')) return false;
  const relative = decodeURIComponent(pathname.slice('/console/'.length)) || 'index.html';
  const root = resolve(dist);
  const file = normalize(join(root, relative));
  if (!file.startsWith(root + sep)) {
    res.writeHead(404, { 'content-type': 'text/plain' });
    res.end('Not found');
    return true;
  }
  try {
    const body = await readFile(file);
    const hashed = relative.startsWith('assets/');
    res.writeHead(200, {
      'content-type': TYPES[extname(file)] ?? 'application/octet-stream',
      'cache-control': hashed ? 'public, max-age=31536000, immutable' : 'no-cache',
      ...CONSOLE_SECURITY_HEADERS,
    });
    res.end(body);
  } catch {
    const built = existsSync(join(root, 'index.html'));
    res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' });
    res.end(
      built
        ? 'Not found'
        : 'The console is not built: `npm start` builds it (or run `npm run console:build`).',
    );
  }
  return true;
}

// Shared plumbing for the Playwright end-to-end scripts: Debian's Chromium, named checks that
// never throw out of the script, and the closing `e2e: N passed, N failed` line.
import { readFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { chromium, type Browser } from 'playwright-core';

const results: { name: string; ok: boolean }[] = [];

export function launch(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROME_PATH ?? '/usr/bin/chromium',
    headless: true,
    args: ['--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'],
  });
}

/** Runs one named check, recording (not throwing) its failure. */
export async function check(name: string, body: () => Promise<void>): Promise<void> {
  try {
    await body();
    results.push({ name, ok: true });
    console.log(`  ✓ ${name}`);
  } catch (error) {
    results.push({ name, ok: false });
    console.log(`  ✗ ${name}\n    ${String(error instanceof Error ? error.stack : error).split('\n').slice(0, 4).join('\n    ')}`);
  }
}

export function assert(condition: unknown, message: string): asserts condition {
  if (!condition) throw new Error(message);
}

/** Prints the closing line and exits non-zero when a check failed. */
export function finish(): never {
  const failed = results.filter((r) => !r.ok).length;
  console.log(`e2e: ${results.length - failed} passed, ${failed} failed`);
  process.exit(failed ? 1 : 0);
}

/**
 * The built bundle or one of its sibling chunks (markdown renderer, locales) for a request path
 * like `/bookbag-chat.js` or `/bookbag-chat-markdown-stream-<hash>.js`; undefined for any other.
 */
export function distScript(pathname: string): Buffer | undefined {
  const name = /^\/(bookbag-chat(?:-[\w-]+)?\.js)$/.exec(pathname)?.[1];
  if (!name) return undefined;
  try {
    return readFileSync(`dist/${name}`);
  } catch {
    return undefined;
  }
}

/**
 * A site on 127.0.0.1 serving the built bundle: `/page.js` (the page's own script, a file since
 * a strict CSP forbids inline scripts), `/bookbag-chat.js` and its sibling chunks, and whatever
 * `route` answers (the page itself; it returns false for paths it does not know); 404 otherwise.
 * Resolves with the site's origin and a `close` that ends it (open connections included).
 */
export async function startSite(pageScript: string, route: (url: URL, res: http.ServerResponse) => boolean): Promise<{ origin: string; close(): void }> {
  const site = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    const script = distScript(url.pathname);
    if (route(url, res)) return;
    if (url.pathname === '/page.js') res.writeHead(200, { 'Content-Type': 'text/javascript' }).end(pageScript);
    else if (script) res.writeHead(200, { 'Content-Type': 'text/javascript' }).end(script);
    else res.writeHead(404).end();
  });
  await new Promise<void>((r) => site.listen(0, '127.0.0.1', r));
  return {
    origin: `http://127.0.0.1:${(site.address() as AddressInfo).port}`,
    close: () => {
      site.closeAllConnections();
      site.close();
    },
  };
}

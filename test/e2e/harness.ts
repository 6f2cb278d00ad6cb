// Shared plumbing for the Playwright end-to-end scripts: Debian's Chromium, named checks that
// never throw out of the script, and the closing `e2e: N passed, N failed` line.
import { readFileSync } from 'node:fs';
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

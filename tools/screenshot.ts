// `npm run screenshot`: the README's picture, taken the way a visitor sees the demo. Starts the
// demo (source through Vite, local Bookbag server), opens the chat in Debian's Chromium, asks
// for the markdown showcase, waits for the finished reply and saves docs/screenshot.png.
import { chromium } from 'playwright-core';
import { startDemo } from '../demo/serve.ts';

const OUT = process.argv[2] ?? 'docs/screenshot.png';
const demo = await startDemo({ port: 0, pace: 0, quiet: true });
const browser = await chromium.launch({
  executablePath: process.env.CHROME_PATH ?? '/usr/bin/chromium',
  headless: true,
  args: ['--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'],
});
try {
  const page = await browser.newPage({ viewport: { width: 1200, height: 760 }, deviceScaleFactor: 1 });
  await page.goto(demo.url);
  await page.locator('bookbag-chat [part="launcher"]').click();
  await page.locator('bookbag-chat [part="input"]').fill('Show me some markdown');
  await page.locator('bookbag-chat [part="input"]').press('Enter');
  await page.waitForFunction(() => {
    const el = document.querySelector('bookbag-chat') as HTMLElement & { status: string; messages: unknown[] };
    return el.status === 'idle' && el.messages.length >= 2;
  });
  // The chat stays pinned to the newest message: the picture shows how the reply ends (a table).
  await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
  await page.screenshot({ path: OUT });
  console.log(`screenshot: ${OUT}`);
} finally {
  await browser.close();
  await demo.close();
}

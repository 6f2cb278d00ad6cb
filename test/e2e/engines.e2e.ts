// End-to-end in Firefox and WebKit: the demo page served with the BUILT bundle, as a visitor
// uses it: open the launcher, type with real key events, watch the reply stream in, reload.
// Playwright (the other e2e scripts, Chromium) cannot drive Debian's Firefox or WebKitGTK, so
// this script drives Firefox with puppeteer-core over WebDriver BiDi and WebKit's MiniBrowser
// with webdriverio through WebKitWebDriver under Xvfb (test/engines.mjs), behind one small
// Driver interface. Prints `e2e: N passed, N failed`.
import { mkdir } from 'node:fs/promises';
import { startDemo } from '../../demo/serve.ts';
// @ts-expect-error plain ESM module without types (shared with web-test-runner.config.mjs)
import { BINARIES, MINIBROWSER, startWebKitDriver, startXvfb, typingActions } from '../engines.mjs';
import { assert, check, finish } from './harness.ts';

interface Driver {
  goto(url: string): Promise<void>;
  reload(): Promise<void>;
  /** Runs `body` (a function expression's source) in the page and returns its JSON result. */
  evaluate<T>(body: string): Promise<T>;
  /** Trusted keyboard input into the focused element; `Enter` is the key, anything else is typed. */
  type(text: string): Promise<void>;
  pressEnter(): Promise<void>;
  screenshot(path: string): Promise<void>;
  close(): Promise<void>;
}

async function firefox(): Promise<Driver> {
  const puppeteer = await import('puppeteer-core');
  const browser = await puppeteer.launch({ browser: 'firefox', executablePath: BINARIES.firefox, headless: true });
  const page = await browser.newPage();
  await page.setViewport({ width: 1280, height: 800 });
  return {
    goto: async (url) => void (await page.goto(url)),
    reload: async () => void (await page.reload()),
    evaluate: <T>(body: string) => page.evaluate(`(${body})()`) as Promise<T>,
    type: (text) => page.keyboard.type(text),
    pressEnter: () => page.keyboard.press('Enter'),
    screenshot: async (path) => void (await page.screenshot({ path: path as `${string}.png` })),
    close: () => browser.close(),
  };
}

async function webkit(): Promise<Driver> {
  const { remote } = await import('webdriverio');
  const port = await startWebKitDriver(await startXvfb());
  const browser = await remote({
    hostname: '127.0.0.1', port, logLevel: 'error',
    capabilities: {
      browserName: 'MiniBrowser',
      'wdio:enforceWebDriverClassic': true,
      'webkitgtk:browserOptions': { binary: MINIBROWSER, args: ['--automation'] },
    } as WebdriverIO.Capabilities,
  });
  await browser.setWindowSize(1280, 800);
  return {
    goto: async (url) => void (await browser.url(url)),
    reload: async () => void (await browser.refresh()),
    evaluate: <T>(body: string) => browser.execute(`return (${body})()`) as Promise<T>,
    // Not browser.keys(): it holds every key down before releasing any, losing doubled letters.
    type: (text) => browser.performActions([{ type: 'key', id: 'keyboard', actions: typingActions(text) }]),
    pressEnter: () => browser.keys(['Enter']),
    screenshot: async (path) => void (await browser.saveScreenshot(path)),
    close: () => browser.deleteSession(),
  };
}

const demo = await startDemo({ built: true, port: 0, pace: 15 });
await mkdir('test-results', { recursive: true });

/** Page-side helpers, installed after every navigation. */
const HELPERS = `() => {
  window.__chat = () => document.querySelector('bookbag-chat');
  window.__bubbles = () => [...window.__chat().shadowRoot.querySelectorAll('[part~="bubble"]')].map((b) => b.textContent.trim());
  window.__errors ??= [];
  addEventListener('error', (e) => window.__errors.push(String(e.message)));
  addEventListener('unhandledrejection', (e) => window.__errors.push(String(e.reason)));
}`;

/** Polls a page-side condition until it holds (no fixed sleeps: each poll is a round trip). */
async function waitFor(driver: Driver, condition: string, what: string, timeout = 15000): Promise<void> {
  const deadline = Date.now() + timeout;
  while (!(await driver.evaluate<boolean>(condition))) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
  }
}

async function openAndAsk(driver: Driver, text: string): Promise<void> {
  await driver.evaluate(`() => { const c = window.__chat(); if (!c.open) c.shadowRoot.querySelector('[part="launcher"]').click(); }`);
  await waitFor(driver, `() => !!window.__chat().shadowRoot.querySelector('[part="input"]')?.checkVisibility()`, 'the open panel');
  await driver.evaluate(`() => window.__chat().shadowRoot.querySelector('[part="input"]').focus()`);
  await driver.type(text);
  await driver.pressEnter();
}

for (const [engine, start] of [['firefox', firefox], ['webkit', webkit]] as const) {
  console.log(`${engine}:`);
  let driver: Driver | undefined;
  await check(`${engine}: the built bundle loads and defines <bookbag-chat>`, async () => {
    driver = await start();
    await driver.goto(demo.url);
    await driver.evaluate(HELPERS);
    await waitFor(driver, `() => !!customElements.get('bookbag-chat')`, 'the element definition');
    const scripts = await driver.evaluate<string>(`() => [...document.scripts].map((s) => s.src).join(' ')`);
    assert(scripts.includes('/dist/bookbag-chat.js'), `page did not load the built bundle: ${scripts}`);
  });
  if (!driver) continue;
  const d = driver;

  await check(`${engine}: typed with real keys, a reply streams in word by word`, async () => {
    // The page records the reply's length at every DOM change: polling over WebDriver round
    // trips could miss the steps of a fast stream.
    await d.evaluate(`() => {
      window.__lengths = new Set();
      new MutationObserver(() => { const b = window.__bubbles(); if (b.length >= 2) window.__lengths.add(b[1].length); })
        .observe(window.__chat().shadowRoot, { childList: true, subtree: true, characterData: true });
    }`);
    await openAndAsk(d, 'Hello there');
    await waitFor(d, `() => window.__chat().status === 'idle' && window.__chat().messages.length >= 2`, 'the finished reply');
    const lengths = await d.evaluate<number[]>(`() => [...window.__lengths]`);
    const bubbles = await d.evaluate<string[]>(`() => window.__bubbles()`);
    assert(bubbles[0] === 'Hello there', `the user bubble shows what was typed: ${JSON.stringify(bubbles)}`);
    assert(bubbles[1].length > 10, `no reply text: ${JSON.stringify(bubbles)}`);
    assert(lengths.length >= 3, `expected the text to grow in steps, saw lengths ${lengths.join(',')}`);
    await d.screenshot(`test-results/demo-${engine}.png`);
  });

  await check(`${engine}: a reload restores the conversation`, async () => {
    const before = await d.evaluate<string[]>(`() => window.__bubbles()`);
    await d.reload();
    await d.evaluate(HELPERS);
    await waitFor(d, `() => !!window.__chat()?.shadowRoot`, 'the element');
    await d.evaluate(`() => { const c = window.__chat(); if (!c.open) c.shadowRoot.querySelector('[part="launcher"]').click(); }`);
    await waitFor(d, `() => window.__bubbles().length >= ${before.length}`, 'the restored messages');
    const after = await d.evaluate<string[]>(`() => window.__bubbles()`);
    assert(JSON.stringify(after) === JSON.stringify(before), `restored ${JSON.stringify(after)} vs ${JSON.stringify(before)}`);
  });

  await check(`${engine}: no uncaught page errors`, async () => {
    const errors = await d.evaluate<string[]>(`() => window.__errors`);
    assert(errors.length === 0, errors.join('\n'));
  });
  await d.close();
}

await demo.close();
finish();

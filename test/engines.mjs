// The three browser engines the suite runs in, all from Debian packages (no browser download):
//   chromium  `chromium`                    puppeteer-core over CDP (wtr's chromeLauncher)
//   firefox   `firefox-esr`                 puppeteer-core over WebDriver BiDi (no geckodriver)
//   webkit    `webkit2gtk-driver` + `xvfb`  WebKitWebDriver + MiniBrowser under Xvfb (webdriverio)
// `BOOKBAG_ENGINE` picks one per wtr run (test/run.mjs runs all three, one after another).
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import net from 'node:net';

export const ENGINES = ['chromium', 'firefox', 'webkit'];

/** Where Debian installs each engine's binary (the WebKit one is its WebDriver). */
export const DEFAULT_BINARIES = {
  chromium: '/usr/bin/chromium',
  firefox: '/usr/bin/firefox-esr',
  webkit: '/usr/bin/WebKitWebDriver',
};

export const BINARIES = {
  chromium: process.env.CHROME_PATH ?? DEFAULT_BINARIES.chromium,
  firefox: process.env.FIREFOX_PATH ?? DEFAULT_BINARIES.firefox,
  webkit: process.env.WEBKIT_DRIVER_PATH ?? DEFAULT_BINARIES.webkit,
};

/** Debian packages that provide each engine (what test/run.mjs installs when a binary is missing). */
export const PACKAGES = {
  chromium: ['chromium'],
  firefox: ['firefox-esr'],
  webkit: ['webkit2gtk-driver', 'xvfb', 'xauth'],
};

export const MINIBROWSER = process.env.WEBKIT_MINIBROWSER_PATH ?? '/usr/lib/x86_64-linux-gnu/webkit2gtk-4.1/MiniBrowser';

const children = [];
process.once('exit', () => { for (const child of children) child.kill('SIGKILL'); });
for (const signal of ['SIGINT', 'SIGTERM']) process.once(signal, () => process.exit(1));

function freePort() {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => { const { port } = probe.address(); probe.close(() => resolve(port)); });
  });
}

/** Starts Xvfb on a display it picks itself (`-displayfd`) and resolves with `:N`. */
export function startXvfb() {
  return new Promise((resolve, reject) => {
    const xvfb = spawn('Xvfb', ['-displayfd', '3', '-screen', '0', '1920x1080x24', '-nolisten', 'tcp'], { stdio: ['ignore', 'ignore', 'pipe', 'pipe'] });
    children.push(xvfb);
    let out = '', err = '';
    xvfb.stderr.on('data', (c) => { err += c; });
    xvfb.stdio[3].on('data', (c) => {
      out += c;
      if (out.includes('\n')) resolve(`:${out.trim()}`);
    });
    xvfb.once('error', reject);
    xvfb.once('exit', (code) => reject(new Error(`Xvfb exited (${code}) before reporting a display: ${err.trim()}`)));
  });
}

/** Starts WebKitWebDriver on a free loopback port and resolves once it answers /status. */
export async function startWebKitDriver(display) {
  const port = await freePort();
  const driver = spawn(BINARIES.webkit, [`--port=${port}`, '--host=127.0.0.1'], { stdio: 'ignore', env: { ...process.env, DISPLAY: display } });
  children.push(driver);
  let exited;
  driver.once('exit', (code) => { exited = code ?? 'signal'; });
  // The driver announces nothing when it is ready: poll its status endpoint until it answers.
  for (;;) {
    if (exited !== undefined) throw new Error(`WebKitWebDriver exited (${exited}) before it was ready`);
    if (await fetch(`http://127.0.0.1:${port}/status`).then((r) => r.ok, () => false)) return port;
    await new Promise((r) => setTimeout(r, 50));
  }
}

/**
 * How much longer than Chromium an engine takes for the same work, measured on the full suite
 * (Firefox about 2×, WebKit about 5×). It scales the hang guards (mocha's per-test timeout,
 * wtr's per-file finish timeout), which are not speed assertions: benchmarks measure speed.
 */
export const SLOWDOWN = { chromium: 1, firefox: 2, webkit: 5 };

/**
 * wtr settings for one engine: its launcher and the concurrency it tolerates. Firefox throttles
 * background tabs hard (about one timer per second), so it runs one test file at a time; the
 * WebDriver launcher only supports one session (concurrency 1 = one window, no iframes).
 */
export async function engineConfig(engine = process.env.BOOKBAG_ENGINE ?? 'chromium') {
  if (engine === 'chromium') {
    const { chromeLauncher } = await import('@web/test-runner-chrome');
    return {
      concurrency: 2,
      browsers: [chromeLauncher({
        launchOptions: {
          executablePath: BINARIES.chromium,
          headless: true,
          args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
            '--disable-background-networking', '--disable-component-update', '--disable-sync',
            '--disable-dev-shm-usage'],
        },
      })],
    };
  }
  if (engine === 'firefox') {
    // wtr's Chrome launcher drives any puppeteer browser when handed puppeteer itself; with
    // `browser: 'firefox'` puppeteer-core speaks WebDriver BiDi and names the launcher "Firefox".
    const { ChromeLauncher } = await import('@web/test-runner-chrome');
    const puppeteer = await import('puppeteer-core');
    const launcher = new ChromeLauncher(
      {
        browser: 'firefox',
        executablePath: BINARIES.firefox,
        headless: true,
        extraPrefsFirefox: {
          // No update checks, telemetry or remote settings: the run makes no outbound request.
          'app.update.enabled': false,
          'datareporting.policy.dataSubmissionEnabled': false,
          'toolkit.telemetry.enabled': false,
        },
      },
      ({ browser }) => browser.defaultBrowserContext(),
      ({ context }) => context.newPage(),
      puppeteer,
      1,
    );
    return { concurrency: 1, browsers: [launcher] };
  }
  if (engine === 'webkit') {
    const { webdriverLauncher } = await import('@web/test-runner-webdriver');
    if (!existsSync(MINIBROWSER)) throw new Error(`WebKit MiniBrowser not found at ${MINIBROWSER} (Debian package webkit2gtk-driver)`);
    const display = await startXvfb();
    const port = await startWebKitDriver(display);
    return {
      concurrency: 1,
      browsers: [webdriverLauncher({
        hostname: '127.0.0.1',
        port,
        logLevel: 'error',
        capabilities: {
          browserName: 'MiniBrowser',
          // The driver rejects webdriverio 9's default `webSocketUrl: true` (BiDi).
          'wdio:enforceWebDriverClassic': true,
          'webkitgtk:browserOptions': { binary: MINIBROWSER, args: ['--automation'] },
        },
      })],
    };
  }
  throw new Error(`BOOKBAG_ENGINE=${engine}: expected one of ${ENGINES.join(', ')}`);
}

/** WebDriver key codes (WebDriver spec, "keyboard actions") for the keys a chord may use. */
const WEBDRIVER_KEYS = { Shift: '\uE008', Control: '\uE009', Alt: '\uE00A', Meta: '\uE03D', Enter: '\uE007', Tab: '\uE004', Escape: '\uE00C' };

/** WebDriver key actions that press and release each character of `text` in turn. */
export function typingActions(text) {
  return [...text].flatMap((c) => [{ type: 'keyDown', value: c }, { type: 'keyUp', value: c }]);
}

/**
 * Keyboard server commands that behave the same in every launcher, as trusted input:
 * - `press-chord` presses `key` while holding `modifiers` (Shift+Enter): @web/test-runner-commands'
 *   `sendKeys` down/up exists only for puppeteer and Playwright.
 * - `type-text` types `text`: `sendKeys({ type })` on the WebDriver launcher goes through
 *   webdriverio's `keys()`, which holds every key down before releasing any, so a doubled
 *   letter is lost ("hello" arrives as "helo").
 */
export function keyboardPlugin() {
  return {
    name: 'bookbag-keyboard',
    async executeCommand({ command, payload, session }) {
      if (command !== 'press-chord' && command !== 'type-text') return undefined;
      const { type } = session.browser;
      if (type === 'puppeteer') {
        const { keyboard } = session.browser.getPage(session.id);
        if (command === 'type-text') {
          await keyboard.type(payload.text);
          return true;
        }
        for (const m of payload.modifiers) await keyboard.down(m);
        await keyboard.press(payload.key);
        for (const m of [...payload.modifiers].reverse()) await keyboard.up(m);
        return true;
      }
      if (type === 'webdriver') {
        let actions;
        if (command === 'type-text') {
          actions = typingActions(payload.text);
        } else {
          const { key, modifiers } = payload;
          const code = (k) => WEBDRIVER_KEYS[k] ?? (k.length === 1 ? k : undefined);
          if ([key, ...modifiers].some((k) => !code(k))) throw new Error(`press-chord: no WebDriver code for ${[...modifiers, key].join('+')}`);
          actions = [
            ...modifiers.map((m) => ({ type: 'keyDown', value: code(m) })),
            { type: 'keyDown', value: code(key) }, { type: 'keyUp', value: code(key) },
            ...[...modifiers].reverse().map((m) => ({ type: 'keyUp', value: code(m) })),
          ];
        }
        await session.browser.driver.performActions([{ type: 'key', id: 'keyboard', actions }]);
        await session.browser.driver.releaseActions();
        return true;
      }
      throw new Error(`${command}: unsupported launcher type ${type}`);
    },
  };
}

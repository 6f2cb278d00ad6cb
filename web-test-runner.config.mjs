// Browser tests: real Chromium (Debian's), against a real local Bookbag v2 server that this
// config starts as a child process on a free port and stops when the run ends.
import { esbuildPlugin } from '@web/dev-server-esbuild';
import { chromeLauncher, defaultReporter } from '@web/test-runner';
import { summaryReporter } from './test/summary-reporter.mjs';
import { startLocalServer } from './test/local-server.mjs';
import net from 'node:net';

// @web/dev-server drops the host for 127.0.0.1 and listens on every interface; pin it.
const listen = net.Server.prototype.listen;
net.Server.prototype.listen = function (o, ...rest) {
  if (typeof o === 'number') return listen.call(this, o, '127.0.0.1', ...rest);
  if (o && typeof o === 'object' && o.host === undefined) o = { ...o, host: '127.0.0.1' };
  return listen.call(this, o, ...rest);
};

const server = await startLocalServer();

export default {
  files: ['test/**/*.test.ts', '!test/server/**', '!test/proxy/**', '!test/node/**', '!test/e2e/**'],
  nodeResolve: true,
  hostname: '127.0.0.1',
  concurrency: 2,
  testFramework: { config: { timeout: 10000 } },
  plugins: [esbuildPlugin({ ts: true, tsconfig: 'tsconfig.json', target: 'es2022' })],
  browsers: [
    chromeLauncher({
      launchOptions: {
        executablePath: process.env.CHROME_PATH ?? '/usr/bin/chromium',
        headless: true,
        args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
          '--disable-background-networking', '--disable-component-update', '--disable-sync',
          '--disable-dev-shm-usage'],
      },
    }),
  ],
  testRunnerHtml: (testFramework) => `<!doctype html><html><head><meta charset="utf-8"></head><body>
    <script>window.BOOKBAG_TEST = ${JSON.stringify({ origin: server.origin })};</script>
    <script type="module" src="${testFramework}"></script></body></html>`,
  filterBrowserLogs: ({ args }) => !String(args[0]).startsWith('Lit is in dev mode'),
  reporters: [defaultReporter(), summaryReporter()],
};

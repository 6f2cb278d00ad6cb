// Browser tests: real Chromium (Debian's), against a real local Bookbag v2 server that this
// config starts as a child process on a free port and stops when the run ends.
import { esbuildPlugin } from '@web/dev-server-esbuild';
import { chromeLauncher, defaultReporter } from '@web/test-runner';
import { summaryReporter } from './test/summary-reporter.mjs';
import { startLocalServer } from './test/local-server.mjs';
import net from 'node:net';
import { readFile } from 'node:fs/promises';
import { build, transform } from 'esbuild';

// @web/dev-server drops the host for 127.0.0.1 and listens on every interface; pin it.
const listen = net.Server.prototype.listen;
net.Server.prototype.listen = function (o, ...rest) {
  if (typeof o === 'number') return listen.call(this, o, '127.0.0.1', ...rest);
  if (o && typeof o === 'object' && o.host === undefined) o = { ...o, host: '127.0.0.1' };
  return listen.call(this, o, ...rest);
};

const server = await startLocalServer();

/**
 * Framework bundles for test/frameworks/: React is CommonJS only and Vue's and Svelte's bundler
 * builds expect a bundler, so each `test/frameworks/vendor/<name>.ts` is bundled with esbuild on
 * first request and served as `/__frameworks/<name>.js` (cached in memory). `.svelte` files and
 * `.svelte.ts` modules go through svelte/compiler, `.vue` files through vue/compiler-sfc (with
 * `isCustomElement` for <bookbag-chat>, unless imported as `….vue?no-custom-element`); the
 * compilers load only when a framework test asks for its bundle. A bundle must never contain the
 * widget: the tests import it from source, so one definition of `<bookbag-chat>` exists.
 */
function frameworksPlugin() {
  const names = ['react', 'vue', 'svelte'];
  const bundles = new Map();
  const svelte = {
    name: 'svelte',
    setup(b) {
      b.onLoad({ filter: /\.svelte$/ }, async ({ path }) => {
        const { compile } = await import('svelte/compiler');
        const { js, warnings } = compile(await readFile(path, 'utf8'), { generate: 'client', dev: true, filename: path });
        return { contents: js.code, loader: 'js', errors: warnings.map((w) => ({ text: `${w.code}: ${w.message}` })) };
      });
      b.onLoad({ filter: /\.svelte\.ts$/ }, async ({ path }) => {
        const { compileModule } = await import('svelte/compiler');
        const ts = await transform(await readFile(path, 'utf8'), { loader: 'ts', target: 'es2022', tsconfigRaw: { compilerOptions: { useDefineForClassFields: true } } });
        const { js, warnings } = compileModule(ts.code, { generate: 'client', dev: true, filename: path });
        return { contents: js.code, loader: 'js', errors: warnings.map((w) => ({ text: `${w.code}: ${w.message}` })) };
      });
    },
  };
  const vue = {
    name: 'vue',
    setup(b) {
      b.onLoad({ filter: /\.vue$/ }, async ({ path, suffix }) => {
        const { compileScript, parse } = await import('vue/compiler-sfc');
        const isCustomElement = suffix === '?no-custom-element' ? undefined : (tag) => tag === 'bookbag-chat';
        // A distinct filename per variant: compiler-sfc caches parsed descriptors by source and options.
        const filename = path + suffix;
        const { descriptor, errors } = parse(await readFile(path, 'utf8'), { filename, templateParseOptions: { isCustomElement } });
        if (errors.length) throw errors[0];
        const script = compileScript(descriptor, { id: filename, inlineTemplate: true, templateOptions: { compilerOptions: { isCustomElement } } });
        return { contents: script.content, loader: 'js' };
      });
    },
  };
  const bundle = async (name) => {
    const result = await build({
      entryPoints: [`test/frameworks/vendor/${name}.ts`],
      bundle: true,
      format: 'esm',
      platform: 'browser',
      target: 'es2022',
      write: false,
      metafile: true,
      logLevel: 'silent',
      conditions: ['development'],
      // Development builds: React and Vue report misuse (unknown props, bad listeners) on the console.
      define: {
        'process.env.NODE_ENV': '"development"',
        __VUE_OPTIONS_API__: 'true',
        __VUE_PROD_DEVTOOLS__: 'false',
        __VUE_PROD_HYDRATION_MISMATCH_DETAILS__: 'false',
      },
      plugins: { svelte: [svelte], vue: [vue] }[name] ?? [],
    });
    const widget = Object.keys(result.metafile.inputs).filter((input) => input.startsWith('src/'));
    if (widget.length) throw new Error(`/__frameworks/${name}.js must not bundle the widget: ${widget.join(', ')}`);
    return result.outputFiles[0].text;
  };
  return {
    name: 'bookbag-frameworks',
    resolveImport({ source, context }) {
      const m = /^\.\/vendor\/(\w+)\.js$/.exec(source);
      if (m && names.includes(m[1]) && context.path.startsWith('/test/frameworks/')) return `/__frameworks/${m[1]}.js`;
    },
    async serve(context) {
      const m = /^\/__frameworks\/(\w+)\.js$/.exec(context.path);
      if (!m || !names.includes(m[1])) return;
      if (!bundles.has(m[1])) bundles.set(m[1], bundle(m[1]).catch((err) => { bundles.delete(m[1]); throw err; }));
      return { body: await bundles.get(m[1]), type: 'js' };
    },
  };
}

export default {
  files: ['test/**/*.test.ts', '!test/server/**', '!test/proxy/**', '!test/node/**', '!test/protocol/**', '!test/core/**', '!test/e2e/**'],
  nodeResolve: true,
  hostname: '127.0.0.1',
  concurrency: 2,
  testFramework: { config: { timeout: 10000 } },
  plugins: [frameworksPlugin(), esbuildPlugin({ ts: true, tsconfig: 'tsconfig.json', target: 'es2022' })],
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

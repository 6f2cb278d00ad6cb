// The npm package as a consumer gets it. Runs after the build (the `pack` step of npm test;
// `node test/run.mjs pack` on an existing build):
// `npm pack` → install the tarball in a scratch project → import it in Node, bundle small
// consumers with Vite and load them in Chromium, and type-check TypeScript consumers.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { extname, join, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AddressInfo } from 'node:net';
import { build } from 'vite';
import { chromium, type Browser } from 'playwright-core';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const PKG = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
  name: string; version: string; dependencies: Record<string, string>;
  exports: Record<string, string | Record<string, string>>; sideEffects: string[]; types: string; main: string; module: string; customElements: string;
};
const TSC = join(ROOT, 'node_modules/typescript/bin/tsc');

let scratch = '';   // os.tmpdir()/bookbag-pack-…: the tarball and the consumer project
let app = '';       // the consumer project, with bookbag-chat installed in node_modules
let packed: string[] = [];
let browser: Browser | undefined;
let server: Server | undefined;
let origin = '';

function sh(cmd: string, args: string[], cwd: string) {
  const r = spawnSync(cmd, args, { cwd, encoding: 'utf8', env: { ...process.env, npm_config_update_notifier: 'false' } });
  return { code: r.status ?? 1, stdout: r.stdout ?? '', out: `${r.stdout ?? ''}${r.stderr ?? ''}` };
}

before(async () => {
  assert.ok(existsSync(join(ROOT, 'dist/bookbag-chat.js')) && existsSync(join(ROOT, 'dist/lib/index.js')), 'run npm run build first');
  scratch = mkdtempSync(join(tmpdir(), 'bookbag-pack-'));
  // --ignore-scripts: pack the build under test (prepack would rebuild it).
  const pack = sh('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', scratch], ROOT);
  assert.equal(pack.code, 0, `npm pack failed:\n${pack.out}`);
  const info = JSON.parse(pack.stdout) as { filename: string; files: { path: string }[] }[];
  packed = info[0].files.map((f) => f.path);
  const tarball = join(scratch, info[0].filename);

  app = join(scratch, 'app');
  mkdirSync(app);
  writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'bookbag-consumer', private: true, type: 'module' }));
  // lit, eventsource-parser and marked come from the npm cache `npm ci` filled.
  const install = sh('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', '--no-package-lock', tarball], app);
  if (install.code !== 0) {
    // Offline and not in the cache: unpack the tarball by hand and link the repo's copies of
    // the runtime dependencies (and what they depend on).
    console.log(`npm install of the tarball failed; linking the repo's dependencies instead:\n${install.out}`);
    const modules = join(app, 'node_modules');
    mkdirSync(join(modules, PKG.name), { recursive: true });
    assert.equal(sh('tar', ['-xzf', tarball, '-C', join(modules, PKG.name), '--strip-components=1'], app).code, 0);
    const deps = ['lit', 'lit-html', 'lit-element', '@lit/reactive-element', '@lit-labs/ssr-dom-shim', '@types/trusted-types', ...Object.keys(PKG.dependencies)];
    for (const dep of new Set(deps)) {
      const from = join(ROOT, 'node_modules', dep);
      if (!existsSync(from)) continue;
      mkdirSync(join(modules, dep, '..'), { recursive: true });
      symlinkSync(from, join(modules, dep), 'dir');
    }
  }
  assert.ok(existsSync(join(app, 'node_modules', PKG.name, 'package.json')), 'bookbag-chat is installed in the scratch project');

  server = createServer((req, res) => {
    const path = normalize(decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname)).replace(/^(\.\.[/\\])+/, '');
    const file = join(scratch, path.endsWith('/') ? `${path}index.html` : path);
    if (!file.startsWith(scratch) || !existsSync(file)) { res.writeHead(404).end(); return; }
    const type = { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css' }[extname(file)] ?? 'application/octet-stream';
    res.writeHead(200, { 'content-type': `${type}; charset=utf-8` }).end(readFileSync(file));
  });
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

after(async () => {
  await browser?.close();
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  if (scratch) rmSync(scratch, { recursive: true, force: true });
});

test('the tarball holds the bundle, the library with types and the manifest; no tests, demo or sources', () => {
  for (const file of ['package.json', 'README.md', 'LICENSE', 'custom-elements.json', 'dist/bookbag-chat.js',
    'dist/lib/index.js', 'dist/lib/index.d.ts', 'dist/lib/define.js', 'dist/lib/define.d.ts', 'dist/lib/events.d.ts',
    'dist/lib/bookbag-chat.d.ts', 'dist/lib/proxy/index.js', 'dist/lib/proxy/index.d.ts']) {
    assert.ok(packed.includes(file), `${file} is in the tarball`);
  }
  const libJs = packed.filter((f) => f.startsWith('dist/lib/') && f.endsWith('.js'));
  assert.ok(libJs.length > 10, 'dist/lib has the emitted modules');
  for (const js of libJs) assert.ok(packed.includes(js.replace(/\.js$/, '.d.ts')), `${js} has a .d.ts`);
  const stray = packed.filter((f) => /^(test|demo|src|bench|node_modules)\//.test(f) || /^tsconfig|vite\.config|\.test\.|web-test-runner/.test(f));
  assert.deepEqual(stray, [], 'nothing but the package itself is published');
  // Every export, `types` and `main`/`module` points at a file that is in the tarball.
  const targets = [PKG.main, PKG.module, PKG.types, PKG.customElements,
    ...Object.values(PKG.exports).flatMap((t) => (typeof t === 'string' ? [t] : Object.values(t)))];
  for (const t of targets) assert.ok(packed.includes(t.replace(/^\.\//, '')), `${t} (from package.json) is in the tarball`);
  assert.deepEqual([...PKG.sideEffects].sort(), ['./dist/bookbag-chat.js', './dist/lib/define.js'], 'sideEffects lists exactly the files that register the tag');
});

test('dist/lib is browser-ready ESM: relative imports name existing .js files, bare ones only runtime dependencies', () => {
  const lib = join(app, 'node_modules', PKG.name, 'dist', 'lib');
  const files = packed.filter((f) => f.startsWith('dist/lib/') && f.endsWith('.js'));
  const bare = new Set<string>();
  for (const f of files) {
    const path = join(app, 'node_modules', PKG.name, f);
    const text = readFileSync(path, 'utf8');
    const specs = [...text.matchAll(/^(?:import|export)\s[^;'"]*?\bfrom\s*['"]([^'"]+)['"]|^import\s*['"]([^'"]+)['"]|\bimport\(\s*['"]([^'"]+)['"]\s*\)/gm)]
      .map((m) => m[1] ?? m[2] ?? m[3]);
    for (const spec of specs) {
      if (spec.startsWith('.')) {
        assert.match(spec, /\.js$/, `${f}: import "${spec}" names its .js file`);
        assert.ok(existsSync(join(path, '..', spec)), `${f}: "${spec}" exists`);
      } else {
        bare.add(spec);
      }
    }
  }
  assert.ok(existsSync(join(lib, 'index.js')));
  const allowed = Object.keys(PKG.dependencies);
  const unexpected = [...bare].filter((s) => !allowed.some((d) => s === d || s.startsWith(`${d}/`)));
  assert.deepEqual(unexpected, [], 'bare imports other than the runtime dependencies');
  assert.ok(bare.has('lit'), 'Lit stays an import (not bundled) so a consumer has one copy');
});

test('in Node, `bookbag-chat` is side-effect-free and `bookbag-chat/proxy` imports', () => {
  const script = `
    import { createRequire } from 'node:module';
    const entry = await import('bookbag-chat');
    const proxy = await import('bookbag-chat/proxy');
    const require = createRequire(import.meta.url);
    const manifest = require(require.resolve('bookbag-chat/custom-elements.json'));
    console.log(JSON.stringify({
      resolved: import.meta.resolve('bookbag-chat'),
      BookbagChat: typeof entry.BookbagChat, ChatController: typeof entry.ChatController, ApiClient: typeof entry.ApiClient,
      createBookbagProxy: typeof proxy.createBookbagProxy,
      window: typeof globalThis.window, document: typeof globalThis.document, localStorage: typeof globalThis.localStorage,
      registered: globalThis.customElements?.get?.('bookbag-chat') !== undefined,
      manifestTag: manifest.modules.flatMap((m) => m.declarations ?? []).find((d) => d.customElement)?.tagName,
    }));`;
  const r = sh(process.execPath, ['--input-type=module', '-e', script], app);
  assert.equal(r.code, 0, r.out);
  const got = JSON.parse(r.stdout.trim().split('\n').pop()!);
  assert.ok(got.resolved.startsWith(`file://${join(app, 'node_modules', 'bookbag-chat', 'dist', 'lib')}`), `resolved from the installed package: ${got.resolved}`);
  assert.deepEqual({ ...got, resolved: undefined }, {
    resolved: undefined, BookbagChat: 'function', ChatController: 'function', ApiClient: 'function', createBookbagProxy: 'function',
    window: 'undefined', document: 'undefined', localStorage: 'undefined', registered: false, manifestTag: 'bookbag-chat',
  });
});

/** Bundles `main` (plus an index.html with a <bookbag-chat>) with the repo's Vite; returns the output's URL path and JS. */
async function bundle(name: string, main: string): Promise<{ url: string; js: string }> {
  const root = join(app, name);
  mkdirSync(root, { recursive: true });
  writeFileSync(join(root, 'index.html'), `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${name}</title>
<script type="module" src="./main.js"></script></head>
<body><bookbag-chat agent-id="123" mode="inline" storage="none" api-base="${origin}/no-api"></bookbag-chat></body></html>`);
  writeFileSync(join(root, 'main.js'), main);
  await build({ root, base: './', configFile: false, logLevel: 'silent', build: { outDir: 'out', emptyOutDir: true, target: 'es2022' } });
  const assets = join(root, 'out', 'assets');
  const js = readdirSync(assets).filter((f) => f.endsWith('.js')).map((f) => readFileSync(join(assets, f), 'utf8')).join('\n');
  return { url: `${origin}/app/${name}/out/index.html`, js };
}

/** Loads a page in Chromium and reports what the element did. */
async function load(url: string) {
  browser ??= await chromium.launch({
    executablePath: process.env.CHROME_PATH ?? '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'],
  });
  const page = await browser.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  try {
    await page.goto(url);
    await page.waitForFunction(() => !!document.querySelector('bookbag-chat')?.shadowRoot?.querySelector('[part~="panel"]'), null, { timeout: 10_000 });
    const state = await page.evaluate(() => {
      const el = document.querySelector('bookbag-chat') as HTMLElement & { send?: unknown };
      const g = globalThis as { litHtmlVersions?: string[] };
      return {
        defined: customElements.get('bookbag-chat') !== undefined,
        upgraded: el instanceof customElements.get('bookbag-chat')!,
        hasSend: typeof el.send === 'function',
        parts: [...el.shadowRoot!.querySelectorAll('[part]')].map((n) => n.getAttribute('part')),
        litCopies: g.litHtmlVersions?.length ?? 0,
        consumer: document.body.dataset.consumer,
      };
    });
    return { ...state, errors };
  } finally {
    await page.close();
  }
}

test("a Vite-bundled consumer of 'bookbag-chat/define' registers and renders the element, sharing its Lit", async () => {
  const { url, js } = await bundle('consumer-define', `
    import 'bookbag-chat/define';
    import { LitElement, html } from 'lit';
    // The consumer's own Lit element: with bare \`lit\` imports there is one Lit in the bundle.
    customElements.define('consumer-card', class extends LitElement { render() { return html\`<p>card</p>\`; } });
    document.body.dataset.consumer = 'define';
  `);
  assert.ok(js.includes('bookbag-chat'), 'the element is in the bundle (sideEffects keeps define.js)');
  const got = await load(url);
  assert.deepEqual(got.errors, []);
  assert.equal(got.consumer, 'define');
  assert.ok(got.defined && got.upgraded && got.hasSend, 'customElements.get("bookbag-chat") is the upgraded element');
  for (const part of ['panel', 'header', 'messages', 'composer', 'input', 'send-button']) assert.ok(got.parts.includes(part), `renders part ${part}`);
  assert.equal(got.litCopies, 1, 'the consumer and the widget share one copy of Lit');
});

test("a Vite-bundled consumer of 'bookbag-chat/bundle' registers and renders the element", async () => {
  const { url } = await bundle('consumer-bundle', `
    import 'bookbag-chat/bundle';
    document.body.dataset.consumer = 'bundle';
  `);
  const got = await load(url);
  assert.deepEqual(got.errors, []);
  assert.equal(got.consumer, 'bundle');
  assert.ok(got.defined && got.upgraded && got.hasSend, 'customElements.get("bookbag-chat") is the upgraded element');
  assert.ok(got.parts.includes('panel') && got.parts.includes('composer'), 'the element rendered its shadow root');
});

test("importing only 'bookbag-chat' (side-effect-free) bundles to nothing that registers the tag", async () => {
  const { js } = await bundle('consumer-entry', `
    import 'bookbag-chat';
    document.body.dataset.consumer = 'entry';
  `);
  assert.ok(!js.includes('customElements.define') && !js.includes('bookbag-chat'), 'the side-effect-free entry is tree-shaken away');
  assert.ok(js.length < 2000, `tiny output (${js.length} B)`);
});

// ---- types --------------------------------------------------------------------------------------

const GOOD = `
import { BookbagChat, type Message, type TextPart, type BookbagEvent, type ToolEntry } from 'bookbag-chat';
import 'bookbag-chat/define';
import { createBookbagProxy, type BookbagProxyHandler } from 'bookbag-chat/proxy';

const el = document.createElement('bookbag-chat');
const chat: BookbagChat = el;
chat.agentId = '123';
chat.mode = 'inline';
el.addEventListener('bookbag-message', (e) => {
  const message: Message = e.detail.message;
  const text: string[] = message.parts.filter((p): p is TextPart => p.type === 'text').map((p) => p.text);
  console.log(message.id, message.role, text);
});
el.addEventListener('bookbag-error', (e) => {
  const code: string = e.detail.code;
  const status: number | undefined = e.detail.status;
  const retryable: boolean = e.detail.retryable;
  console.log(code, status, retryable);
});
el.addEventListener('bookbag-tool-call', (e) => {
  if (e.detail.toolName === 'mine') e.preventDefault();
  void el.submitToolResult(e.detail.toolCallId, { ok: true });
});
el.addEventListener('bookbag-send', (e: BookbagEvent<'bookbag-send'>) => console.log(e.detail.text.length));
document.addEventListener('bookbag-conversation', (e) => console.log(e.detail.conversationId?.length));
const tools: Record<string, ToolEntry> = { add: async (input: { a: number; b: number }, ctx) => (ctx.signal.aborted ? null : input.a + input.b) };
el.tools = tools;
const done: Promise<void> = el.send('hi');
void done;
const handler: BookbagProxyHandler = createBookbagProxy({ apiKey: 'k', agentId: '1', secret: 'a-long-enough-secret-for-cookies' });
void handler;
BookbagChat.define('my-chat');
`;

const GOOD_BUNDLE = `
import 'bookbag-chat/bundle';
const el = document.createElement('bookbag-chat');
el.addEventListener('bookbag-feedback', (e) => console.log(e.detail.messageId, e.detail.feedback));
const status: 'idle' | 'submitted' | 'streaming' | 'awaiting-tool' | 'error' = el.status;
void status;
`;

// Two deliberate mistakes: a misspelt detail field, and a field of another event.
const BAD = `
import 'bookbag-chat/define';
const el = document.createElement('bookbag-chat');
el.addEventListener('bookbag-message', (e) => console.log(e.detail.mesage));
el.addEventListener('bookbag-send', (e) => console.log(e.detail.retryable));
`;

function typecheck(dir: string, resolution: 'bundler' | 'nodenext', files: Record<string, string>) {
  const root = join(app, dir);
  mkdirSync(root, { recursive: true });
  for (const [name, text] of Object.entries(files)) writeFileSync(join(root, name), text);
  writeFileSync(join(root, 'tsconfig.json'), JSON.stringify({
    compilerOptions: {
      target: 'ES2022', module: resolution === 'bundler' ? 'ESNext' : 'NodeNext', moduleResolution: resolution,
      lib: ['ES2022', 'DOM', 'DOM.Iterable'], strict: true, noEmit: true, skipLibCheck: false, types: [],
    },
    files: Object.keys(files),
  }));
  return sh(process.execPath, [TSC, '-p', join(root, 'tsconfig.json'), '--pretty', 'false'], root);
}

for (const resolution of ['bundler', 'nodenext'] as const) {
  test(`types (moduleResolution ${resolution}): a consumer using typed events and createElement type-checks`, () => {
    const r = typecheck(`types-good-${resolution}`, resolution, { 'good.ts': GOOD, 'good-bundle.ts': GOOD_BUNDLE });
    assert.equal(r.code, 0, `tsc reported errors:\n${r.out}`);
  });

  test(`types (moduleResolution ${resolution}): a wrong event detail field fails type-checking`, () => {
    const r = typecheck(`types-bad-${resolution}`, resolution, { 'bad.ts': BAD });
    assert.notEqual(r.code, 0, 'tsc accepted a misspelt detail field');
    const errors = r.out.split('\n').filter((l) => /error TS\d+/.test(l));
    assert.equal(errors.length, 2, `exactly the two deliberate errors:\n${r.out}`);
    assert.match(errors[0], /bad\.ts\(4,.*'mesage'/);
    assert.match(errors[1], /bad\.ts\(5,.*'retryable'/);
  });
}

#!/usr/bin/env node
// `npm test`: every check in order, with timings, ending in one plain line
// `test: N passed, N failed` that sums every runner. A step that fails without counting
// tests (typecheck, build, size) adds one failure. Exits non-zero when anything failed.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { gzipSync } from 'node:zlib';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { BINARIES, DEFAULT_BINARIES, ENGINES, PACKAGES } from './engines.mjs';

const SIZE_LIMIT = Number(process.env.SIZE_LIMIT_GZ ?? 45000);
const SIZE_GOAL = 36000;
/**
 * The lazily loaded markdown chunk (marked's lexer and the renderer): kept from growing unnoticed.
 * 20,000 since link-display.ts moved here from the bundle (about 720 B each way).
 */
const MARKDOWN_CHUNK_LIMIT = 20000;
// TypeScript 7 by path: `node_modules/.bin/tsc` may be the TypeScript 5 that the lint tools need
// (npm alias `typescript-5`, see tools/typescript-5.mjs), since both packages name their bin `tsc`.
const TSC = 'node_modules/typescript/bin/tsc';
process.env.PUPPETEER_SKIP_DOWNLOAD = '1';
process.env.PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD = '1';
process.env.PATH = `${join(process.cwd(), 'node_modules/.bin')}:${process.env.PATH}`;

const totals = { passed: 0, failed: 0 };
const timings = [];
let firstFailure = '';

/** Runs a command, echoing its output, and returns { code, output }. */
function run(cmd, args, env = {}) {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...env } });
    let output = '';
    const echo = (stream) => (chunk) => { output += chunk; stream.write(chunk); };
    child.stdout.on('data', echo(process.stdout));
    child.stderr.on('data', echo(process.stderr));
    child.on('close', (code) => resolve({ code: code ?? 1, output }));
  });
}

/** One step: `body` returns { ok, passed?, failed? }. */
async function step(name, body) {
  console.log(`\n::: ${name}`);
  const t0 = performance.now();
  let result;
  try { result = await body(); } catch (err) { console.error(err); result = { ok: false }; }
  const secs = ((performance.now() - t0) / 1000).toFixed(1);
  const counted = result.passed !== undefined;
  if (counted) { totals.passed += result.passed; totals.failed += result.failed; }
  if (!result.ok) {
    if (!counted || result.failed === 0) totals.failed++;
    firstFailure ||= name;
  }
  timings.push(`${name.padEnd(12)} ${secs.padStart(6)}s  ${result.ok ? 'ok' : 'FAILED'}`);
  return result.ok;
}

function lastCounts(output, label) {
  const re = new RegExp(`^${label}: (\\d+) passed, (\\d+) failed`, 'gm');
  let m, last;
  while ((m = re.exec(output))) last = m;
  return last ? { passed: Number(last[1]), failed: Number(last[2]) } : undefined;
}

function findTests(dir, suffix) {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? findTests(path, suffix) : path.endsWith(suffix) ? [path] : [];
  }).sort();
}

/**
 * The browsers come from Debian: any engine whose binary is missing gets its packages
 * (test/engines.mjs PACKAGES) installed with apt-get, all in one go. A custom path set through
 * CHROME_PATH / FIREFOX_PATH / WEBKIT_DRIVER_PATH must exist.
 */
async function ensureBrowsers() {
  const missing = ENGINES.filter((e) => !existsSync(BINARIES[e]));
  if (!missing.length) return { ok: true };
  const custom = missing.filter((e) => BINARIES[e] !== DEFAULT_BINARIES[e]);
  if (custom.length) {
    for (const e of custom) console.error(`${e}: ${BINARIES[e]} does not exist.`);
    return { ok: false };
  }
  const packages = [...new Set(missing.flatMap((e) => PACKAGES[e]))];
  const isRoot = process.getuid?.() === 0;
  if (!isRoot || spawnSync('sh', ['-c', 'command -v apt-get']).status !== 0) {
    console.error(`Missing browsers (${missing.join(', ')}). Install Debian's packages (sudo apt-get install ${packages.join(' ')}) or set CHROME_PATH / FIREFOX_PATH / WEBKIT_DRIVER_PATH.`);
    return { ok: false };
  }
  console.log(`installing Debian ${packages.join(' ')} with apt-get …`);
  const env = { DEBIAN_FRONTEND: 'noninteractive' };
  const upd = await run('apt-get', ['update', '-qq'], env);
  const inst = upd.code === 0 ? await run('apt-get', ['install', '-y', '-qq', '--no-install-recommends', ...packages], env) : upd;
  return { ok: inst.code === 0 && missing.every((e) => existsSync(BINARIES[e])) };
}

const onlyArg = process.argv.slice(2);
const want = (name) => onlyArg.length === 0 || onlyArg.includes(name);

if (want('browsers')) await step('browsers', ensureBrowsers);
if (want('typecheck')) await step('typecheck', async () => {
  const a = await run(process.execPath, [TSC, '-p', '.']);
  const b = await run(process.execPath, [TSC, '-p', 'tsconfig.node.json']);
  return { ok: a.code === 0 && b.code === 0 };
});
// Quality gates, each at zero findings. Both tools are built on TypeScript's JavaScript API,
// so they run through tools/typescript-5.mjs (TypeScript 5.9 for them, 7 for the type check).
const TS5 = ['--import', './tools/typescript-5.mjs'];
if (want('lint')) await step('lint', async () => {
  const { code } = await run(process.execPath, [...TS5, 'node_modules/eslint/bin/eslint.js', '--max-warnings', '0', '.']);
  return { ok: code === 0 };
});
if (want('lit-analyzer')) await step('lit-analyzer', async () => {
  const { code, output } = await run(process.execPath, [...TS5, 'node_modules/@jackolope/lit-analyzer/cli.mjs', 'src/**/*.ts', '--strict', '--maxWarnings', '0']);
  return { ok: code === 0 && /Found 0 problems/.test(output) };
});
if (want('node')) await step('node', async () => {
  // Node-side suites: the local Bookbag server, the proxy, the contract and the framework-free core.
  const files = ['test/server', 'test/proxy', 'test/node', 'test/protocol', 'test/core'].flatMap((dir) => findTests(dir, '.test.ts'));
  const { code, output } = await run(process.execPath, ['--import', 'tsx', '--test', '--test-reporter=spec', ...files]);
  const pass = /^ℹ pass (\d+)/m.exec(output), fail = /^ℹ fail (\d+)/m.exec(output);
  const counts = pass && fail ? { passed: Number(pass[1]), failed: Number(fail[1]) } : { passed: 0, failed: 1 };
  return { ok: code === 0, ...counts };
});
// The browser suite once per engine (`BOOKBAG_ENGINES=chromium,webkit` picks some), one after
// another: they share two cores, and Firefox and WebKit run one test file at a time.
const engines = (process.env.BOOKBAG_ENGINES ?? ENGINES.join(',')).split(',').filter(Boolean);
const perEngine = [];
for (const engine of engines) {
  if (!want('browser') && !want(engine)) continue;
  await step(`browser:${engine}`, async () => {
    const { code, output } = await run('wtr', [], { BOOKBAG_ENGINE: engine });
    const m = /^wtr: (\d+) passed, (\d+) failed, (\d+) skipped/m.exec(output);
    perEngine.push(`${engine.padEnd(9)} ${m ? `${m[1]} passed, ${m[2]} failed, ${m[3]} skipped` : 'no summary (wtr did not finish)'}`);
    return { ok: code === 0, ...(lastCounts(output, 'wtr') ?? { passed: 0, failed: 1 }) };
  });
}
let built = false;
// `npm run build`: the self-contained bundle (vite), then the library build with types (tsc).
if (want('build')) built = await step('build', async () => {
  if ((await run('vite', ['build', '--logLevel', 'warn'])).code !== 0) return { ok: false };
  return { ok: (await run(process.execPath, [TSC, '-p', 'tsconfig.build.json'])).code === 0 };
});
if (want('size') && built) await step('size', async () => {
  // The budget is defined in `gzip -9` bytes; Node's zlib (a few % larger) is the fallback.
  const gzip = (file) => {
    const cli = spawnSync('gzip', ['-9c', file]);
    return cli.status === 0 ? cli.stdout.length : gzipSync(readFileSync(file), { level: 9 }).length;
  };
  const bytes = readFileSync('dist/bookbag-chat.js');
  const gz = gzip('dist/bookbag-chat.js');
  console.log(`bundle: ${bytes.length} B raw, ${gz} B gzip -9 (budget ${SIZE_LIMIT}, goal ${SIZE_GOAL})`);
  // The markdown renderer is a sibling chunk fetched when replies are about to be shown: what a
  // visitor who opens the chat downloads is the bundle plus this chunk, printed and capped too.
  const chunk = readdirSync('dist').find((f) => /^bookbag-chat-markdown-stream-.*\.js$/.test(f));
  const chunkGz = chunk ? gzip(`dist/${chunk}`) : 0;
  console.log(`markdown chunk: ${chunkGz} B gzip -9 (budget ${MARKDOWN_CHUNK_LIMIT}); bundle + chunk: ${gz + chunkGz} B`);
  return { ok: gz <= SIZE_LIMIT && !!chunk && chunkGz <= MARKDOWN_CHUNK_LIMIT };
});
// The npm package as a consumer gets it: pack, install in a scratch project, import, bundle,
// type-check. Runs on a fresh build, or alone (`node test/run.mjs pack`) on an existing one.
const haveDist = built || (!want('build') && existsSync('dist/lib/index.js') && existsSync('dist/bookbag-chat.js'));
if (want('pack') && haveDist) await step('pack', async () => {
  // `.pack.ts`, not `.test.ts`: web-test-runner's `test/**/*.test.ts` must not pick these up.
  const files = findTests('test/pack', '.pack.ts');
  const { code, output } = await run(process.execPath, ['--import', 'tsx', '--test', '--test-reporter=spec', '--test-concurrency=1', ...files]);
  const pass = /^ℹ pass (\d+)/m.exec(output), fail = /^ℹ fail (\d+)/m.exec(output);
  const counts = pass && fail ? { passed: Number(pass[1]), failed: Number(fail[1]) } : { passed: 0, failed: 1 };
  return { ok: code === 0, ...counts };
});
// The packed tarball as the registry would get it: publint (package.json fields, exports, files)
// and Are the Types Wrong (every entry's types resolve). ESM-only by design, so attw checks the
// ESM profile (node16 from ESM, bundler); CommonJS `require` of the package is not supported.
if (want('package-lint') && haveDist) await step('package-lint', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'bookbag-package-lint-'));
  try {
    const pack = await run('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', dir, '--loglevel=error']);
    if (pack.code !== 0) return { ok: false };
    const tarball = join(dir, JSON.parse(pack.output.slice(pack.output.indexOf('[')))[0].filename);
    const publint = await run(process.execPath, ['node_modules/publint/src/cli.js', 'run', tarball, '--strict']);
    const attw = await run(process.execPath, ['node_modules/@arethetypeswrong/cli/dist/index.js', tarball, '--profile', 'esm-only', '--format', 'table-flipped']);
    return { ok: publint.code === 0 && attw.code === 0 };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
if (want('e2e') && built) await step('e2e', async () => {
  const files = findTests('test/e2e', '.e2e.ts');
  let passed = 0, failed = 0, ok = true;
  for (const file of files) {
    const { code, output } = await run(process.execPath, ['--import', 'tsx', file]);
    const c = lastCounts(output, 'e2e') ?? { passed: 0, failed: 1 };
    passed += c.passed; failed += c.failed; ok &&= code === 0;
  }
  return { ok, passed, failed };
});

if (perEngine.length) {
  console.log('\n::: browser tests per engine');
  for (const line of perEngine) console.log(line);
}
console.log('\n::: timings');
for (const line of timings) console.log(line);
if (firstFailure) console.log(`first failing step: ${firstFailure}`);
console.log(`test: ${totals.passed} passed, ${totals.failed} failed`);
process.exit(firstFailure ? 1 : 0);

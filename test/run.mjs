#!/usr/bin/env node
// `npm test`: every check in order, with timings, ending in one plain line
// `test: N passed, N failed` that sums every runner. A step that fails without counting
// tests (typecheck, build, size) adds one failure. Exits non-zero when anything failed.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const SIZE_LIMIT = Number(process.env.SIZE_LIMIT_GZ ?? 45000);
const SIZE_GOAL = 36000;
const CHROME = (process.env.CHROME_PATH ??= '/usr/bin/chromium');
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

async function ensureChromium() {
  if (existsSync(CHROME)) return { ok: true };
  if (CHROME !== '/usr/bin/chromium') {
    console.error(`CHROME_PATH=${CHROME} does not exist.`);
    return { ok: false };
  }
  const isRoot = process.getuid?.() === 0;
  if (!isRoot || spawnSync('sh', ['-c', 'command -v apt-get']).status !== 0) {
    console.error('Chromium is missing. Install Debian\'s package (sudo apt-get install chromium) or set CHROME_PATH to a Chromium/Chrome binary.');
    return { ok: false };
  }
  console.log('installing Debian chromium with apt-get …');
  const env = { DEBIAN_FRONTEND: 'noninteractive' };
  const upd = await run('apt-get', ['update', '-qq'], env);
  const inst = upd.code === 0 ? await run('apt-get', ['install', '-y', '-qq', '--no-install-recommends', 'chromium'], env) : upd;
  return { ok: inst.code === 0 && existsSync(CHROME) };
}

const onlyArg = process.argv.slice(2);
const want = (name) => onlyArg.length === 0 || onlyArg.includes(name);

if (want('chromium')) await step('chromium', ensureChromium);
if (want('typecheck')) await step('typecheck', async () => {
  const a = await run('tsc', ['-p', '.']);
  const b = await run('tsc', ['-p', 'tsconfig.node.json']);
  return { ok: a.code === 0 && b.code === 0 };
});
if (want('node')) await step('node', async () => {
  // Node-side suites: the local Bookbag server, the proxy, the contract and the framework-free core.
  const files = ['test/server', 'test/proxy', 'test/node', 'test/protocol', 'test/core'].flatMap((dir) => findTests(dir, '.test.ts'));
  const { code, output } = await run(process.execPath, ['--import', 'tsx', '--test', '--test-reporter=spec', ...files]);
  const pass = /^ℹ pass (\d+)/m.exec(output), fail = /^ℹ fail (\d+)/m.exec(output);
  const counts = pass && fail ? { passed: Number(pass[1]), failed: Number(fail[1]) } : { passed: 0, failed: 1 };
  return { ok: code === 0, ...counts };
});
if (want('browser')) await step('browser', async () => {
  const { code, output } = await run('wtr', []);
  return { ok: code === 0, ...(lastCounts(output, 'wtr') ?? { passed: 0, failed: 1 }) };
});
let built = false;
// `npm run build`: the self-contained bundle (vite), then the library build with types (tsc).
if (want('build')) built = await step('build', async () => {
  if ((await run('vite', ['build', '--logLevel', 'warn'])).code !== 0) return { ok: false };
  return { ok: (await run('tsc', ['-p', 'tsconfig.build.json'])).code === 0 };
});
if (want('size') && built) await step('size', async () => {
  const bytes = readFileSync('dist/bookbag-chat.js');
  // The budget is defined in `gzip -9` bytes; Node's zlib (a few % larger) is the fallback.
  const cli = spawnSync('gzip', ['-9c', 'dist/bookbag-chat.js']);
  const gz = cli.status === 0 ? cli.stdout.length : gzipSync(bytes, { level: 9 }).length;
  console.log(`bundle: ${bytes.length} B raw, ${gz} B gzip -9 (budget ${SIZE_LIMIT}, goal ${SIZE_GOAL})`);
  return { ok: gz <= SIZE_LIMIT };
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

console.log('\n::: timings');
for (const line of timings) console.log(line);
if (firstFailure) console.log(`first failing step: ${firstFailure}`);
console.log(`test: ${totals.passed} passed, ${totals.failed} failed`);
process.exit(firstFailure ? 1 : 0);

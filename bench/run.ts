// `npm run bench [-- --quick] [--runs N] [--only ours,previous,deep,floor] [--scenarios load,burst,…]
//                [--full-size] [--bytes N] [--timeout SECONDS] [--previous GIT-REF]`
// Builds the bundle, then drives Chromium (Playwright + CDP) over <bookbag-chat>, the widget as
// built from an earlier commit (`previous`, bench/previous.ts), deep-chat and a bare floor page,
// all fed the same reply at the same pace by one local server. Prints a table and writes
// bench/results.json (raw runs, medians, min, max, machine).
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser } from 'playwright-core';
import { startBenchServer, type StreamSpec } from './server.ts';
import { history, load, memory, NotRendered, stream, Timeout, type Ctx, type HistorySeed, type Values } from './measure.ts';
import { pageHtml, type Impl } from './pages.ts';
import { DEFAULT_PREVIOUS, previousBuild, type PreviousBuild } from './previous.ts';

const root = fileURLToPath(new URL('..', import.meta.url));
const IMPLS: Impl[] = ['ours', 'previous', 'deep', 'floor'];
const NAMES: Record<Impl, string> = { ours: 'ours', previous: 'previous', deep: 'deep-chat', floor: 'floor' };
const SCENARIOS = ['load', 'burst', 'paced', 'history', 'memory'] as const;
type Scenario = (typeof SCENARIOS)[number];

// ---- options ----------------------------------------------------------------------------------

interface Options {
  quick: boolean; runs: number; only: Impl[]; scenarios: Scenario[]; fullSize: boolean; timeoutS: number; build: boolean; bytes: number;
  /** Git ref whose widget build is the `previous` implementation. */
  previous: string;
}

function parseArgs(argv: string[]): Options {
  const o: Options = { quick: false, runs: 0, only: IMPLS, scenarios: [...SCENARIOS], fullSize: false, timeoutS: 240, build: true, bytes: 0, previous: DEFAULT_PREVIOUS };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const list = () => (argv[++i] ?? '').split(',').map((s) => s.trim()).filter(Boolean);
    if (a === '--quick') o.quick = true;
    else if (a === '--runs') o.runs = Number(argv[++i]);
    else if (a === '--only') o.only = list().map((s) => (s === 'deep-chat' ? 'deep' : s)) as Impl[];
    else if (a === '--scenarios') o.scenarios = list() as Scenario[];
    else if (a === '--full-size') o.fullSize = true;
    else if (a === '--timeout') o.timeoutS = Number(argv[++i]);
    else if (a === '--no-build') o.build = false;
    else if (a === '--bytes') o.bytes = Number(argv[++i]);
    else if (a === '--previous') o.previous = argv[++i] ?? '';
    else if (a === '--help') {
      console.log('npm run bench -- [--quick] [--runs N] [--only ours,previous,deep,floor] [--scenarios load,burst,paced,history,memory] '
        + `[--full-size] [--bytes N] [--timeout S] [--no-build] [--previous GIT-REF (default ${DEFAULT_PREVIOUS})]`);
      process.exit(0);
    } else {
      console.error(`Unknown option ${a} (try --help)`);
      process.exit(2);
    }
  }
  if (!o.runs) o.runs = o.quick ? 1 : 3;
  if (o.only.some((x) => !IMPLS.includes(x)) || o.scenarios.some((x) => !SCENARIOS.includes(x)) || !(o.runs >= 1) || !o.previous) {
    console.error('Bad --only, --scenarios, --runs or --previous (try --help)');
    process.exit(2);
  }
  return o;
}

const opts = parseArgs(process.argv.slice(2));
const small = opts.quick && !opts.fullSize;
// `--bytes N`: a reply of N bytes in N/10 deltas (e.g. 1000000 for the 1 MB markdown check).
const SIZE = opts.bytes > 0 ? { length: opts.bytes, frames: Math.round(opts.bytes / 10) } : small ? { length: 10_000, frames: 1_000 } : { length: 50_000, frames: 5_000 };
const STREAMS: Record<string, StreamSpec> = {
  burst: { ...SIZE, mode: 'burst', frameMs: 0, batchMs: 0 },
  paced: { ...SIZE, mode: 'paced', frameMs: 1, batchMs: 16 },
};
const TURNS = opts.quick ? 50 : 100;
const CHECKPOINTS = opts.quick ? [10, 25, 50] : [10, 50, 100];
const HISTORY = 500;

// ---- bundle -----------------------------------------------------------------------------------

/** `gzip -9` bytes, as the CI size check counts them (Node's zlib differs by a few hundred). */
function gzip9(code: Buffer): number {
  try {
    return execFileSync('gzip', ['-9c'], { input: code, maxBuffer: 1 << 26 }).length;
  } catch {
    return gzipSync(code, { level: 9 }).length;
  }
}

function sizes(code: Buffer): Values {
  return {
    minBytes: code.length,
    gzipBytes: gzip9(code),
    brotliBytes: brotliCompressSync(code, { params: { [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_SIZE_HINT]: code.length } }).length,
  };
}

function floorScript(): Buffer {
  const html = pageHtml('floor', 'blank');
  return Buffer.from(/<script type="module">([\s\S]*)<\/script>/.exec(html)?.[1] ?? '');
}

// ---- stats ------------------------------------------------------------------------------------

interface Stat { median: number; min: number; max: number; n: number }
interface RunRecord { run: number; scenario: Scenario; impl: Impl; ok: boolean; timeout?: boolean; error?: string; seconds: number; values: Values }

function stat(xs: number[]): Stat | null {
  if (!xs.length) return null;
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  const median = s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
  const r = (v: number) => Math.round(v * 1000) / 1000;
  return { median: r(median), min: r(s[0]), max: r(s[s.length - 1]), n: s.length };
}

// ---- main -------------------------------------------------------------------------------------

if (opts.build) {
  console.log('building dist/bookbag-chat.js …');
  execFileSync('npx', ['vite', 'build', '--logLevel', 'warn'], { cwd: root, stdio: 'inherit' });
}
let previous: PreviousBuild | undefined;
if (opts.only.includes('previous')) {
  try {
    previous = previousBuild(root, opts.previous);
  } catch (error) {
    console.error(`previous: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  }
}
const builtFiles = (impl: 'ours' | 'previous'): Map<string, Buffer> => impl === 'previous'
  ? previous?.files ?? new Map()
  : new Map(readdirSync(root + 'dist').filter((n) => n.endsWith('.js')).map((n) => [n, readFileSync(root + 'dist/' + n)]));
/** The bundle, plus (in `withMarkdown*`) the markdown chunk a page loads before the first reply shows. */
function widgetSizes(impl: 'ours' | 'previous'): Values {
  const files = builtFiles(impl);
  const main = files.get('bookbag-chat.js');
  if (!main) return {};
  const chunk = [...files].find(([name]) => /^bookbag-chat-markdown/.test(name))?.[1];
  const s = sizes(main);
  return { ...s, withMarkdownGzipBytes: (s.gzipBytes ?? 0) + (chunk ? gzip9(chunk) : 0) };
}
const single = (code: Buffer): Values => {
  const s = sizes(code);
  return { ...s, withMarkdownGzipBytes: s.gzipBytes };
};
const bundle: Record<Impl, Values> = {
  ours: widgetSizes('ours'),
  previous: previous ? widgetSizes('previous') : {},
  deep: single(readFileSync(root + 'node_modules/deep-chat/dist/deepChat.bundle.js')),
  floor: single(floorScript()),
};

const server = await startBenchServer(STREAMS, previous?.files);
const LAUNCH = {
  executablePath: process.env.CHROME_PATH ?? '/usr/bin/chromium',
  headless: true,
  args: ['--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update',
    '--disable-sync', '--disable-dev-shm-usage', '--disable-renderer-backgrounding', '--disable-background-timer-throttling',
    '--disable-backgrounding-occluded-windows'],
};
let browser: Browser = await chromium.launch(LAUNCH);
const chromiumVersion = browser.version();

async function seedHistory(): Promise<HistorySeed> {
  const post = async (path: string, body: unknown) => {
    const res = await fetch(server.origin + path, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
    if (!res.ok) throw new Error(`${path}: ${res.status} ${await res.text()}`);
    return res.json() as Promise<Record<string, string>>;
  };
  const agent = await post('/__mock/agents', {});
  const conv = await post(`/__mock/agents/${agent.agentId}/conversations`, { generate: HISTORY });
  return { agentId: agent.agentId, apiKey: agent.agentKey, conversationId: conv.conversationId, last: `Message ${HISTORY}` };
}
const seed = opts.scenarios.includes('history') ? await seedHistory() : null;

const runs: RunRecord[] = [];
const started = Date.now();
console.log(`bench: ${opts.quick ? 'QUICK' : 'full'} · ${opts.runs} run(s) · reply ${SIZE.length} chars in ${SIZE.frames} frames · `
  + `${os.cpus().length} cores · Chromium ${chromiumVersion} · timeout ${opts.timeoutS} s`
  + (previous ? ` · previous = ${previous.ref} (${previous.commit.slice(0, 10)})` : ''));

// Warm-up: one discarded load of each page, so no implementation pays for a cold browser
// (first context, disk cache of the bundles) in its first measured run.
for (const impl of opts.only) await load({ browser, server, timeoutMs: 60_000 }, impl).catch(() => undefined);

for (let run = 1; run <= opts.runs; run++) {
  for (const scenario of opts.scenarios) {
    // Interleave: rotate the order each run so no implementation always goes first.
    const order = opts.only.map((_, i) => opts.only[(i + run - 1) % opts.only.length]);
    for (const impl of order) {
      const ctx: Ctx = { browser, server, timeoutMs: opts.timeoutS * 1000 };
      const t0 = Date.now();
      const rec: RunRecord = { run, scenario, impl, ok: false, seconds: 0, values: {} };
      try {
        if (scenario === 'load') rec.values = await load(ctx, impl);
        else if (scenario === 'burst' || scenario === 'paced') rec.values = await stream(ctx, impl, scenario);
        else if (scenario === 'history') rec.values = await history(ctx, impl, seed!);
        else rec.values = await memory(ctx, impl, TURNS, CHECKPOINTS);
        rec.ok = true;
      } catch (error) {
        if (error instanceof NotRendered) {
          // Not a slow run but a broken one: every later figure of this widget would be wrong.
          console.error(`\nbench ABORTED in run ${run} ${scenario} ${NAMES[impl]}: ${error.message}`);
          await browser.close().catch(() => undefined);
          await server.close();
          process.exit(1);
        }
        rec.timeout = error instanceof Timeout;
        rec.error = error instanceof Error ? error.message : String(error);
        if (rec.timeout) {
          // A renderer stuck in one long task can leave the browser unusable: start afresh.
          await Promise.race([browser.close(), new Promise((r) => setTimeout(r, 30_000))]);
          browser = await chromium.launch(LAUNCH);
        }
      }
      rec.seconds = Math.round((Date.now() - t0) / 100) / 10;
      runs.push(rec);
      const shown = Object.entries(rec.values).map(([k, v]) => `${k}=${v}`).join(' ');
      console.log(`  run ${run} ${scenario.padEnd(7)} ${NAMES[impl].padEnd(9)} ${rec.seconds.toFixed(1).padStart(6)} s  ${rec.ok ? shown : `FAILED: ${rec.error}`}`);
    }
  }
}
await browser.close();
await server.close();

// ---- summary ----------------------------------------------------------------------------------

interface Row { scenario: Scenario | 'bundle'; key: string; label: string }
const ROWS: Row[] = [
  { scenario: 'bundle', key: 'minBytes', label: 'bundle: minified bytes' },
  { scenario: 'bundle', key: 'gzipBytes', label: 'bundle: gzip -9 bytes' },
  { scenario: 'bundle', key: 'brotliBytes', label: 'bundle: brotli 11 bytes' },
  { scenario: 'bundle', key: 'withMarkdownGzipBytes', label: 'bundle + markdown chunk: gzip -9 bytes' },
  { scenario: 'load', key: 'definedMs', label: 'load: nav → element defined (ms)' },
  { scenario: 'load', key: 'firstPaintMs', label: 'load: nav → first paint (ms)' },
  { scenario: 'load', key: 'fcpMs', label: 'load: nav → first contentful paint (ms)' },
  { scenario: 'load', key: 'scriptMs', label: 'load: script evaluation (ms)' },
  { scenario: 'load', key: 'busyMs', label: 'load: main-thread busy (ms)' },
  ...(['burst', 'paced'] as const).flatMap((s): Row[] => [
    { scenario: s, key: 'busyMs', label: `${s}: main-thread busy (ms)` },
    { scenario: s, key: 'otherMs', label: `${s}: script & other (ms)` },
    { scenario: s, key: 'layoutMs', label: `${s}: layout (ms)` },
    { scenario: s, key: 'styleMs', label: `${s}: style recalc (ms)` },
    { scenario: s, key: 'longTasks', label: `${s}: long tasks (count)` },
    { scenario: s, key: 'longTaskMaxMs', label: `${s}: longest task (ms)` },
    { scenario: s, key: 'longTasksCpu', label: `${s}: tasks over 50 ms CPU time (count)` },
    { scenario: s, key: 'longTaskMaxCpuMs', label: `${s}: longest task, CPU time (ms)` },
    { scenario: s, key: 'lastFrameToPaintMs', label: `${s}: last frame → painted (ms)` },
    { scenario: s, key: 'heapMB', label: `${s}: JS heap after reply, GC'd (MB)` },
    { scenario: s, key: 'domHeapMB', label: `${s}: DOM (embedder) heap after reply (MB)` },
  ]),
  { scenario: 'history', key: 'scriptMs', label: `history ${HISTORY}: scripting (ms)` },
  { scenario: 'history', key: 'busyMs', label: `history ${HISTORY}: main-thread busy (ms)` },
  { scenario: 'history', key: 'toPaintMs', label: `history ${HISTORY}: open → painted (ms)` },
  { scenario: 'history', key: 'messages', label: `history ${HISTORY}: messages shown` },
  { scenario: 'memory', key: 'heap0MB', label: 'memory: JS heap before (MB)' },
  ...CHECKPOINTS.map((c): Row => ({ scenario: 'memory', key: `heap${c}MB`, label: `memory: JS heap after ${c} turns (MB)` })),
  { scenario: 'memory', key: 'growthKBPerTurn', label: `memory: JS heap growth ${CHECKPOINTS.at(-2)}→${CHECKPOINTS.at(-1)} (KB/turn)` },
  ...CHECKPOINTS.map((c): Row => ({ scenario: 'memory', key: `dom${c}MB`, label: `memory: DOM heap after ${c} turns (MB)` })),
  { scenario: 'memory', key: 'domGrowthKBPerTurn', label: `memory: DOM heap growth ${CHECKPOINTS.at(-2)}→${CHECKPOINTS.at(-1)} (KB/turn)` },
  { scenario: 'memory', key: 'msPerTurn', label: 'memory: wall time per turn (ms)' },
];

function valuesOf(scenario: Row['scenario'], impl: Impl, key: string): { byRun: Map<number, number>; timeouts: number } {
  const byRun = new Map<number, number>();
  let timeouts = 0;
  if (scenario === 'bundle') {
    const v = bundle[impl][key];
    if (typeof v === 'number') byRun.set(1, v);
    return { byRun, timeouts };
  }
  for (const r of runs) {
    if (r.scenario !== scenario || r.impl !== impl) continue;
    if (r.timeout) timeouts++;
    const v = r.values[key];
    if (r.ok && typeof v === 'number' && Number.isFinite(v)) byRun.set(r.run, v);
  }
  return { byRun, timeouts };
}

/** Ratios taken pair by pair (same run), then summarised. */
function ratio(a: Map<number, number>, b: Map<number, number>): Stat | null {
  const xs: number[] = [];
  for (const [run, v] of a) {
    const w = b.get(run);
    if (w !== undefined && w !== 0) xs.push(v / w);
  }
  return stat(xs);
}

type Cell = { stat: Stat | null; timeouts: number };
const summary: Record<string, Record<string, Cell | Stat | null>> = {};
const table: string[][] = [];
const fmt = (v: number) => (Math.abs(v) >= 100 ? v.toFixed(0) : Math.abs(v) >= 10 ? v.toFixed(1) : v.toFixed(2));
const cell = (c: Cell | null) => {
  if (!c) return '—';
  if (!c.stat) return c.timeouts ? `timeout >${opts.timeoutS} s` : 'n/a';
  const s = c.stat;
  const range = s.n > 1 && s.min !== s.max ? ` (${fmt(s.min)}–${fmt(s.max)})` : '';
  return `${fmt(s.median)}${range}${c.timeouts ? ` +${c.timeouts}×timeout` : ''}`;
};
const rcell = (s: Stat | null) => (s ? `${fmt(s.median)}×${s.n > 1 && s.min !== s.max ? ` (${fmt(s.min)}–${fmt(s.max)})` : ''}` : '—');

/** Columns: the implementations benched (in the usual order), then ours over each of the others. */
const SHOWN = IMPLS.filter((impl) => opts.only.includes(impl));
const AGAINST = opts.only.includes('ours') ? SHOWN.filter((impl) => impl !== 'ours') : [];
for (const row of ROWS) {
  if (row.scenario !== 'bundle' && !opts.scenarios.includes(row.scenario)) continue;
  const got = Object.fromEntries(SHOWN.map((impl) => [impl, valuesOf(row.scenario, impl, row.key)]));
  const cells = Object.fromEntries(SHOWN.map((impl) => [impl, { stat: stat([...got[impl].byRun.values()]), timeouts: got[impl].timeouts }])) as Record<Impl, Cell>;
  const ratios = Object.fromEntries(AGAINST.map((impl) => [impl, got.ours ? ratio(got.ours.byRun, got[impl].byRun) : null]));
  summary[`${row.scenario}.${row.key}`] = {
    ...cells,
    ...Object.fromEntries(AGAINST.map((impl) => [`oursOver${impl[0].toUpperCase()}${impl.slice(1)}`, ratios[impl]])),
  };
  table.push([row.label, ...SHOWN.map((impl) => cell(cells[impl])), ...AGAINST.map((impl) => rcell(ratios[impl]))]);
}

const header = ['metric (median, min–max)', ...SHOWN.map((impl) => NAMES[impl]), ...AGAINST.map((impl) => `ours/${NAMES[impl]}`)];
const widths = header.map((h, i) => Math.max(h.length, ...table.map((r) => r[i].length)));
const line = (r: string[]) => r.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');
const machine = {
  cores: os.cpus().length,
  cpu: os.cpus()[0]?.model ?? 'unknown',
  memoryGB: Math.round(os.totalmem() / 1073741824),
  loadavg: os.loadavg().map((v) => Math.round(v * 100) / 100),
  node: process.version,
  chromium: chromiumVersion,
};
const date = new Date().toISOString();
console.log(`\n${date} · ${machine.cores} cores (${machine.cpu}) · Chromium ${machine.chromium} · load avg ${machine.loadavg.join(' ')} · ${Math.round((Date.now() - started) / 1000)} s`);
console.log(line(header));
console.log(widths.map((w) => '-'.repeat(w)).join('  '));
for (const r of table) console.log(line(r));
const markdown = [
  `Benchmark ${date.slice(0, 10)} (${opts.quick ? 'quick' : 'full'}, ${opts.runs} run(s), reply ${SIZE.length} chars / ${SIZE.frames} frames), `
  + `${machine.cores} cores, Chromium ${machine.chromium}, Node ${machine.node}.`,
  '',
  `| ${header.join(' | ')} |`,
  `|${header.map((_, i) => (i === 0 ? ' --- ' : ' ---: ')).join('|')}|`,
  ...table.map((r) => `| ${r.join(' | ')} |`),
].join('\n');

writeFileSync(root + 'bench/results.json', JSON.stringify({
  date, machine, mode: opts.quick ? 'quick' : 'full',
  config: { runs: opts.runs, impls: opts.only, previous: previous ? { ref: previous.ref, commit: previous.commit } : null, scenarios: opts.scenarios, streams: STREAMS, turns: TURNS, checkpoints: CHECKPOINTS, history: HISTORY, timeoutS: opts.timeoutS },
  bundle, summary, runs, markdown,
}, null, 2) + '\n');
console.log('\nwrote bench/results.json (the table as markdown is in its "markdown" field)');

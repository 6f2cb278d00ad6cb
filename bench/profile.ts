// Ad-hoc: trace one stream scenario on a widget page and break down every main-thread task over
// 30 ms (wall time) into its top-level children. Not part of `npm run bench`.
//   node --import tsx bench/profile.ts [burst|paced] [runs=3] [--impl ours|previous] [--bytes N]
// Each task shows wall time and thread (CPU) time: on a loaded machine a task's wall time also
// counts the time its thread waited for a core, which its CPU time does not. Its CPU time is
// split into style, layout, paint (pre-paint, paint, layerize, commit), GC and the rest
// (script). Last, V8's sampling profile of the whole stream: the functions with the most self
// time (class methods keep their names in the minified bundle; file:line:column otherwise).
// `--impl previous` needs the build `npm run bench -- --only previous` keeps in bench/.previous/.
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { startBenchServer } from './server.ts';
import { SENTINEL } from './reply.ts';
import { DEFAULT_PREVIOUS, previousBuild } from './previous.ts';

const args = process.argv.slice(2);
const flag = (name: string) => {
  const i = args.indexOf(name);
  return i < 0 ? undefined : args.splice(i, 2)[1];
};
const impl = flag('--impl') ?? 'ours';
const bytes = Number(flag('--bytes') ?? 50_000);
const scenario = args[0] ?? 'burst';
const runs = Number(args[1] ?? 3);
const size = { length: bytes, frames: Math.round(bytes / 10) };
const previous = impl === 'previous' ? previousBuild(fileURLToPath(new URL('..', import.meta.url)), DEFAULT_PREVIOUS).files : undefined;
const server = await startBenchServer({
  burst: { ...size, mode: 'burst', frameMs: 0, batchMs: 0 },
  paced: { ...size, mode: 'paced', frameMs: 1, batchMs: 16 },
}, previous);
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking'] });
/** Trace events whose thread time is one kind of work (they do not nest in one another). */
const KINDS: Record<string, string> = {
  UpdateLayoutTree: 'style', Layout: 'layout', PrePaint: 'paint', Paint: 'paint', Layerize: 'paint', Commit: 'paint',
  MinorGC: 'gc', MajorGC: 'gc', BlinkGC: 'gc',
};
interface ProfileNode { id: number; callFrame: { functionName: string; url: string; lineNumber: number; columnNumber: number } }
const selfTime = new Map<string, number>();
for (let run = 0; run < runs; run++) {
  const context = await browser.newContext({ viewport: { width: 1000, height: 800 } });
  const page = await context.newPage();
  await page.goto(`${server.origin}/p/${impl}/blank`);
  await page.evaluate((s) => (window as any).page.mount(s), scenario);
  await page.waitForTimeout(300);
  await browser.startTracing(page, { categories: ['devtools.timeline', 'disabled-by-default-devtools.timeline', 'v8.execute', 'blink'] });
  const cdp = await context.newCDPSession(page);
  await cdp.send('Profiler.enable');
  await cdp.send('Profiler.setSamplingInterval', { interval: 200 });
  await cdp.send('Profiler.start');
  const done = server.nextDone(scenario);
  await page.evaluate((s) => { (window as any).page.stream(s); }, scenario);
  await done;
  await page.waitForFunction((s) => document.querySelector('bookbag-chat')?.shadowRoot?.textContent?.includes(s), SENTINEL, { timeout: 120000, polling: 50 });
  await page.waitForTimeout(200);
  const { profile } = await cdp.send('Profiler.stop');
  const nodes = new Map((profile.nodes as ProfileNode[]).map((n) => [n.id, n]));
  profile.samples?.forEach((id, i) => {
    const f = nodes.get(id)!.callFrame;
    const where = f.url ? `${f.url.split('/').pop()}:${f.lineNumber + 1}:${f.columnNumber + 1}` : '';
    const key = `${f.functionName || '(anonymous)'} ${where}`.trim();
    selfTime.set(key, (selfTime.get(key) ?? 0) + (profile.timeDeltas?.[i] ?? 0) / 1000 / runs);
  });
  const trace = JSON.parse((await browser.stopTracing()).toString());
  const ev = (trace.traceEvents ?? trace) as any[];
  const main = ev.find((e) => e.name === 'thread_name' && e.args?.name === 'CrRendererMain' && ev.some((x) => x.pid === e.pid && x.name === 'RunTask' && x.dur > 1000));
  const mine = ev.filter((e) => e.pid === main.pid && e.tid === main.tid && e.ph === 'X').sort((a, b) => a.ts - b.ts);
  const all = mine.filter((e) => e.name === 'RunTask');
  const tasks = all.filter((e) => e.dur > 30000);
  const cpu = (e: any) => (e.tdur ?? e.dur) / 1000;
  const over50cpu = all.filter((e) => cpu(e) > 50);
  console.log(`run ${run}: ${tasks.length} tasks > 30 ms wall, ${over50cpu.length} > 50 ms CPU (longest CPU ${Math.max(0, ...all.map(cpu)).toFixed(1)} ms)`);
  for (const t of tasks) {
    const kinds = new Map<string, number>();
    let end = -Infinity;
    for (const e of mine) {
      const kind = KINDS[e.name];
      if (!kind || e.ts < t.ts || e.ts + e.dur > t.ts + t.dur || e.ts < end) continue;
      end = e.ts + e.dur;
      kinds.set(kind, (kinds.get(kind) ?? 0) + cpu(e));
    }
    const script = cpu(t) - [...kinds.values()].reduce((a, b) => a + b, 0);
    const top = mine.find((e) => e !== t && e.ts >= t.ts && e.ts + e.dur <= t.ts + t.dur && e.dur > t.dur / 3 && !e.name.includes('::'))?.name ?? '';
    console.log(`  task ${(t.dur / 1000).toFixed(1)} ms wall, ${cpu(t).toFixed(1)} ms CPU${top ? ` (${top})` : ''}: script & other ${script.toFixed(1)}, `
      + [...kinds].sort((a, b) => b[1] - a[1]).map(([k, v]) => `${k} ${v.toFixed(1)}`).join(', '));
  }
  await context.close();
}
console.log(`\nself time per run (V8 sampling profile, mean of ${runs}), top 20:`);
for (const [k, v] of [...selfTime].sort((a, b) => b[1] - a[1]).slice(0, 20)) console.log(`  ${v.toFixed(1).padStart(7)} ms  ${k}`);
await browser.close();
await server.close();

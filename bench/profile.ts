// Ad-hoc: trace one stream scenario on our page and break down every main-thread task over
// 30 ms into its top-level children. Not part of `npm run bench`.
import { chromium } from 'playwright-core';
import { startBenchServer } from './server.ts';
import { SENTINEL } from './reply.ts';

const scenario = process.argv[2] ?? 'burst';
const server = await startBenchServer({
  burst: { length: 50_000, frames: 5_000, mode: 'burst', frameMs: 0, batchMs: 0 },
  paced: { length: 50_000, frames: 5_000, mode: 'paced', frameMs: 1, batchMs: 16 },
});
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking'] });
for (let run = 0; run < Number(process.argv[3] ?? 3); run++) {
  const context = await browser.newContext({ viewport: { width: 1000, height: 800 } });
  const page = await context.newPage();
  await page.goto(`${server.origin}/p/ours/blank`);
  await page.evaluate((s) => (window as any).page.mount(s), scenario);
  await page.waitForTimeout(300);
  await browser.startTracing(page, { categories: ['devtools.timeline', 'disabled-by-default-devtools.timeline', 'v8.execute', 'blink'] });
  const done = server.nextDone(scenario);
  await page.evaluate((s) => { (window as any).page.stream(s); }, scenario);
  await done;
  await page.waitForFunction((s) => document.querySelector('bookbag-chat')?.shadowRoot?.textContent?.includes(s), SENTINEL, { timeout: 60000, polling: 50 });
  await page.waitForTimeout(200);
  const trace = JSON.parse((await browser.stopTracing()).toString());
  const ev = (trace.traceEvents ?? trace) as any[];
  const main = ev.find((e) => e.name === 'thread_name' && e.args?.name === 'CrRendererMain' && ev.some((x) => x.pid === e.pid && x.name === 'RunTask' && x.dur > 1000));
  const mine = ev.filter((e) => e.pid === main.pid && e.tid === main.tid && e.ph === 'X').sort((a, b) => a.ts - b.ts);
  const tasks = mine.filter((e) => e.name === 'RunTask' && e.dur > 30000);
  console.log(`run ${run}: ${tasks.length} tasks > 30 ms`);
  for (const t of tasks) {
    const kids = new Map<string, number>();
    for (const e of mine) if (e !== t && e.ts >= t.ts && e.ts + e.dur <= t.ts + t.dur && !mine.some((p) => p !== t && p !== e && p.ts <= e.ts && p.ts + p.dur >= e.ts + e.dur && p.ts >= t.ts && p.dur > e.dur && ['FunctionCall','UpdateLayoutTree','Layout','Paint','RunMicrotasks','FireAnimationFrame','EventDispatch','TimerFire','v8.run','PrePaint','Commit','UpdateLayer','HitTest'].includes(p.name))) kids.set(e.name, (kids.get(e.name) ?? 0) + e.dur / 1000);
    console.log(`  task ${(t.dur / 1000).toFixed(1)} ms:`, [...kids].filter(([, v]) => v > 1).sort((a, b) => b[1] - a[1]).map(([k, v]) => `${k} ${v.toFixed(1)}`).join(', '));
  }
  await context.close();
}
await browser.close();
await server.close();

// Playwright + CDP measurements of one scenario on one page. Every function opens its own
// browser context and closes it, so runs never share a renderer.
import type { Browser, BrowserContext, CDPSession, Page } from 'playwright-core';
import { mainThreadTasks, scriptingMs, TASK_CATEGORIES, TRACE_CATEGORIES } from './trace.ts';
import type { BenchServer } from './server.ts';
import { SENTINEL } from './reply.ts';
import type { Impl } from './pages.ts';

export type Values = Record<string, number | null>;

export class Timeout extends Error {
  constructor(readonly ms: number, what: string) { super(`${what}: timed out after ${Math.round(ms / 1000)} s`); }
}

/** The widget showed the reply without markdown: the numbers would measure plain text. */
export class NotRendered extends Error {}

/** Page-side helpers installed before any page script: long tasks, text search, paint timing. */
const INIT = `(() => {
  window.__lt = [];
  try {
    new PerformanceObserver((list) => { for (const e of list.getEntries()) window.__lt.push([e.startTime, e.duration]); })
      .observe({ type: 'longtask', buffered: true });
  } catch {}
  for (const tag of ['bookbag-chat', 'deep-chat']) customElements.whenDefined(tag).then(() => performance.mark('bench-defined'));
  const wall = () => performance.timeOrigin + performance.now();
  /** Elements matching \`sel\` in the document and every open shadow root, however nested. */
  const count = (root, sel) => {
    let n = root.querySelectorAll(sel).length;
    for (const el of root.querySelectorAll('*')) if (el.shadowRoot) n += count(el.shadowRoot, sel);
    return n;
  };
  const has = (root, s) => {
    const own = root.nodeType === 9 ? root.documentElement : root;
    if ((own.textContent || '').includes(s)) return true;
    for (const el of own.querySelectorAll('*')) if (el.shadowRoot && has(el.shadowRoot, s)) return true;
    return false;
  };
  /** Resolves just after the next frame (the one that paints the current DOM) is produced. */
  const afterPaint = () => new Promise((resolve) => requestAnimationFrame(() => {
    const ch = new MessageChannel();
    ch.port1.onmessage = () => resolve(wall());
    ch.port2.postMessage(0);
  }));
  window.__bench = {
    wall, afterPaint,
    has: (s) => has(document, s),
    count: (sel) => count(document, sel),
    async waitText(s) {
      const start = wall();
      let checks = 0;
      while (!has(document, s)) { checks++; await new Promise((r) => requestAnimationFrame(r)); }
      const seen = wall();
      return { start, seen, painted: await afterPaint(), checks };
    },
    longtasks(since) { return window.__lt.filter(([t]) => t >= since); },
  };
})();`;

export async function withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([p, new Promise<never>((_, reject) => { timer = setTimeout(() => reject(new Timeout(ms, what)), ms); })]);
  } finally {
    clearTimeout(timer);
  }
}

async function metrics(cdp: CDPSession): Promise<Record<string, number>> {
  const { metrics: list } = await cdp.send('Performance.getMetrics');
  return Object.fromEntries(list.map((m) => [m.name, m.value]));
}

const ms = (s: number) => Math.round(s * 10000) / 10; // CDP durations are seconds
const round = (v: number, d = 1) => Math.round(v * 10 ** d) / 10 ** d;

/**
 * Main-thread CPU time between two metric snapshots (threadTicks: CPU time, so a shared,
 * busy machine inflates it less than wall time). CDP's ScriptDuration misses microtasks, so
 * the rest of the busy time is reported as "script & other" instead.
 */
function cpuDelta(a: Record<string, number>, b: Record<string, number>): Values {
  const busy = b.TaskDuration - a.TaskDuration;
  const layout = b.LayoutDuration - a.LayoutDuration;
  const style = b.RecalcStyleDuration - a.RecalcStyleDuration;
  return { busyMs: ms(busy), layoutMs: ms(layout), styleMs: ms(style), otherMs: ms(busy - layout - style) };
}

/**
 * Heap after a forced full GC, in MB: the V8 JS heap, and Blink's embedder heap (DOM nodes,
 * shadow roots and style objects live there, not in the JS heap).
 */
async function gcHeaps(cdp: CDPSession): Promise<{ js: number; dom: number }> {
  await cdp.send('HeapProfiler.collectGarbage');
  await cdp.send('HeapProfiler.collectGarbage');
  const u = await cdp.send('Runtime.getHeapUsage');
  return { js: round(u.usedSize / 1048576, 2), dom: round((u.embedderHeapUsedSize ?? 0) / 1048576, 2) };
}

async function heapAfterGc(cdp: CDPSession): Promise<number> {
  return (await gcHeaps(cdp)).js;
}

export interface Ctx {
  browser: Browser;
  server: BenchServer;
  timeoutMs: number;
}

async function open(ctx: Ctx, impl: Impl, variant: 'load' | 'blank', enableFirst = false): Promise<{ context: BrowserContext; page: Page; cdp: CDPSession }> {
  const context = await ctx.browser.newContext({ viewport: { width: 1000, height: 800 } });
  await context.addInitScript(INIT);
  const page = await context.newPage();
  page.on('pageerror', (e) => console.error(`  [${impl}] page error: ${e.message}`));
  const cdp = await context.newCDPSession(page);
  if (enableFirst) {
    await cdp.send('Performance.enable', { timeDomain: 'threadTicks' });
    await ctx.browser.startTracing(page, { categories: TRACE_CATEGORIES });
  }
  await page.goto(`${ctx.server.origin}/p/${impl}/${variant}`, { waitUntil: 'load' });
  if (!enableFirst) await cdp.send('Performance.enable', { timeDomain: 'threadTicks' });
  return { context, page, cdp };
}

/** Closes the context; a renderer stuck in a long task must not hang the run. */
export async function closeQuietly(context: BrowserContext): Promise<boolean> {
  try {
    await context.browser()?.stopTracing().catch(() => undefined);
    await withTimeout(context.close(), 30_000, 'context.close');
    return true;
  } catch {
    return false;
  }
}

async function settle(page: Page): Promise<void> {
  await page.evaluate(() => new Promise((r) => setTimeout(r, 300)));
}

// ---- scenarios ------------------------------------------------------------------------------

/** Navigation → element defined, first paint / first contentful paint; script time at load. */
export async function load(ctx: Ctx, impl: Impl): Promise<Values> {
  const { context, page, cdp } = await open(ctx, impl, 'load', true);
  try {
    // A string, not a function: tsx would wrap named inner functions in a `__name` helper the
    // page does not have.
    const marks = await withTimeout(page.evaluate<{ defined: number | null; fp: number | null; fcp: number | null }>(`(async () => {
      const deadline = performance.now() + 10000;
      const get = () => ({
        defined: performance.getEntriesByName('bench-defined')[0]?.startTime ?? null,
        fp: performance.getEntriesByName('first-paint')[0]?.startTime ?? null,
        fcp: performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? null,
      });
      while ((get().defined === null || get().fcp === null) && performance.now() < deadline) await new Promise((r) => setTimeout(r, 20));
      return get();
    })()`), ctx.timeoutMs, 'load');
    await settle(page);
    const m = await metrics(cdp);
    const trace = await ctx.browser.stopTracing();
    return {
      definedMs: marks.defined === null ? null : round(marks.defined),
      firstPaintMs: marks.fp === null ? null : round(marks.fp),
      fcpMs: marks.fcp === null ? null : round(marks.fcp),
      scriptMs: scriptingMs(trace),
      busyMs: ms(m.TaskDuration),
      heapMB: await heapAfterGc(cdp),
    };
  } finally {
    await closeQuietly(context);
  }
}

/** The long reply: main-thread time, long tasks, last frame → painted, heap after. */
export async function stream(ctx: Ctx, impl: Impl, scenario: string): Promise<Values> {
  const { context, page, cdp } = await open(ctx, impl, 'blank');
  try {
    await page.evaluate((s) => (window as unknown as PageDriver).page.mount(s), scenario);
    await settle(page);
    const done = ctx.server.nextDone(scenario);
    // Only the `toplevel` category (one event per task): cheap, and it gives each task's CPU time.
    await ctx.browser.startTracing(page, { categories: TASK_CATEGORIES });
    const before = await metrics(cdp);
    const since = await page.evaluate(() => performance.now());
    await page.evaluate((s) => { (window as unknown as PageDriver).page.stream(s); }, scenario);
    const finished = await withTimeout((async () => {
      const last = await done;
      const w = await page.evaluate((s) => (window as unknown as PageDriver).__bench.waitText(s), SENTINEL);
      return { last, w };
    })(), ctx.timeoutMs, `${impl} ${scenario}`);
    const after = await metrics(cdp);
    const tasks = await page.evaluate((t) => (window as unknown as PageDriver).__bench.longtasks(t), since);
    const cpuTasks = mainThreadTasks(await ctx.browser.stopTracing()).map((t) => t.cpuMs);
    const shown = impl === 'ours' || impl === 'previous' ? await renderedMarkdown(page, impl, scenario) : {};
    return {
      ...cpuDelta(before, after),
      longTasks: tasks.length,
      longTaskMaxMs: round(Math.max(0, ...tasks.map(([, d]) => d))),
      longTasksCpu: cpuTasks.filter((d) => d > 50).length,
      longTaskMaxCpuMs: round(Math.max(0, ...cpuTasks)),
      lastFrameToPaintMs: round(finished.w.painted - finished.last.lastFrameAt),
      lastFrameToDomMs: round(finished.w.seen - finished.last.lastFrameAt),
      streamMs: round(finished.last.lastFrameAt - finished.last.startedAt),
      writes: finished.last.writes,
      ...await gcHeaps(cdp).then((h) => ({ heapMB: h.js, domHeapMB: h.dom })),
      ...shown,
    };
  } finally {
    await closeQuietly(context);
  }
}

/**
 * Checks the widget rendered the reply as markdown (the bench reply has bold text and code
 * blocks), so a renderer chunk that failed to load cannot pass for a fast widget showing plain
 * text. A reply the widget shows as plain text by design (above its size limit) must carry the
 * "render in full" button, which comes from the renderer chunk too.
 */
async function renderedMarkdown(page: Page, impl: Impl, scenario: string): Promise<Values> {
  const got = await page.evaluate(() => {
    const b = (window as unknown as PageDriver).__bench;
    return { strong: b.count('strong'), pre: b.count('pre'), renderFull: b.count('button.render-full'), plain: b.count('.plain-reply') };
  });
  const formatted = got.strong > 0 && got.pre > 0;
  const plainByDesign = got.renderFull > 0;
  if (!formatted && !plainByDesign) {
    throw new NotRendered(`${impl} ${scenario}: the reply was not rendered as markdown `
      + `(<strong> ${got.strong}, <pre> ${got.pre}, plain-text boxes ${got.plain}): is the markdown chunk served?`);
  }
  return { strongs: got.strong, pres: got.pre, plainByDesign: plainByDesign ? 1 : 0 };
}

export interface HistorySeed { agentId: string; apiKey: string; conversationId: string; last: string }

/** Opening a 500-message conversation in a fresh widget: scripting time and time to paint. */
export async function history(ctx: Ctx, impl: Impl, seed: HistorySeed): Promise<Values> {
  const { context, page, cdp } = await open(ctx, impl, 'blank');
  try {
    await settle(page);
    const before = await metrics(cdp);
    await ctx.browser.startTracing(page, { categories: TRACE_CATEGORIES });
    const r = await withTimeout(page.evaluate(async (h) => {
      const w = window as unknown as PageDriver;
      const t0 = performance.now();
      const shown = await w.page.history(h);
      const p = await w.__bench.waitText(h.last);
      return { shown, ms: p.painted - performance.timeOrigin - t0 };
    }, seed), ctx.timeoutMs, `${impl} history`);
    const after = await metrics(cdp);
    const trace = await ctx.browser.stopTracing();
    const cpu = cpuDelta(before, after);
    return { toPaintMs: round(r.ms), scriptMs: scriptingMs(trace), busyMs: cpu.busyMs, layoutMs: cpu.layoutMs, messages: r.shown, heapMB: await heapAfterGc(cdp) };
  } finally {
    await closeQuietly(context);
  }
}

/** `turns` short sent/received turns; heap after forced GC at each checkpoint. */
export async function memory(ctx: Ctx, impl: Impl, turns: number, checkpoints: number[]): Promise<Values> {
  const { context, page, cdp } = await open(ctx, impl, 'blank');
  try {
    await page.evaluate(() => (window as unknown as PageDriver).page.mount('short'));
    await settle(page);
    const h0 = await gcHeaps(cdp);
    const out: Values = { heap0MB: h0.js, dom0MB: h0.dom };
    const t0 = Date.now();
    await withTimeout((async () => {
      for (let i = 1; i <= turns; i++) {
        await page.evaluate(async (n) => {
          const w = window as unknown as PageDriver;
          await w.page.turn(n);
          await w.__bench.afterPaint();
        }, i);
        if (checkpoints.includes(i)) {
          const h = await gcHeaps(cdp);
          out[`heap${i}MB`] = h.js;
          out[`dom${i}MB`] = h.dom;
        }
      }
    })(), ctx.timeoutMs, `${impl} memory`);
    out.msPerTurn = round((Date.now() - t0) / turns);
    const a = checkpoints[checkpoints.length - 2], b = checkpoints[checkpoints.length - 1];
    const growth = (k: string) => round((((out[`${k}${b}MB`] as number) - (out[`${k}${a}MB`] as number)) * 1024) / (b - a), 2);
    out.growthKBPerTurn = growth('heap');
    out.domGrowthKBPerTurn = growth('dom');
    out.shown = await page.evaluate((s) => (window as unknown as PageDriver).__bench.has(s) ? 1 : 0, `Reply ${turns}:`);
    return out;
  } finally {
    await closeQuietly(context);
  }
}

/** What the page and init script put on `window` (page-side types for evaluate callbacks). */
interface PageDriver {
  page: {
    mount(scenario: string): Promise<void>;
    stream(scenario: string): void;
    turn(i: number): Promise<void>;
    history(h: HistorySeed): Promise<number>;
  };
  __bench: {
    has(s: string): boolean;
    count(selector: string): number;
    afterPaint(): Promise<number>;
    waitText(s: string): Promise<{ start: number; seen: number; painted: number; checks: number }>;
    longtasks(since: number): [number, number][];
  };
}

// Scripting time from a Chromium trace. CDP's `ScriptDuration` metric misses script run from
// microtasks (promise reactions, fetch streams, Lit's update cycle), which is nearly all of a
// modern widget's work, so "scripting" is taken from the trace like DevTools' Performance
// panel: the top-level script events on the renderer's main thread, in thread (CPU) time.
export const TRACE_CATEGORIES = ['devtools.timeline', 'v8.execute', 'v8', 'disabled-by-default-devtools.timeline'];

const SCRIPT = new Set([
  'EvaluateScript', 'v8.evaluateModule', 'FunctionCall', 'RunMicrotasks', 'TimerFire', 'EventDispatch',
  'FireAnimationFrame', 'FireIdleCallback', 'v8.compile', 'v8.compileModule', 'V8.Execute',
]);

interface TraceEvent { name: string; ph: string; ts: number; dur?: number; tdur?: number; pid: number; tid: number; args?: { name?: string } }

/** Milliseconds of main-thread script (thread time where recorded) in the trace. */
export function scriptingMs(trace: Buffer): number {
  const parsed = JSON.parse(trace.toString('utf8')) as { traceEvents: TraceEvent[] } | TraceEvent[];
  const events = Array.isArray(parsed) ? parsed : parsed.traceEvents;
  const mains = new Set(events.filter((e) => e.ph === 'M' && e.name === 'thread_name' && e.args?.name === 'CrRendererMain').map((e) => `${e.pid}:${e.tid}`));
  const perThread = new Map<string, number>();
  const byThread = new Map<string, TraceEvent[]>();
  for (const e of events) {
    const key = `${e.pid}:${e.tid}`;
    if (e.ph !== 'X' || !SCRIPT.has(e.name) || !mains.has(key)) continue;
    let list = byThread.get(key);
    if (!list) byThread.set(key, (list = []));
    list.push(e);
  }
  for (const [key, list] of byThread) {
    list.sort((a, b) => a.ts - b.ts || (b.dur ?? 0) - (a.dur ?? 0));
    let end = -Infinity;
    let total = 0;
    for (const e of list) {
      if (e.ts < end) continue; // nested in a script event already counted
      end = e.ts + (e.dur ?? 0);
      total += e.tdur ?? e.dur ?? 0;
    }
    perThread.set(key, total);
  }
  // One page per browser context: the busiest renderer main thread is the page's.
  return Math.round(Math.max(0, ...perThread.values()) / 100) / 10;
}

/** The light trace category that records every task of every thread, with its thread time. */
export const TASK_CATEGORIES = ['toplevel'];

/**
 * The page's main-thread tasks in the trace: wall and thread (CPU) milliseconds each. On a
 * shared machine a task's wall time (what the Long Tasks API reports) also counts the time its
 * thread waited for a core; its thread time does not, so it tells a slow task from a starved one.
 */
export function mainThreadTasks(trace: Buffer): { wallMs: number; cpuMs: number }[] {
  const parsed = JSON.parse(trace.toString('utf8')) as { traceEvents: TraceEvent[] } | TraceEvent[];
  const events = Array.isArray(parsed) ? parsed : parsed.traceEvents;
  const mains = new Set(events.filter((e) => e.ph === 'M' && e.name === 'thread_name' && e.args?.name === 'CrRendererMain').map((e) => `${e.pid}:${e.tid}`));
  const byThread = new Map<string, TraceEvent[]>();
  for (const e of events) {
    const key = `${e.pid}:${e.tid}`;
    if (e.ph !== 'X' || e.name !== 'ThreadControllerImpl::RunTask' || !mains.has(key)) continue;
    let list = byThread.get(key);
    if (!list) byThread.set(key, (list = []));
    list.push(e);
  }
  // The busiest renderer main thread is the page's (one page per browser context).
  const busy = (list: TraceEvent[]) => list.reduce((s, e) => s + (e.dur ?? 0), 0);
  const list = [...byThread.values()].sort((a, b) => busy(b) - busy(a))[0] ?? [];
  list.sort((a, b) => a.ts - b.ts || (b.dur ?? 0) - (a.dur ?? 0));
  const tasks: { wallMs: number; cpuMs: number }[] = [];
  let end = -Infinity;
  for (const e of list) {
    if (e.ts < end) continue; // a task run inside another (nested run loop)
    end = e.ts + (e.dur ?? 0);
    tasks.push({ wallMs: (e.dur ?? 0) / 1000, cpuMs: (e.tdur ?? e.dur ?? 0) / 1000 });
  }
  return tasks;
}

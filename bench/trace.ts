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

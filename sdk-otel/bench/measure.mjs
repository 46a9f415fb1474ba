// What bench.mjs and ab.mjs measure of one page load of bench/demo.html: the wall times the page
// recorded and the main-thread CPU times of a trace.

/**
 * Main-thread CPU time (thread time of trace events, ms) of the bundle's evaluation, of the init
 * script and of every task that ran a step of the deferred start (the tasks an `otel-rum:start`
 * measure spans). CPU time, unlike wall time, does not grow when other processes take the
 * core; lazy compilation, garbage collection and the browser's own work for our calls are included.
 */
const TASKS = ['ThreadControllerImpl::RunTask', 'BlinkScheduler_PerformMicrotaskCheckpoint'];
export function cpuTimes(traceEvents) {
  const measures = traceEvents.filter((e) => e.name === 'otel-rum:start' && e.ph === 'b');
  if (!measures.length) throw new Error('bench: no otel-rum:start measure in the trace');
  const { pid, tid } = measures[0];
  const main = traceEvents.filter((e) => e.ph === 'X' && e.pid === pid && e.tid === tid);
  // The demo's scripts in order: the clock, the bundle, the init call, the products.
  const scripts = main.filter((e) => e.name === 'EvaluateScript').sort((a, b) => a.ts - b.ts);
  if (scripts.length !== 4) throw new Error(`bench: expected the demo's 4 scripts, got ${scripts.length}`);
  const tasks = new Set();
  const ends = traceEvents.filter((e) => e.name === 'otel-rum:start' && e.ph === 'e');
  for (const m of measures) {
    // The task the step ran in: the one that overlaps the measure's span (start to end, in the trace's
    // clock) the most. Not the one holding its callTime: the SDK records the measure in a later task,
    // so that the measure's own cost is not counted as the step's; and not merely the one holding its
    // start, which performance.now()'s coarsening (100 µs) may put just before the task. The task: a
    // timer's, or the microtask checkpoint of a promise callback (a step after an awaited one).
    const end = ends.find((e) => e.id2?.local === m.id2?.local && e.ts >= m.ts)?.ts ?? m.ts;
    const overlap = (e) => Math.min(end, e.ts + e.dur) - Math.max(m.ts, e.ts);
    const task = main
      .filter((e) => TASKS.includes(e.name) && overlap(e) >= 0)
      .sort((a, b) => overlap(b) - overlap(a) || b.dur - a.dur)[0];
    if (!task) throw new Error('bench: no task holds a deferred start step');
    const init = scripts[2];
    if (!(task.ts <= init.ts && init.ts <= task.ts + task.dur)) tasks.add(task);
  }
  const ms = (e) => (e.tdur ?? e.dur) / 1000;
  // An external script's main-thread compile (finishing what the background thread streamed) is an
  // event of its own, outside its evaluation; an inline script's is inside.
  const compile = main
    .filter((e) => e.name === 'v8.compile' && /otel-rum\.min\.js/.test(JSON.stringify(e.args)))
    .filter((e) => e.ts + e.dur <= scripts[1].ts || e.ts >= scripts[1].ts + scripts[1].dur);
  return {
    eval: ms(scripts[1]) + compile.reduce((sum, e) => sum + ms(e), 0),
    init: ms(scripts[2]),
    start: [...tasks].reduce((sum, t) => sum + ms(t), 0),
  };
}

/** The wall times the page measured: script evaluation, the init call, each deferred start step. */
export async function wallTimes(page) {
  // The deferred start's steps run in the tasks right after the page's; 300 ms leaves them time.
  return page.evaluate(async () => {
    await new Promise((resolve) => setTimeout(resolve, 300));
    const steps = performance.getEntriesByName('otel-rum:start', 'measure').map((m) => m.duration);
    return { evalMs: window.__evalMs, initMs: window.__initMs, steps };
  });
}

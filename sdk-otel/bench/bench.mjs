// Size and main-thread cost of the SDK, measured in real Chromium. Prints key=value lines.
// Run after a build (`npm run bench:sdk` builds first). Not a test: numbers depend on the machine.
import { readFileSync } from 'node:fs';
import os from 'node:os';
import { createServer } from 'node:http';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { launchChromium } from './chromium.mjs';
import { cpuTimes, wallTimes } from './measure.mjs';

// `bench.mjs replay`: the session replay bench (replay.mjs) instead.
if (process.argv[2] === 'replay') {
  await import('./replay.mjs');
  process.exit(0);
}
// `bench.mjs replay-shop [--full]`: only the replay bandwidth on the demo shop (replay-shop.mjs).
if (process.argv[2] === 'replay-shop') {
  await import('./replay-shop.mjs');
  process.exit(0);
}
// `bench.mjs peers`: our bundle beside the other browser SDKs (peers.mjs) instead.
if (process.argv[2] === 'peers') {
  await import('./peers.mjs');
  process.exit(0);
}

const here = path.dirname(fileURLToPath(import.meta.url));
const dist = path.join(here, '..', 'dist');
const RUNS = Number(process.env.BENCH_RUNS || 15);
const EVENTS = 1000;

const bundle = readFileSync(path.join(dist, 'cdn/otel-rum.min.js'), 'utf8');
const loader = readFileSync(path.join(dist, 'cdn/loader.min.js'), 'utf8');
// Session replay's recorder (rrweb): loaded only for sessions sampled for replay, never eagerly.
const replayChunk = readFileSync(path.join(dist, 'cdn/otel-rum-replay.min.js'), 'utf8');
const esm = readFileSync(path.join(dist, 'esm/index.js'), 'utf8');
const gz = (s) => gzipSync(Buffer.from(s), { level: 9 }).length;
const kib = (n) => (n / 1024).toFixed(1);
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const min = (xs) => Math.min(...xs);

// The demo page: a small shop-like document, the bundle inlined (no network time in the numbers).
const page = readFileSync(path.join(here, 'demo.html'), 'utf8').replace('/*BUNDLE*/', () => bundle);
// The same page without the SDK: the baseline of the CPU-time comparison.
const bare = page.replace(bundle, '').replace(/OtelRum\.init\(\{[\s\S]*?\}\);/, '');
// The same page loading the bundle as CDN users do, with <script src>: Chromium then compiles it on a
// background thread while it downloads (script streaming), which an inline script never gets.
const external = readFileSync(path.join(here, 'demo.html'), 'utf8').replace(
  /<script>\s*\/\*BUNDLE\*\/\s*<\/script>/,
  '<script src="/otel-rum.min.js"></script>',
);

const server = createServer((req, res) => {
  if (req.method === 'POST') {
    req.resume();
    req.on('end', () => {
      res.writeHead(200, { 'Content-Type': 'application/json' }).end('{}');
    });
    return;
  }
  if (req.url.startsWith('/otel-rum.min.js'))
    return res.writeHead(200, { 'Content-Type': 'text/javascript' }).end(bundle);
  const html = req.url.startsWith('/bare') ? bare : req.url.startsWith('/external') ? external : page;
  res.writeHead(200, { 'Content-Type': 'text/html' }).end(html);
});
await new Promise((r) => server.listen(0, '127.0.0.1', r));
const origin = `http://127.0.0.1:${server.address().port}`;

const browser = await launchChromium();
const evalMs = [];
const initMs = [];
const startMs = [];
const tracedInitMs = [];
const longestMs = [];
const slices = [];
const evalCpuMs = [];
const initCpuMs = [];
const startCpuMs = [];
const extEvalCpuMs = [];
const extInitCpuMs = [];
const extInitMs = [];
const perActionUs = [];
const perErrorUs = [];
const cpuMs = [];

/** Main-thread CPU time (Chromium's ThreadTime metric, in ms) a page load costs until 500 ms after load. */
async function loadCpuMs(url) {
  const context = await browser.newContext();
  const p = await context.newPage();
  const cdp = await context.newCDPSession(p);
  await cdp.send('Performance.enable');
  const before = (await cdp.send('Performance.getMetrics')).metrics.find(
    (m) => m.name === 'ThreadTime',
  ).value;
  await p.goto(url);
  await p.waitForTimeout(500);
  const after = (await cdp.send('Performance.getMetrics')).metrics.find((m) => m.name === 'ThreadTime').value;
  await context.close();
  return (after - before) * 1000;
}

/**
 * Loads `url` in a fresh context while tracing: the wall times the page measured (script evaluation,
 * init call, each deferred start step) and the CPU times of the trace (cpuTimes). Returns the page open.
 */
async function tracedLoad(url) {
  const context = await browser.newContext();
  const page = await context.newPage();
  await browser.startTracing(page, { categories: ['devtools.timeline', 'blink.user_timing', 'toplevel'] });
  await page.goto(url);
  const wall = await wallTimes(page);
  const cpu = cpuTimes(JSON.parse((await browser.stopTracing()).toString()).traceEvents);
  return { context, page, wall, cpu };
}

/**
 * Loads `url` in a fresh context without tracing and returns its wall times: tracing records an
 * event for every task, script and call it watches, which slows the very code whose wall time the
 * page measures, so the wall-clock keys come from these loads and the CPU keys from traced ones.
 */
async function untracedLoad(url) {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(url);
  const wall = await wallTimes(page);
  await context.close();
  return wall;
}

try {
  for (let i = 0; i < RUNS; i++) {
    const w = await untracedLoad(`${origin}/?run=${i}`);
    const { context, page: p, wall: traced, cpu } = await tracedLoad(`${origin}/?run=${i}`);
    const r = await p.evaluate(async (n) => {
      const w = window;
      const api = w.OtelRum;
      // Warm-up, then measured bursts: custom actions (assembly, redaction, limits, OTLP encoding and
      // batching, all synchronous on the main thread), then handled errors (the same plus reading and
      // parsing the stack, which V8 formats lazily on first read).
      for (let k = 0; k < 50; k++) api.addAction('warm', { k });
      let t0 = performance.now();
      for (let k = 0; k < n; k++) api.addAction(`add-to-cart-${k % 7}`, { sku: `sku-${k}`, qty: k % 3 });
      const action = ((performance.now() - t0) * 1000) / n;
      const errors = [];
      for (let k = 0; k < n / 10; k++) errors.push(new Error(`failure ${k}`));
      t0 = performance.now();
      for (const e of errors) api.addError(e);
      const error = ((performance.now() - t0) * 1000) / errors.length;
      return { action, error };
    }, EVENTS);
    evalMs.push(w.evalMs);
    initMs.push(w.initMs);
    startMs.push(w.steps.reduce((sum, d) => sum + d, 0));
    tracedInitMs.push(traced.initMs + traced.steps.reduce((sum, d) => sum + d, 0));
    longestMs.push(Math.max(w.initMs, ...w.steps));
    slices.push(w.steps.length);
    evalCpuMs.push(cpu.eval);
    initCpuMs.push(cpu.init);
    startCpuMs.push(cpu.start);
    perActionUs.push(r.action);
    perErrorUs.push(r.error);
    await context.close();
    const ext = await tracedLoad(`${origin}/external?run=${i}`);
    await ext.context.close();
    extEvalCpuMs.push(ext.cpu.eval);
    extInitCpuMs.push(ext.cpu.init + ext.cpu.start);
    extInitMs.push(ext.wall.initMs + ext.wall.steps.reduce((sum, d) => sum + d, 0));
    // CPU time, not wall time: what the SDK costs the main thread whatever else the machine runs.
    cpuMs.push((await loadCpuMs(`${origin}/sdk?run=${i}`)) - (await loadCpuMs(`${origin}/bare?run=${i}`)));
  }
} finally {
  await browser.close();
  server.close();
}

const lines = {
  eager_gzip_kib: kib(gz(bundle)),
  eager_min_kib: kib(Buffer.byteLength(bundle)),
  loader_gzip_kib: kib(gz(loader)),
  replay_chunk_gzip_kib: kib(gz(replayChunk)),
  esm_unminified_gzip_kib: kib(gz(esm)),
  // Wall-clock times (performance.now(), medians) of loads without tracing, as a page sees them.
  // Parsing and running the bundle's top level (defines the global; no SDK work).
  script_eval_ms: median(evalMs).toFixed(2),
  // The synchronous init() call: hooks and the first view.
  init_call_ms: median(initMs).toFixed(2),
  // The deferred start: the steps init() schedules right after, one task each (transport, session
  // cookie, the events held meanwhile, buffered observers); the sum of their otel-rum:start measures.
  deferred_start_ms: median(startMs).toFixed(2),
  deferred_start_steps: median(slices),
  // All main-thread work init() causes: the call plus every step of its deferred start.
  init_main_thread_ms: median(initMs.map((v, i) => v + startMs[i])).toFixed(2),
  // The same on the traced loads: what the tracer's own recording adds to the wall time.
  init_main_thread_traced_ms: median(tracedInitMs).toFixed(2),
  // The longest of those tasks (the init call or one step): what may delay input.
  init_longest_task_ms: median(longestMs).toFixed(2),
  // The same as main-thread CPU time (trace events' thread time), which the other processes sharing
  // the machine do not inflate: the init script, the deferred start's tasks, and their sum.
  script_eval_cpu_ms: median(evalCpuMs).toFixed(2),
  init_call_cpu_ms: median(initCpuMs).toFixed(2),
  deferred_start_cpu_ms: median(startCpuMs).toFixed(2),
  init_main_thread_cpu_ms: median(initCpuMs.map((v, i) => v + startCpuMs[i])).toFixed(2),
  // Script evaluation, init call and deferred start together (CPU): V8 compiles a function either
  // while evaluating the script (eagerly) or at its first call (lazily), so this total is what
  // compilation cannot move.
  sdk_startup_cpu_ms: median(evalCpuMs.map((v, i) => v + initCpuMs[i] + startCpuMs[i])).toFixed(2),
  // The same page loading the bundle with <script src> (how CDN users load it): compiled on a
  // background thread while streamed, so its evaluation costs the main thread far less.
  external_script_eval_cpu_ms: median(extEvalCpuMs).toFixed(2),
  external_init_main_thread_cpu_ms: median(extInitCpuMs).toFixed(2),
  external_init_main_thread_ms: median(extInitMs).toFixed(2),
  per_event_main_thread_us: median(perActionUs).toFixed(1),
  per_error_main_thread_us: median(perErrorUs).toFixed(1),
  // Medians above; minimums below, closest to the cost on an idle machine (the runs share the CPU).
  init_main_thread_min_ms: min(initMs.map((v, i) => v + startMs[i])).toFixed(2),
  init_main_thread_cpu_min_ms: min(initCpuMs.map((v, i) => v + startCpuMs[i])).toFixed(2),
  // Main-thread CPU time of a page load with the SDK minus the same page without it (ThreadTime):
  // parsing and running the bundle, init, the deferred start, the first sends and the observers.
  sdk_load_cpu_ms: median(cpuMs).toFixed(2),
  per_event_main_thread_min_us: min(perActionUs).toFixed(1),
  runs: RUNS,
  load_average_1m: os.loadavg()[0].toFixed(2),
  cpus: os.cpus().length,
};
for (const [k, v] of Object.entries(lines)) console.log(`${k}=${v}`);

// Replay bandwidth on the demo shop, ours beside Datadog's and rrweb's (replay-shop.mjs; a shorter
// session than the two-minute one unless `--full`).
if (process.env.BENCH_REPLAY !== '0') await import('./replay-shop.mjs');

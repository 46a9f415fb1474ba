// Peers mode of the SDK bench (`npm run bench:sdk:peers`, or `node sdk-otel/bench/bench.mjs peers`
// after a build): our CDN bundle beside other browser SDKs, each a pinned devDependency of sdk-otel
// bundled here the same way (esbuild, IIFE, minified, ES2020; every package resolved to one copy, for
// @opentelemetry/* the one on the repository's 2.12.0 / 0.223.0 line, checked), loaded the same way (<script src>, then an inline init script) in the same
// page, in interleaved rounds, one fresh browser context per load.
//
// Startup: main-thread CPU (trace events' thread time) of the bundle's evaluation (with its
// main-thread compile), of the init script, and of the SDK's own tasks in the first second after
// init: in every task in which a function of the bundle or of the init script ran (a FunctionCall
// event or a CPU profile sample naming one of their scripts), the thread time of the SDK's functions
// the browser called (or of the whole task, where its code ran in promise reactions). The same
// accounting for every SDK; `_deferred_whole_tasks_cpu_ms` counts those tasks whole.
// Per event: main-thread CPU (Chromium's ThreadTime) of a burst of real clicks, of fetches and of
// route changes on a page with the SDK, minus the same burst on the page without any SDK, per event.
// Prints key=value lines: each figure, then `ours / peer` ratios.
// PEERS_ROUNDS (default 15) startup rounds; PEERS_EVENT_ROUNDS (default 3) of them also measure
// per-event costs; PEERS_ONLY=ours,otel limits the SDKs (names below); PEERS_OURS_VARIANTS=name=file,...
// adds other builds of our CDN bundle (to try a change against the same peers); PEERS_INLINE=1 inlines
// the bundles; PEERS_DEBUG=<name> prints each task counted; PEERS_LIST_PACKAGES=1 each bundle's packages.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import os from 'node:os';
import { createServer } from 'node:http';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';
import { launchChromium } from './chromium.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const repo = path.join(here, '..', '..');
const ROUNDS = Number(process.env.PEERS_ROUNDS || 15);
const EVENT_ROUNDS = Number(process.env.PEERS_EVENT_ROUNDS || 3);
/** How long after the init script the SDK's own tasks count towards its startup. */
const STARTUP_WINDOW_MS = 1000;
/**
 * PEERS_INLINE=1: each bundle inlined in the page instead of loaded with <script src>. An inline
 * script is compiled on the main thread while it is evaluated; a <script src> is compiled on a
 * background thread while it streams in (functions compiled lazily at their first call excepted).
 */
const INLINE = process.env.PEERS_INLINE === '1';
const CLICKS = 20;
const FETCHES = 20;
const ROUTES = 20;

const ours = readFileSync(path.join(here, '..', 'dist/cdn/otel-rum.min.js'), 'utf8');

/**
 * The peers: the module that esbuild bundles (it exposes `BENCH_PEER.init(origin)`) and what the
 * init script runs. Each with the features a RUM user turns on: page load, fetch/XHR with trace
 * context to the page's origin, user interactions, errors where the SDK has them.
 */
const PEERS = {
  otel: {
    title: 'OpenTelemetry JS web (sdk-trace-web, document-load, fetch, XHR, user-interaction)',
    source: `
import { WebTracerProvider } from '@opentelemetry/sdk-trace-web';
import { BatchSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { registerInstrumentations } from '@opentelemetry/instrumentation';
import { DocumentLoadInstrumentation } from '@opentelemetry/instrumentation-document-load';
import { FetchInstrumentation } from '@opentelemetry/instrumentation-fetch';
import { XMLHttpRequestInstrumentation } from '@opentelemetry/instrumentation-xml-http-request';
import { UserInteractionInstrumentation } from '@opentelemetry/instrumentation-user-interaction';
window.BENCH_PEER = {
  init(origin) {
    const provider = new WebTracerProvider({
      resource: resourceFromAttributes({ 'service.name': 'demo-shop', 'service.version': '1.0.0' }),
      spanProcessors: [new BatchSpanProcessor(new OTLPTraceExporter({ url: origin + '/v1/traces' }))],
    });
    provider.register();
    registerInstrumentations({
      instrumentations: [
        new DocumentLoadInstrumentation(),
        new FetchInstrumentation({ propagateTraceHeaderCorsUrls: [origin] }),
        new XMLHttpRequestInstrumentation({ propagateTraceHeaderCorsUrls: [origin] }),
        new UserInteractionInstrumentation(),
      ],
    });
  },
};`,
  },
  sentry: {
    title: '@sentry/browser + browserTracingIntegration',
    source: `
import { init, browserTracingIntegration } from '@sentry/browser';
window.BENCH_PEER = {
  init(origin) {
    init({
      dsn: 'http://public@' + location.host + '/1',
      integrations: [browserTracingIntegration()],
      tracesSampleRate: 1,
      tracePropagationTargets: [origin],
      release: '1.0.0',
      environment: 'bench',
    });
  },
};`,
  },
  faro: {
    title: '@grafana/faro-web-sdk (getWebInstrumentations)',
    source: `
import { initializeFaro, getWebInstrumentations } from '@grafana/faro-web-sdk';
window.BENCH_PEER = {
  init(origin) {
    initializeFaro({
      url: origin + '/collect',
      app: { name: 'demo-shop', version: '1.0.0', environment: 'bench' },
      instrumentations: getWebInstrumentations(),
    });
  },
};`,
  },
  faro_tracing: {
    title: '@grafana/faro-web-sdk (getWebInstrumentations) + @grafana/faro-web-tracing',
    source: `
import { initializeFaro, getWebInstrumentations } from '@grafana/faro-web-sdk';
import { TracingInstrumentation } from '@grafana/faro-web-tracing';
window.BENCH_PEER = {
  init(origin) {
    initializeFaro({
      url: origin + '/collect',
      app: { name: 'demo-shop', version: '1.0.0', environment: 'bench' },
      instrumentations: [...getWebInstrumentations(), new TracingInstrumentation()],
    });
  },
};`,
  },
  datadog: {
    title: '@datadog/browser-rum (replay off: it is measured by the replay bench)',
    source: `
import { datadogRum } from '@datadog/browser-rum';
window.BENCH_PEER = {
  init(origin) {
    datadogRum.init({
      applicationId: '00000000-0000-4000-8000-000000000000',
      clientToken: 'pub00000000000000000000000000000000',
      site: 'datadoghq.com',
      proxy: origin + '/datadog',
      service: 'demo-shop',
      version: '1.0.0',
      env: 'bench',
      sessionSampleRate: 100,
      sessionReplaySampleRate: 0,
      trackUserInteractions: true,
      trackResources: true,
      trackLongTasks: true,
      allowedTracingUrls: [origin],
    });
  },
};`,
  },
};

/** The OpenTelemetry JS line the repository stays on: every copy bundled must be of it. */
const OTEL_LINE = ['2.12.0', '0.223.0'];

/** Every installed copy of package `name` (folders of its package.json) in the repository's node_modules trees. */
function copiesOf(name) {
  const roots = [repo, path.join(repo, 'sdk-otel'), path.join(repo, 'tests')].map((d) =>
    path.join(d, 'node_modules'),
  );
  const found = [];
  const look = (nm, depth) => {
    const dir = path.join(nm, name);
    if (existsSync(path.join(dir, 'package.json'))) found.push(dir);
    if (depth === 0 || !existsSync(nm)) return;
    for (const entry of readdirSync(nm)) {
      const owners = entry.startsWith('@')
        ? readdirSync(path.join(nm, entry)).map((e) => path.join(entry, e))
        : [entry];
      for (const owner of owners) look(path.join(nm, owner, 'node_modules'), depth - 1);
    }
  };
  for (const r of roots) look(r, 1);
  return found;
}
const versionOf = (dir) => JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8')).version;

/**
 * One copy of each package per bundle, whatever npm's layout: each bare import is resolved as usual,
 * then moved to the package's chosen copy, for @opentelemetry/* the copy on the repository's line
 * (OTEL_LINE) where one is installed (api, semantic-conventions and the contrib instrumentations
 * are versioned on their own: the first copy resolved), for other packages the first copy resolved. The metafile is checked afterwards (checkOneCopy).
 */
function oneCopy() {
  const chosen = new Map();
  return {
    name: 'one-copy-of-each-package',
    setup(b) {
      b.onResolve({ filter: /^[^./]/ }, async (args) => {
        if (args.pluginData?.again) return undefined;
        const r = await b.resolve(args.path, {
          kind: args.kind,
          resolveDir: args.resolveDir,
          pluginData: { again: true },
        });
        const m = /^(.*node_modules\/((?:@[^/]+\/)?[^/]+))\/(.*)$/.exec(r.path ?? '');
        if (r.errors.length || !m) return r;
        const [, dir, name, rest] = m;
        if (!chosen.has(name)) {
          let pick = dir;
          if (name.startsWith('@opentelemetry/') && !OTEL_LINE.includes(versionOf(dir))) {
            // Packages versioned on their own (api, semantic-conventions, contrib instrumentations) have no copy on it.
            const onLine = copiesOf(name).filter((d) => OTEL_LINE.includes(versionOf(d)));
            if (onLine.length) pick = onLine[0];
          }
          chosen.set(name, pick);
        }
        return { ...r, path: path.join(chosen.get(name), rest) };
      });
    },
  };
}

/** A bundle's npm packages; throws if one came from two folders (two copies). */
function checkOneCopy(name, metafile) {
  const dirs = new Map();
  for (const input of Object.keys(metafile.inputs)) {
    const m = /^(.*node_modules\/((?:@[^/]+\/)?[^/]+))\//.exec(input);
    if (!m) continue;
    if (!dirs.has(m[2])) dirs.set(m[2], new Set());
    dirs.get(m[2]).add(m[1]);
  }
  for (const [pkg, where] of dirs)
    if (where.size > 1)
      throw new Error(`bench peers: ${name} bundles ${pkg} from ${[...where].join(' and ')}`);
  return [...dirs].map(([pkg, where]) => `${pkg}@${versionOf(path.join(repo, [...where][0]))}`);
}

async function bundlePeer(name, source) {
  const out = await build({
    stdin: { contents: source, resolveDir: here, loader: 'js', sourcefile: `${name}-entry.js` },
    bundle: true,
    format: 'iife',
    minify: true,
    platform: 'browser',
    target: 'es2020',
    legalComments: 'none',
    define: { 'process.env.NODE_ENV': '"production"' },
    plugins: [oneCopy()],
    metafile: true,
    write: false,
    logLevel: 'error',
  });
  const packages = checkOneCopy(name, out.metafile);
  if (process.env.PEERS_LIST_PACKAGES) console.log(`# ${name} bundles ${packages.join(' ')}`);
  return out.outputFiles[0].text;
}

const only = process.env.PEERS_ONLY?.split(',');
const sdks = { ours: { title: 'ours (CDN bundle, dist/cdn/otel-rum.min.js)', bundle: ours } };
for (const [name, peer] of Object.entries(PEERS))
  if (!only || only.includes(name)) sdks[name] = { ...peer, bundle: await bundlePeer(name, peer.source) };
if (only) for (const name of Object.keys(sdks)) if (!only.includes(name)) delete sdks[name];

// PEERS_OURS_VARIANTS=name=path,...: other builds of our CDN bundle beside it (when trying a change).
for (const v of process.env.PEERS_OURS_VARIANTS?.split(',') ?? []) {
  const [name, file] = v.split('=');
  sdks[name] = { title: `ours, built as ${file}`, bundle: readFileSync(file, 'utf8'), ours: true };
}
sdks.ours.ours = true;

const initScript = (name) =>
  sdks[name].ours
    ? `OtelRum.init({ appId: 'bench', endpoint: location.origin, service: { name: 'demo-shop', version: '1.0.0' }, environment: 'bench', allowedTracingUrls: [location.origin] });`
    : 'BENCH_PEER.init(location.origin);';

/** The bench's demo page (bench/demo.html's body), the SDK loaded with <script src>; `bare` has none. */
const page = (name) => `<!doctype html>
<html><head><meta charset="utf-8"><title>Demo shop</title>
<script>window.__t0 = performance.now();</script>
${name === 'bare' ? '' : `${INLINE ? `<script>${sdks[name].bundle}\n//# sourceURL=/sdk/${name}.js\n</script>` : `<script src="/sdk/${name}.js"></script>`}\n<script>${initScript(name)}</script>`}
</head><body>
<nav><a href="#/">Home</a> <a href="#/cart">Cart</a></nav>
<main><h1 id="title">Products</h1><ul id="products"></ul>
<button id="add" data-rum-action="Add to cart">Add</button> <span id="count">0</span>
<input placeholder="Search products" /></main>
<script>
var list = document.getElementById('products');
for (var i = 0; i < 50; i++) { var li = document.createElement('li'); li.textContent = 'Product ' + i; list.appendChild(li); }
var count = 0;
document.getElementById('add').addEventListener('click', function () { document.getElementById('count').textContent = String(++count); });
</script></body></html>`;

const server = createServer((req, res) => {
  if (req.method === 'POST') {
    req.resume();
    req.on('end', () => res.writeHead(200, { 'Content-Type': 'application/json' }).end('{}'));
    return;
  }
  const url = new URL(req.url, 'http://x');
  const sdk = /^\/sdk\/(\w+)\.js$/.exec(url.pathname)?.[1];
  if (sdk && sdks[sdk])
    return res.writeHead(200, { 'Content-Type': 'text/javascript' }).end(sdks[sdk].bundle);
  if (url.pathname.startsWith('/api/'))
    return res.writeHead(200, { 'Content-Type': 'application/json' }).end('{"ok":true}');
  res.writeHead(200, { 'Content-Type': 'text/html' }).end(page(url.searchParams.get('sdk') ?? 'bare'));
});
await new Promise((r) => server.listen(0, '127.0.0.1', r));
const origin = `http://127.0.0.1:${server.address().port}`;

const TASKS = new Set(['ThreadControllerImpl::RunTask', 'BlinkScheduler_PerformMicrotaskCheckpoint']);

/** Startup CPU of one traced load (see the top of this file), ms of main-thread thread time. */
function startupCpu(events, name) {
  // The page's scripts in order: the clock, the bundle, the init script, the page's own.
  const start = events.find((e) => e.name === 'v8.compile' && e.args?.data?.url?.startsWith(origin));
  if (!start) throw new Error(`bench peers: no script of ${name}'s page in the trace`);
  const { pid, tid } = start;
  const main = events.filter((e) => e.pid === pid && e.tid === tid);
  const scripts = main.filter((e) => e.name === 'EvaluateScript' && e.ph === 'X').sort((a, b) => a.ts - b.ts);
  if (scripts.length !== 4)
    throw new Error(`bench peers: expected 4 scripts on ${name}'s page, got ${scripts.length}`);
  const [, bundleEval, init] = scripts;
  // Script ids of the bundle and the init script, from their compile events (an inline script's
  // inside its evaluation; a streamed one's may come before it, named by its URL).
  const compiles = main.filter((e) => e.name === 'v8.compile' && e.args?.data?.scriptId);
  const inside = (e, outer) => e.ts >= outer.ts && e.ts + e.dur <= outer.ts + outer.dur;
  const bundleCompiles = compiles.filter(
    (c) => c.args.data.url?.endsWith(`/sdk/${name}.js`) || inside(c, bundleEval),
  );
  const initCompile = compiles.find((c) => inside(c, init));
  const ids = new Set([...bundleCompiles, initCompile].map((c) => String(c?.args.data.scriptId)));
  const ms = (e) => (e.tdur ?? e.dur) / 1000;
  const evaluation =
    ms(bundleEval) + bundleCompiles.filter((c) => !inside(c, bundleEval)).reduce((s, c) => s + ms(c), 0);

  // CPU profile samples (trace category disabled-by-default-v8.cpu_profiler) whose stack holds one of
  // those scripts: their times, in the trace's clock.
  const nodes = new Map();
  const sdkSampleTimes = [];
  const profile = events.find((e) => e.name === 'Profile' && e.pid === pid);
  let t = profile?.args?.data?.startTime ?? 0;
  for (const chunk of events.filter(
    (e) => e.name === 'ProfileChunk' && e.pid === pid && e.id === profile?.id,
  )) {
    const cpu = chunk.args.data.cpuProfile ?? {};
    for (const n of cpu.nodes ?? []) nodes.set(n.id, n);
    const deltas = chunk.args.data.timeDeltas ?? [];
    (cpu.samples ?? []).forEach((id, k) => {
      t += deltas[k] ?? 0;
      for (let n = nodes.get(id); n; n = nodes.get(n.parent))
        if (ids.has(String(n.callFrame.scriptId))) {
          sdkSampleTimes.push(t);
          break;
        }
    });
  }
  const from = init.ts + init.dur;
  const until = from + STARTUP_WINDOW_MS * 1000;
  const calls = main.filter((e) => e.name === 'FunctionCall' && ids.has(String(e.args?.data?.scriptId)));
  // Top-level tasks only (a microtask checkpoint may run inside a task).
  const tops = [];
  for (const e of main
    .filter((x) => x.ph === 'X' && TASKS.has(x.name))
    .sort((a, b) => a.ts - b.ts || b.dur - a.dur))
    if (!tops.length || e.ts >= tops.at(-1).ts + tops.at(-1).dur) tops.push(e);
  let deferred = 0;
  let wholeTasks = 0;
  let tasks = 0;
  for (const task of tops) {
    if (task.ts < from || task.ts > until) continue;
    const own = calls.filter((c) => inside(c, task));
    if (!own.length && !sdkSampleTimes.some((s) => s >= task.ts && s <= task.ts + task.dur)) continue;
    // The SDK's part of the task: its functions called by the browser (outermost calls; a task such
    // as the one dispatching the load event runs other listeners and the browser's work too), or the
    // whole task where its code ran without such a call (promise reactions).
    const outermost = own.filter((c) => !own.some((o) => o !== c && inside(c, o)));
    const part = outermost.length ? outermost.reduce((sum, c) => sum + ms(c), 0) : ms(task);
    deferred += part;
    wholeTasks += ms(task);
    tasks++;
    if (process.env.PEERS_DEBUG === name) {
      const kids = main
        .filter((e) => e.ph === 'X' && e !== task && inside(e, task) && (e.tdur ?? e.dur) > 50)
        .map(
          (e) =>
            `${e.name}${e.args?.data?.functionName ? `(${e.args.data.functionName})` : ''}${e.args?.data?.type ? `[${e.args.data.type}]` : ''} ${ms(e).toFixed(2)}`,
        );
      console.log(
        `# ${name} task at +${((task.ts - from) / 1000).toFixed(1)} ms: ${ms(task).toFixed(2)} ms, SDK ${part.toFixed(2)}: ${kids.join(', ')}`,
      );
    }
  }
  return { evaluation, init: ms(init), deferred, wholeTasks, tasks };
}

const browser = await launchChromium();
const results = Object.fromEntries(Object.keys(sdks).map((k) => [k, { startup: [], events: [] }]));
const bareEvents = [];

async function threadTime(cdp) {
  return (await cdp.send('Performance.getMetrics')).metrics.find((m) => m.name === 'ThreadTime').value * 1000;
}

/** Main-thread CPU (ms) of CLICKS real clicks, FETCHES fetches and ROUTES route changes on a loaded page. */
async function eventCosts(p, cdp) {
  await cdp.send('Performance.enable');
  const out = {};
  let t = await threadTime(cdp);
  const lap = async (key) => {
    await p.waitForTimeout(500); // what the SDK does after the last event (its timers) counts too
    const now = await threadTime(cdp);
    out[key] = now - t;
    t = await threadTime(cdp);
  };
  for (let i = 0; i < CLICKS; i++) {
    await p.click('#add');
    await p.waitForTimeout(100);
  }
  await lap('click');
  await p.evaluate(async (n) => {
    for (let i = 0; i < n; i++) await (await fetch(`/api/products?page=${i}`)).json();
  }, FETCHES);
  await lap('fetch');
  await p.evaluate(async (n) => {
    for (let i = 0; i < n; i++) {
      history.pushState({}, '', `/category/${i}`);
      document.getElementById('title').textContent = `Category ${i}`;
      await new Promise((r) => setTimeout(r, 50));
    }
  }, ROUTES);
  await lap('route');
  return out;
}

try {
  const names = Object.keys(sdks);
  for (let r = 0; r < ROUNDS; r++) {
    // Rotate the order, so that no SDK always follows the same one.
    const order = names.map((_, i) => names[(i + r) % names.length]);
    for (const name of order) {
      const context = await browser.newContext();
      const p = await context.newPage();
      await browser.startTracing(p, {
        categories: ['devtools.timeline', 'toplevel', 'v8.execute', 'disabled-by-default-v8.cpu_profiler'],
      });
      await p.goto(`${origin}/?sdk=${name}&r=${r}`);
      await p.waitForTimeout(STARTUP_WINDOW_MS + 200);
      const trace = JSON.parse((await browser.stopTracing()).toString()).traceEvents;
      results[name].startup.push(startupCpu(trace, name));
      if (r < EVENT_ROUNDS) results[name].events.push(await eventCosts(p, await context.newCDPSession(p)));
      await context.close();
    }
    if (r < EVENT_ROUNDS) {
      const context = await browser.newContext();
      const p = await context.newPage();
      await p.goto(`${origin}/?sdk=bare&r=${r}`);
      await p.waitForTimeout(STARTUP_WINDOW_MS + 200);
      bareEvents.push(await eventCosts(p, await context.newCDPSession(p)));
      await context.close();
    }
  }
} finally {
  await browser.close();
  server.close();
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const out = {};
const figures = {};
for (const [name, sdk] of Object.entries(sdks)) {
  const s = results[name].startup;
  const f = {
    gzip_kib: gzipSync(Buffer.from(sdk.bundle), { level: 9 }).length / 1024,
    startup_cpu_ms: median(s.map((x) => x.evaluation + x.init + x.deferred)),
    evaluation_cpu_ms: median(s.map((x) => x.evaluation)),
    init_cpu_ms: median(s.map((x) => x.init)),
    deferred_cpu_ms: median(s.map((x) => x.deferred)),
    deferred_tasks: median(s.map((x) => x.tasks)),
    // The same tasks counted whole (with the browser's and the page's work in them).
    deferred_whole_tasks_cpu_ms: median(s.map((x) => x.wholeTasks)),
  };
  // Per event: this SDK's burst minus the bare page's burst of the same round, per event.
  const per = (key, n) =>
    median(results[name].events.map((e, i) => ((e[key] - bareEvents[i][key]) * 1000) / n));
  f.click_cpu_us = per('click', CLICKS);
  f.fetch_cpu_us = per('fetch', FETCHES);
  f.route_change_cpu_us = per('route', ROUTES);
  figures[name] = f;
  console.log(`# ${name}: ${sdk.title}`);
  for (const [k, v] of Object.entries(f))
    out[`${name}_${k}`] =
      v === undefined ? 'n/a' : k === 'deferred_tasks' ? v : v.toFixed(k.endsWith('_us') ? 0 : 2);
}
for (const name of Object.keys(sdks).filter((n) => n !== 'ours'))
  for (const k of [
    'startup_cpu_ms',
    'evaluation_cpu_ms',
    'gzip_kib',
    'click_cpu_us',
    'fetch_cpu_us',
    'route_change_cpu_us',
  ])
    if (figures.ours[k] !== undefined && figures[name][k] !== undefined)
      out[`ratio_ours_to_${name}_${k.replace(/_(ms|us|kib)$/, '')}`] = (
        figures.ours[k] / figures[name][k]
      ).toFixed(2);
Object.assign(out, {
  rounds: ROUNDS,
  event_rounds: Math.min(EVENT_ROUNDS, ROUNDS),
  load_average_1m: os.loadavg()[0].toFixed(2),
  cpus: os.cpus().length,
});
for (const [k, v] of Object.entries(out)) console.log(`${k}=${v}`);

// Replay mode of the SDK bench (`node sdk-otel/bench/bench.mjs replay`, after a build): one page (a
// form, a 300-row list, a live ticker, a modal, two route changes) and one scripted session, recorded
// in the same run, interleaved, by our SDK at each privacy level (replay at 100 %, everything else
// default) and by plain rrweb `record()` with its default options, sending its JSON events every 5 s
// (the server also gzips each of those bodies at level 6: what a good sender would put on the wire).
// Datadog's RUM with session replay and Sentry's browser SDK with its replay integration, both at
// their defaults (pinned devDependencies, bundled here with esbuild), send to this server too (Datadog
// through its `proxy` option, Sentry to a DSN naming it); their CPU is over the page without a
// recorder, their whole SDK included.
// Prints, per recorder, KiB/min and requests/min as the server received them, and the main-thread CPU
// of the session over the same session without a recorder (Chromium's ThreadTime; for ours also over
// the SDK without replay: the recording alone), then ratios.
// REPLAY_BENCH_SECONDS (default 60) sets the session's length, REPLAY_BENCH_ROUNDS (default 1) the rounds.
import { readFileSync } from 'node:fs';
import os from 'node:os';
import { createServer } from 'node:http';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';
import { launchChromium } from './chromium.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const require = createRequire(import.meta.url);
const dist = path.join(here, '..', 'dist');
const SECONDS = Number(process.env.REPLAY_BENCH_SECONDS || 60);
const ROUNDS = Number(process.env.REPLAY_BENCH_ROUNDS || 1);
/** How often the rrweb page sends what it recorded (as our SDK did before issue 20, and Sentry does). */
const RRWEB_FLUSH_MS = 5000;

const bundle = readFileSync(path.join(dist, 'cdn/otel-rum.min.js'), 'utf8');
const replayChunk = readFileSync(path.join(dist, 'cdn/otel-rum-replay.min.js'), 'utf8');
const rrwebRecord = readFileSync(
  path.join(path.dirname(require.resolve('@rrweb/record')), 'record.umd.min.cjs'),
  'utf8',
);

/** An npm package's browser build as one script that defines `global`. */
async function iife(code) {
  const out = await build({
    stdin: { contents: code, resolveDir: here, loader: 'js' },
    bundle: true,
    format: 'iife',
    minify: true,
    platform: 'browser',
    target: 'es2020',
    write: false,
    logLevel: 'error',
  });
  return out.outputFiles[0].text;
}
const datadog = await iife(
  "import { datadogRum } from '@datadog/browser-rum'; window.BENCH_DD = datadogRum;",
);
const sentry = await iife("import * as Sentry from '@sentry/browser'; window.BENCH_SENTRY = Sentry;");

const rows = Array.from(
  { length: 300 },
  (_, i) =>
    `<tr><td>Customer ${i} Lovelace</td><td>order ${1000 + i}: ${1 + (i % 7)} x widget ${i % 13}</td><td>${(i * 3.7).toFixed(2)} EUR</td></tr>`,
).join('');
const page = (recorder) => `<!doctype html>
<html><head><title>Shop orders</title>
<style>body{font:14px sans-serif} #modal{position:fixed;top:20%;left:20%;background:#fff;border:1px solid}</style>
${recorder}
</head><body>
<nav><a href="/orders" id="nav-orders">Orders</a> <a href="/account" id="nav-account">Account</a></nav>
<main id="main">
<h1>Checkout for Ada Lovelace</h1>
<form id="form">
<label>Name <input id="name"></label> <label>Email <input id="email" type="email"></label>
<label>Address <input id="address"></label> <label>Message <textarea id="message"></textarea></label>
<select id="ship"><option>Standard</option><option>Express</option></select>
<button type="button" id="open">Confirm</button>
</form>
<p>Price now: <span id="ticker">100.00</span> EUR</p>
<table id="list">${rows}</table>
</main>
<div id="modal" hidden><p>Confirm the order of Ada Lovelace, 12 Analytical Street?</p><button id="close">Close</button></div>
<script>
let price = 100;
setInterval(() => { price += Math.random() - 0.5; document.getElementById('ticker').textContent = price.toFixed(2); }, 1000);
document.getElementById('open').onclick = () => (document.getElementById('modal').hidden = false);
document.getElementById('close').onclick = () => (document.getElementById('modal').hidden = true);
for (const a of document.querySelectorAll('nav a'))
  a.onclick = (e) => {
    e.preventDefault();
    history.pushState(null, '', a.getAttribute('href'));
    const h = document.querySelector('h1');
    h.textContent = a.textContent + ' of Ada Lovelace';
    const t = document.getElementById('list');
    t.innerHTML = t.innerHTML.replaceAll('widget', a.id === 'nav-orders' ? 'gadget' : 'gizmo');
  };
</script>
</body></html>`;

const ours = (privacy, rate = 100) =>
  `<script>${bundle}</script><script>OtelRum.init({ appId: 'bench', endpoint: location.origin, replaySampleRate: ${rate}, privacy: '${privacy}' });</script>`;
const rrweb = `<script>${rrwebRecord}</script><script>
let events = [];
const send = () => {
  if (!events.length) return;
  const body = JSON.stringify(events);
  events = [];
  fetch('/rrweb', { method: 'POST', body, keepalive: body.length < 65536, headers: { 'Content-Type': 'application/json' } });
};
rrwebRecord.record({ emit: (e) => events.push(e) });
setInterval(send, ${RRWEB_FLUSH_MS});
addEventListener('pagehide', send);
</script>`;

const datadogPage = `<script>${datadog}</script><script>
BENCH_DD.init({
  applicationId: '00000000-0000-4000-8000-000000000000',
  clientToken: 'pub00000000000000000000000000000000',
  site: 'datadoghq.com',
  proxy: location.origin + '/datadog',
  sessionSampleRate: 100,
  sessionReplaySampleRate: 100,
});
</script>`;
const sentryPage = `<script>${sentry}</script><script>
BENCH_SENTRY.init({
  dsn: 'http://public@' + location.host + '/1',
  integrations: [BENCH_SENTRY.replayIntegration()],
  replaysSessionSampleRate: 1.0,
});
</script>`;

const recorders = {
  none: '',
  // The SDK without replay: what our recording costs is the difference.
  ours_no_replay: ours('mask', 0),
  ours_mask: ours('mask'),
  'ours_mask-user-input': ours('mask-user-input'),
  ours_allow: ours('allow'),
  rrweb_defaults: rrweb,
  datadog_defaults: datadogPage,
  sentry_defaults: sentryPage,
};

// What the server received, per recorder: request bodies as they came, and for rrweb gzip -6 of them.
let current;
const server = createServer((req, res) => {
  if (req.method === 'POST') {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      // Replay requests: ours are OTLP protobuf, rrweb's go to /rrweb, Datadog's to its replay intake
      // (named in the proxied URL), Sentry's are envelopes holding replay items.
      const replay =
        req.url === '/rrweb' ||
        req.headers['content-type'] === 'application/x-protobuf' ||
        (req.url.startsWith('/datadog') && decodeURIComponent(req.url).includes('/replay')) ||
        (req.url.includes('/envelope/') && body.includes('"type":"replay_'));
      if (current) {
        current.requests++;
        current.bytes += body.length;
        if (replay) {
          current.replayRequests++;
          current.replayBytes += body.length;
          current.gzipBytes += req.url === '/rrweb' ? gzipSync(body, { level: 6 }).length : body.length;
        } else current.gzipBytes += body.length;
      }
      res.writeHead(200, { 'Content-Type': 'application/json' }).end('{}');
    });
    return;
  }
  if (req.url.startsWith('/otel-rum-replay.min.js'))
    return res.writeHead(200, { 'Content-Type': 'text/javascript' }).end(replayChunk);
  const name = new URL(req.url, 'http://x').searchParams.get('r') ?? 'none';
  res.writeHead(200, { 'Content-Type': 'text/html' }).end(page(recorders[name]));
});
await new Promise((r) => server.listen(0, '127.0.0.1', r));
const origin = `http://127.0.0.1:${server.address().port}`;

/** The scripted session: typing, scrolling, a modal, two route changes, idle time, then the page is left. */
async function session(p) {
  const started = Date.now();
  const until = async (s) => {
    const wait = started + s * 1000 - Date.now();
    if (wait > 0) await p.waitForTimeout(wait);
  };
  const at = (share) => (SECONDS * share) / 60;
  await until(at(1));
  await p.click('#name');
  await p.keyboard.type('Ada Lovelace', { delay: 60 });
  await p.click('#email');
  await p.keyboard.type('ada@example.com', { delay: 60 });
  await p.click('#address');
  await p.keyboard.type('12 Analytical Street', { delay: 60 });
  await until(at(10));
  for (let i = 0; i < 10; i++) {
    await p.mouse.wheel(0, 400);
    await p.waitForTimeout(150);
  }
  await until(at(16));
  await p.click('#open');
  await until(at(20));
  await p.click('#close');
  await until(at(24));
  await p.click('#nav-orders');
  await until(at(32));
  await p.click('#message');
  await p.keyboard.type('Please ring twice, the bell is broken.', { delay: 50 });
  await p.selectOption('#ship', 'Express');
  await until(at(40));
  await p.click('#nav-account');
  await until(at(60));
}

const browser = await launchChromium();
const results = Object.fromEntries(Object.keys(recorders).map((k) => [k, []]));
for (let round = 0; round < ROUNDS; round++) {
  for (const name of Object.keys(recorders)) {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    const p = await context.newPage();
    const cdp = await context.newCDPSession(p);
    await cdp.send('Performance.enable');
    const thread = async () =>
      (await cdp.send('Performance.getMetrics')).metrics.find((m) => m.name === 'ThreadTime').value;
    current = { requests: 0, bytes: 0, gzipBytes: 0, replayRequests: 0, replayBytes: 0 };
    const before = await thread();
    await p.goto(`${origin}/?r=${name}`);
    await session(p);
    const cpuMs = ((await thread()) - before) * 1000;
    // Page hide: what the recorder sends at the end is counted too.
    await p.goto('about:blank');
    await p.waitForTimeout(1500);
    results[name].push({ ...current, cpuMs });
    current = undefined;
    await context.close();
  }
}
await browser.close();
server.close();

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const perMin = (x) => (x * 60) / SECONDS;
const kib = (b) => perMin(b) / 1024;
const m = (name, key) => median(results[name].map((r) => r[key]));
const noneCpu = m('none', 'cpuMs');
const out = {
  replay_bench_seconds: SECONDS,
  replay_bench_rounds: ROUNDS,
  load_average_1m: os.loadavg()[0].toFixed(2),
};
for (const name of Object.keys(recorders)) {
  if (name === 'none') {
    out.replay_none_cpu_ms = noneCpu.toFixed(0);
    continue;
  }
  const k = `replay_${name.replace(/-/g, '_')}`;
  out[`${k}_wire_kib_per_min`] = kib(m(name, 'bytes')).toFixed(1);
  out[`${k}_replay_kib_per_min`] = kib(m(name, 'replayBytes')).toFixed(1);
  if (name === 'rrweb_defaults') out[`${k}_gzip6_kib_per_min`] = kib(m(name, 'gzipBytes')).toFixed(1);
  out[`${k}_requests_per_min`] = perMin(m(name, 'requests')).toFixed(1);
  out[`${k}_replay_requests_per_min`] = perMin(m(name, 'replayRequests')).toFixed(1);
  // Over the page without a recorder; ours also over the SDK without replay (the recording alone).
  out[`${k}_cpu_over_none_ms`] = (m(name, 'cpuMs') - noneCpu).toFixed(0);
  if (name.startsWith('ours_') && name !== 'ours_no_replay')
    out[`${k}_recording_cpu_ms`] = (m(name, 'cpuMs') - m('ours_no_replay', 'cpuMs')).toFixed(0);
}
const rrGzip = m('rrweb_defaults', 'gzipBytes');
const rrCpu = m('rrweb_defaults', 'cpuMs') - noneCpu;
const oursBase = m('ours_no_replay', 'cpuMs');
for (const level of ['mask', 'mask-user-input', 'allow']) {
  const name = `ours_${level}`;
  const k = level.replace(/-/g, '_');
  out[`replay_ratio_${k}_to_rrweb_gzip6_bytes`] = (m(name, 'replayBytes') / rrGzip).toFixed(2);
  out[`replay_ratio_${k}_recording_to_rrweb_cpu`] = ((m(name, 'cpuMs') - oursBase) / rrCpu).toFixed(2);
}
for (const [k, v] of Object.entries(out)) console.log(`${k}=${v}`);

// Replay bandwidth on the demo shop (tests/demo/shop.ts), part of `npm run bench:sdk` (or alone:
// `node sdk-otel/bench/bench.mjs replay-shop`, after a build): one scripted session (route changes,
// a fetch, typing, full page loads, scrolling a reviews list that grows, a review posted) recorded in
// the same run, one after the other, by our SDK (replay at 100 %, the shop's own init, privacy at its
// default `mask`), by Datadog's RUM with session replay (pinned devDependency, its defaults, replay at
// 100 %) and by plain rrweb `record()` with its default options sending its JSON every 5 s. The shop's
// pages load the SDK from /otel-rum.min.js; for the peers that script is swapped for one that starts
// their recorder instead (the pages are otherwise the same bytes).
// Prints, per recorder, the replay bytes the collector received per minute of session, in kB (1000
// bytes), and requests per minute; for rrweb also its bodies gzipped at level 6 (what a sender that
// compresses would put on the wire). `replay_kb_per_min` is ours.
// REPLAY_SHOP_SECONDS (default 40) sets the session's length; `--full` (or 120) is the two-minute
// session. The script's steps keep their share of the session whatever its length.
// REPLAY_SHOP_ONLY=ours|datadog|rrweb records with one only; REPLAY_SHOP_DEBUG=1 prints where our bytes go
// (each request's segments with their JSON by rrweb event type, then per minute: Resource, segment
// bodies, segment attributes, the rest of the records, framing, and the bodies' compression ratio);
// REPLAY_SHOP_DUMP=<folder> writes our replay requests there as received, one file each.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync, gzipSync, inflateRawSync, inflateSync } from 'node:zlib';
import { build } from 'esbuild';
import { launchChromium } from './chromium.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const repo = path.join(here, '..', '..');
const require = createRequire(import.meta.url);
/** The full session: two minutes. */
const FULL_SECONDS = 120;
const SECONDS = process.argv.includes('--full')
  ? FULL_SECONDS
  : Number(process.env.REPLAY_SHOP_SECONDS || 40);
const RRWEB_FLUSH_MS = 5000;

// The demo shop, bundled from its TypeScript source for this process, its packages left to Node to
// resolve: so the bundle is written under the repository's node_modules (a tool cache), not /tmp.
mkdirSync(path.join(repo, 'node_modules', '.cache'), { recursive: true });
const tmp = mkdtempSync(path.join(repo, 'node_modules', '.cache', 'replay-shop-'));
await build({
  entryPoints: [path.join(repo, 'tests/demo/shop.ts')],
  bundle: true,
  platform: 'node',
  format: 'cjs',
  packages: 'external',
  outfile: path.join(tmp, 'shop.cjs'),
  logLevel: 'error',
});
const { startShop } = require(path.join(tmp, 'shop.cjs'));
rmSync(tmp, { recursive: true, force: true });

const rrwebRecord = readFileSync(
  path.join(path.dirname(require.resolve('@rrweb/record')), 'record.umd.min.cjs'),
  'utf8',
);
const datadog = (
  await build({
    stdin: {
      contents: "import { datadogRum } from '@datadog/browser-rum'; window.BENCH_DD = datadogRum;",
      resolveDir: here,
      loader: 'js',
    },
    bundle: true,
    format: 'iife',
    minify: true,
    platform: 'browser',
    target: 'es2020',
    write: false,
    logLevel: 'error',
  })
).outputFiles[0].text;

/** REPLAY_SHOP_DEBUG=1: where our replay bytes go, per request and in all (OTLP protobuf walked by hand). */
const byType = {};
const parts = {
  requests: 0,
  sent: 0,
  bytes: 0,
  resource: 0,
  scope: 0,
  attributes: 0,
  body: 0,
  json: 0,
  record: 0,
  segments: 0,
};
/** The fields of a protobuf message: [field number, wire type, value or bytes]. */
function fields(buf) {
  const out = [];
  let i = 0;
  const varint = () => {
    let n = 0;
    for (let m = 1; ; m *= 128) {
      const b = buf[i++];
      n += (b & 0x7f) * m;
      if (b < 0x80) return n;
    }
  };
  while (i < buf.length) {
    const tag = varint();
    const wire = tag & 7;
    if (wire === 0) out.push([tag >> 3, wire, varint()]);
    else if (wire === 1) out.push([tag >> 3, wire, buf.subarray(i, (i += 8))]);
    else if (wire === 5) out.push([tag >> 3, wire, buf.subarray(i, (i += 4))]);
    else if (wire === 2) {
      const n = varint();
      out.push([tag >> 3, wire, buf.subarray(i, (i += n))]);
    } else throw new Error(`wire type ${wire}`);
  }
  return out;
}
/** The JSON of a body: gzip members, a zlib or raw deflate stream, or JSON text. */
function inflated(b) {
  if (b[0] === 0x1f && b[1] === 0x8b) return gunzipSync(b).toString();
  if (b[0] === 0x5b) return b.toString();
  try {
    return inflateSync(b).toString();
  } catch {
    return inflateRawSync(b).toString();
  }
}
function breakdown(sent, encoding) {
  const request = encoding === 'gzip' ? gunzipSync(sent) : encoding === 'deflate' ? inflateSync(sent) : sent;
  parts.requests++;
  parts.sent += sent.length;
  parts.bytes += request.length;
  const segs = [];
  for (const [, , rl] of fields(request))
    for (const [f, , v] of fields(rl)) {
      if (f === 1) parts.resource += v.length;
      if (f !== 2) continue;
      for (const [g, , w] of fields(v)) {
        if (g === 1) parts.scope += w.length;
        if (g !== 2) continue;
        parts.segments++;
        parts.record += w.length;
        for (const [h, , x] of fields(w)) {
          if (h === 6) parts.attributes += x.length + 2;
          if (h !== 5) continue;
          const [[, , body]] = fields(x);
          parts.body += body.length;
          let text;
          try {
            text = inflated(Buffer.from(body));
          } catch (e) {
            segs.push(`${body.length} B undecodable (${e.message})`);
            continue;
          }
          parts.json += text.length;
          const types = {};
          try {
            for (const e of JSON.parse(text)) {
              const k = e.type === 3 ? `3.${e.data.source}` : String(e.type);
              const n = JSON.stringify(e).length;
              types[k] = (types[k] ?? 0) + n;
              byType[k] = (byType[k] ?? 0) + n;
            }
          } catch {
            segs.push(`${body.length} B of ${text.length} chars, not one JSON array`);
            continue;
          }
          segs.push(`${body.length} B of ${text.length} chars ${JSON.stringify(types)}`);
        }
      }
    }
  console.log(
    `# request of ${sent.length} B (${encoding ?? 'identity'}, ${request.length} B decoded): ${segs.join('; ')}`,
  );
}
process.on('exit', () => {
  if (!process.env.REPLAY_SHOP_DEBUG) return;
  console.log('# JSON bytes by event type', byType);
  const p = parts;
  const perMin = (x) => ((x * 60) / SECONDS / 1000).toFixed(2);
  console.log(
    `# ours per minute, kB: sent ${perMin(p.sent)}, requests decoded ${perMin(p.bytes)} = resource ${perMin(p.resource)} + scope ${perMin(p.scope)}` +
      ` + segment bodies ${perMin(p.body)} + segment attributes ${perMin(p.attributes)}` +
      ` + other record fields ${perMin(p.record - p.body - p.attributes)} + framing ${perMin(p.bytes - p.resource - p.scope - p.record)};` +
      ` ${p.requests} requests, ${p.segments} segments, bodies ${(p.json / p.body).toFixed(1)}:1 (${perMin(p.json)} kB/min of JSON)`,
  );
});

// The collector: counts what each recorder sends (CORS open: the shop is another origin).
let current;
let dumped = 0;
const collector = createServer((req, res) => {
  const cors = {
    'Access-Control-Allow-Origin': req.headers.origin ?? '*',
    'Access-Control-Allow-Headers': req.headers['access-control-request-headers'] ?? '*',
    'Access-Control-Allow-Methods': 'POST',
    'Access-Control-Allow-Credentials': 'true',
  };
  if (req.method === 'OPTIONS') return res.writeHead(204, cors).end();
  const chunks = [];
  req.on('data', (c) => chunks.push(c));
  req.on('end', () => {
    const body = Buffer.concat(chunks);
    const replay =
      req.url === '/rrweb' ||
      req.headers['content-type'] === 'application/x-protobuf' ||
      (req.url.startsWith('/datadog') && decodeURIComponent(req.url).includes('/replay'));
    if (current) {
      current.requests++;
      current.bytes += body.length;
      if (replay) {
        current.replayRequests++;
        current.replayBytes += body.length;
        if (req.url === '/rrweb') current.replayGzipBytes += gzipSync(body, { level: 6 }).length;
        if (process.env.REPLAY_SHOP_DUMP && req.headers['content-type'] === 'application/x-protobuf')
          writeFileSync(
            path.join(process.env.REPLAY_SHOP_DUMP, `${String(++dumped).padStart(3, '0')}.pb`),
            body,
          );
        if (process.env.REPLAY_SHOP_DEBUG && req.headers['content-type'] === 'application/x-protobuf')
          breakdown(body, req.headers['content-encoding']);
      }
    }
    res.writeHead(200, { ...cors, 'Content-Type': 'application/json' }).end('{}');
  });
});
await new Promise((r) => collector.listen(0, '127.0.0.1', r));
const endpoint = `http://127.0.0.1:${collector.address().port}`;
const shop = await startShop({
  appId: 'bench',
  endpoint,
  sdkBundle: path.join(here, '..', 'dist/cdn/otel-rum.min.js'),
});

// What each recorder's pages get instead of the SDK at /otel-rum.min.js (undefined: the SDK itself).
const shim = (body) => `window.OtelRum = { init: function () {}, onReady: function () {} };\n${body}`;
const recorders = {
  ours: undefined,
  datadog: shim(`${datadog};
BENCH_DD.init({
  applicationId: '00000000-0000-4000-8000-000000000000',
  clientToken: 'pub00000000000000000000000000000000',
  site: 'datadoghq.com',
  proxy: ${JSON.stringify(endpoint)} + '/datadog',
  service: 'demo-shop',
  sessionSampleRate: 100,
  sessionReplaySampleRate: 100,
});`),
  rrweb: shim(`${rrwebRecord};
(function () {
  var events = [];
  var send = function () {
    if (!events.length) return;
    var body = JSON.stringify(events);
    events = [];
    fetch(${JSON.stringify(endpoint)} + '/rrweb', { method: 'POST', body: body, keepalive: body.length < 65536, headers: { 'Content-Type': 'application/json' } });
  };
  rrwebRecord.record({ emit: function (e) { events.push(e); } });
  setInterval(send, ${RRWEB_FLUSH_MS});
  addEventListener('pagehide', send);
})();`),
};

/** The scripted session; each step at its share of SECONDS (written for two minutes). */
async function session(p) {
  const started = Date.now();
  const at = async (s) => {
    const wait = started + ((s * SECONDS) / FULL_SECONDS) * 1000 - Date.now();
    if (wait > 0) await p.waitForTimeout(wait);
  };
  await p.goto(`${shop.url}/`);
  await at(6);
  await p.click('#search'); // route change and a fetch
  await at(14);
  await p.goto(`${shop.url}/products/kettle`); // a full load
  await at(20);
  await p.click('#gift');
  await p.keyboard.type('happy birthday, see you on Sunday', { delay: 80 });
  await at(32);
  await p.click('#cart'); // route change
  await at(40);
  await p.goto(`${shop.url}/reviews`);
  for (let step = 0; step < 6; step++) {
    await at(46 + step * 8);
    for (let i = 0; i < 6; i++) {
      await p.mouse.wheel(0, 350);
      await p.waitForTimeout(120);
    }
    await p.click('#more'); // the list grows
  }
  await at(96);
  await p.click('#review-text');
  await p.keyboard.type('Great kettle, boils in two minutes and keeps the tea warm.', { delay: 70 });
  await p.click('#post');
  await at(108);
  await p.click('#home');
  await p.waitForLoadState();
  await at(FULL_SECONDS);
}

const browser = await launchChromium();
const results = {};
try {
  for (const [name, script] of Object.entries(recorders).filter(
    ([n]) => !process.env.REPLAY_SHOP_ONLY || n === process.env.REPLAY_SHOP_ONLY,
  )) {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    await context.addInitScript(() => {
      window.__shop = { replay: true };
    });
    if (script)
      await context.route('**/otel-rum.min.js', (route) =>
        route.fulfill({ status: 200, contentType: 'text/javascript', body: script }),
      );
    const p = await context.newPage();
    if (process.env.REPLAY_SHOP_DEBUG) p.on('console', (m) => console.log(`# ${name} console: ${m.text()}`));
    current = { requests: 0, bytes: 0, replayRequests: 0, replayBytes: 0, replayGzipBytes: 0 };
    await session(p);
    // Page hide: what the recorder sends at the end counts too.
    await p.goto('about:blank');
    await p.waitForTimeout(1500);
    results[name] = current;
    current = undefined;
    await context.close();
  }
} finally {
  await browser.close();
  await shop.close();
  collector.close();
}

const perMin = (x) => (x * 60) / SECONDS;
const kb = (bytes) => (perMin(bytes) / 1000).toFixed(1);
const r = results;
const out = { replay_shop_session_seconds: SECONDS };
const prefix = { ours: 'replay', datadog: 'replay_datadog', rrweb: 'replay_rrweb' };
for (const [name, x] of Object.entries(r)) {
  out[`${prefix[name]}_kb_per_min`] = kb(x.replayBytes);
  if (name === 'rrweb') out.replay_rrweb_gzip6_kb_per_min = kb(x.replayGzipBytes);
  out[`${prefix[name]}_requests_per_min`] = perMin(x.replayRequests).toFixed(1);
  if (name !== 'rrweb') out[`${prefix[name]}_whole_sdk_kb_per_min`] = kb(x.bytes);
}
if (r.ours && r.datadog)
  out.replay_ratio_ours_to_datadog = (r.ours.replayBytes / r.datadog.replayBytes).toFixed(2);
if (r.ours && r.rrweb) {
  out.replay_ratio_ours_to_rrweb = (r.ours.replayBytes / r.rrweb.replayBytes).toFixed(2);
  out.replay_ratio_ours_to_rrweb_gzip6 = (r.ours.replayBytes / r.rrweb.replayGzipBytes).toFixed(2);
}
// Against the lighter of Datadog's and rrweb's bodies gzipped (the stricter of the two rrweb figures).
if (r.ours && r.datadog && r.rrweb)
  out.replay_ratio_ours_to_lighter_peer = (
    r.ours.replayBytes / Math.min(r.datadog.replayBytes, r.rrweb.replayGzipBytes)
  ).toFixed(2);
for (const [k, v] of Object.entries(out)) console.log(`${k}=${v}`);

// A/B comparison of two or more builds of the CDN bundle, loads interleaved so that the machine's
// load hits every variant alike: `node sdk-otel/bench/ab.mjs /tmp/base-dist sdk-otel/dist` (each
// argument a dist folder holding cdn/otel-rum.min.js). Per round and variant: one load without
// tracing (wall time of init() plus its deferred start, as bench.mjs) and one traced load (main-thread
// CPU of the same, and the per-event cost). Prints medians and minimums per variant.
// AB_OUT=<file> also writes every load's numbers as JSON. AB_CPU_ONLY=1 skips the untraced loads (no
// wall times), so that the same time buys twice the rounds of the steadier CPU numbers. Not a test:
// run by hand when deciding whether a change pays.
import { readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { createServer } from 'node:http';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { launchChromium } from './chromium.mjs';
import { cpuTimes, wallTimes } from './measure.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const ROUNDS = Number(process.env.BENCH_RUNS || 15);
const CPU_ONLY = process.env.AB_CPU_ONLY === '1';
const dirs = process.argv.slice(2);
if (dirs.length < 2) throw new Error('usage: node ab.mjs <dist A> <dist B> [...]');

const demo = readFileSync(path.join(here, 'demo.html'), 'utf8');
const variants = dirs.map((d) => {
  const bundle = readFileSync(path.join(d, 'cdn/otel-rum.min.js'), 'utf8');
  return {
    name: d,
    gzip: gzipSync(Buffer.from(bundle), { level: 9 }).length,
    page: demo.replace('/*BUNDLE*/', () => bundle),
    wall: [],
    call: [],
    cpu: [],
    perEvent: [],
  };
});

const server = createServer((req, res) => {
  if (req.method === 'POST') {
    req.resume();
    req.on('end', () => res.writeHead(200, { 'Content-Type': 'application/json' }).end('{}'));
    return;
  }
  const v = variants[Number(new URL(req.url, 'http://x').searchParams.get('v'))];
  res.writeHead(200, { 'Content-Type': 'text/html' }).end(v.page);
});
await new Promise((r) => server.listen(0, '127.0.0.1', r));
const origin = `http://127.0.0.1:${server.address().port}`;
const browser = await launchChromium();

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;
const min = (xs) => Math.min(...xs);
const sum = (xs) => xs.reduce((a, b) => a + b, 0);

try {
  for (let r = 0; r < ROUNDS; r++) {
    // Alternate which variant goes first, so neither always follows the other.
    const order = variants.map((_, i) => i);
    if (r % 2) order.reverse();
    for (const i of order) {
      const v = variants[i];
      const url = `${origin}/?v=${i}&r=${r}`;
      if (!CPU_ONLY) {
        const context = await browser.newContext();
        const page = await context.newPage();
        await page.goto(url);
        const w = await wallTimes(page);
        v.wall.push(w.initMs + sum(w.steps));
        v.call.push(w.initMs);
        await context.close();
      }

      const context = await browser.newContext();
      const page = await context.newPage();
      await browser.startTracing(page, {
        categories: ['devtools.timeline', 'blink.user_timing', 'toplevel'],
      });
      await page.goto(url);
      await wallTimes(page);
      const cpu = cpuTimes(JSON.parse((await browser.stopTracing()).toString()).traceEvents);
      v.cpu.push(cpu.init + cpu.start);
      v.perEvent.push(
        await page.evaluate(() => {
          const api = window.OtelRum;
          for (let k = 0; k < 50; k++) api.addAction('warm', { k });
          const t0 = performance.now();
          for (let k = 0; k < 1000; k++)
            api.addAction(`add-to-cart-${k % 7}`, { sku: `sku-${k}`, qty: k % 3 });
          return performance.now() - t0;
        }),
      );
      await context.close();
    }
  }
} finally {
  await browser.close();
  server.close();
}

const quartiles = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return [0.25, 0.5, 0.75].map((q) => (s[Math.floor(q * (s.length - 1))] ?? NaN).toFixed(2)).join('/');
};
for (const v of variants)
  console.log(
    [
      `${v.name}:`,
      `init_main_thread_ms median=${median(v.wall).toFixed(2)} min=${min(v.wall).toFixed(2)}`,
      `init_main_thread_cpu_ms median=${median(v.cpu).toFixed(2)} min=${min(v.cpu).toFixed(2)}`,
      `quartiles wall ${quartiles(v.wall)} (init call ${quartiles(v.call)}) cpu ${quartiles(v.cpu)}`,
      `per_event_main_thread_us median=${median(v.perEvent).toFixed(1)}`,
      `eager_gzip_bytes=${v.gzip}`,
    ].join('\n  '),
  );
// The loads of one round ran next to each other, under about the same load: the median of the
// per-round differences against the first variant is steadier than the difference of the medians.
for (const v of variants.slice(1)) {
  const a = variants[0];
  const diff = (key) => median(v[key].map((x, r) => x - a[key][r])).toFixed(2);
  console.log(
    `${v.name} - ${a.name}: paired median difference init_main_thread_ms=${diff('wall')} init_main_thread_cpu_ms=${diff('cpu')}`,
  );
}
if (process.env.AB_OUT)
  writeFileSync(
    process.env.AB_OUT,
    JSON.stringify(variants.map(({ name, wall, cpu, perEvent }) => ({ name, wall, cpu, perEvent }))),
  );
console.log(`rounds=${ROUNDS} load_average_1m=${os.loadavg()[0].toFixed(2)}`);

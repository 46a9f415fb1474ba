// Why wall time exceeds CPU time on a shared machine: loads bench/demo.html (the built CDN bundle
// inlined) in fresh contexts and reads, from Linux's /proc/<pid>/task/<pid>/schedstat, how long the
// page's renderer main thread ran on a core and how long it was runnable but waiting for one (the
// other processes had the cores). Linux only. Run by hand after a build:
// `node sdk-otel/bench/runqueue.mjs`. Not a test: numbers depend on the machine's load.
import { readFileSync, readdirSync } from 'node:fs';
import { createServer } from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { launchChromium } from './chromium.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const RUNS = Number(process.env.BENCH_RUNS || 20);
const bundle = readFileSync(path.join(here, '..', 'dist/cdn/otel-rum.min.js'), 'utf8');
const page = readFileSync(path.join(here, 'demo.html'), 'utf8').replace('/*BUNDLE*/', () => bundle);
const server = createServer((req, res) => {
  if (req.method === 'POST') {
    req.resume();
    req.on('end', () => res.writeHead(200, { 'Content-Type': 'application/json' }).end('{}'));
    return;
  }
  res.writeHead(200, { 'Content-Type': 'text/html' }).end(page);
});
await new Promise((r) => server.listen(0, '127.0.0.1', r));
const origin = `http://127.0.0.1:${server.address().port}`;

const renderers = () =>
  new Set(
    readdirSync('/proc')
      .filter((p) => /^\d+$/.test(p))
      .filter((p) => {
        try {
          return readFileSync(`/proc/${p}/cmdline`, 'utf8').includes('--type=renderer');
        } catch {
          return false;
        }
      }),
  );
/** [ms on a core, ms runnable but waiting for one] of a process's main thread since it started. */
const schedstat = (pid) => {
  const [run, wait] = readFileSync(`/proc/${pid}/task/${pid}/schedstat`, 'utf8').trim().split(' ');
  return [Number(run) / 1e6, Number(wait) / 1e6];
};

const browser = await launchChromium();
const rows = [];
try {
  for (let i = 0; i < RUNS; i++) {
    const before = renderers();
    const context = await browser.newContext();
    const p = await context.newPage();
    await p.goto(`${origin}/?run=${i}`);
    const wall = await p.evaluate(async () => {
      await new Promise((resolve) => setTimeout(resolve, 300));
      const steps = performance.getEntriesByName('otel-rum:start', 'measure');
      return window.__initMs + steps.reduce((sum, m) => sum + m.duration, 0);
    });
    // The page's renderer: of the processes this load started, the one that ran longest.
    const [run, wait] = [...renderers()]
      .filter((pid) => !before.has(pid))
      .map(schedstat)
      .sort((a, b) => b[0] - a[0])[0];
    rows.push({ wall, run, wait });
    await context.close();
  }
} finally {
  await browser.close();
  server.close();
}
const median = (k) => rows.map((r) => r[k]).sort((a, b) => a - b)[Math.floor(rows.length / 2)];
console.log(`renderer_main_thread_on_cpu_ms=${median('run').toFixed(1)}`);
console.log(`renderer_main_thread_waiting_for_a_core_ms=${median('wait').toFixed(1)}`);
console.log(`init_main_thread_ms=${median('wall').toFixed(2)}`);
console.log(`runs=${RUNS} load_average_1m=${os.loadavg()[0].toFixed(2)} cpus=${os.cpus().length}`);

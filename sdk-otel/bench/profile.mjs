// Where the SDK's init time goes, per function: the V8 CPU profiler (CDP Profiler domain, sampling
// every PROFILE_INTERVAL_US) over page loads of bench/demo.html with an unminified CDN bundle, summed
// over PROFILE_RUNS loads. Prints the SDK's functions by self and by total time (samples x interval,
// so counted work rather than wall time), plus what ran in the init call and in each deferred task.
// Not a test: run by hand (`node sdk-otel/bench/profile.mjs`) when looking for init cost.
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildSync } from 'esbuild';
import { launchChromium } from './chromium.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const require = createRequire(import.meta.url);
const options = require('../bundle-options.js');
const RUNS = Number(process.env.PROFILE_RUNS || 20);
const INTERVAL_US = Number(process.env.PROFILE_INTERVAL_US || 50);
const TOP = Number(process.env.PROFILE_TOP || 40);

const bundle = buildSync({ ...options.cdn, minify: false, keepNames: false, write: false }).outputFiles[0]
  .text;
// The bundle and the init script are served as files of their own, so the profile can tell them apart.
const demo = readFileSync(path.join(here, 'demo.html'), 'utf8');
const initScript = demo.match(/<script>\s*(window\.__evalMs[\s\S]*?)<\/script>/)[1];
const page = demo
  .replace(/<script>\s*\/\*BUNDLE\*\/\s*<\/script>/, '<script src="/otel-rum.js"></script>')
  .replace(initScript, '')
  .replace(/<script>\s*<\/script>/, '<script src="/init.js"></script>');
const files = { '/otel-rum.js': bundle, '/init.js': initScript };

const server = createServer((req, res) => {
  if (req.method === 'POST') {
    req.resume();
    req.on('end', () => res.writeHead(200, { 'Content-Type': 'application/json' }).end('{}'));
    return;
  }
  const file = files[req.url];
  if (file) res.writeHead(200, { 'Content-Type': 'text/javascript' }).end(file);
  else res.writeHead(200, { 'Content-Type': 'text/html' }).end(page);
});
await new Promise((r) => server.listen(0, '127.0.0.1', r));
const origin = `http://127.0.0.1:${server.address().port}`;
const browser = await launchChromium();

const self = new Map();
const total = new Map();
const roots = new Map();
const paths = new Map();
const DEPTH = Number(process.env.PROFILE_DEPTH || 3);
const add = (m, k, v) => m.set(k, (m.get(k) || 0) + v);
const isSdk = (f) => f.url.endsWith('otel-rum.js') || f.url.endsWith('init.js');

try {
  for (let i = 0; i < RUNS; i++) {
    const context = await browser.newContext();
    const p = await context.newPage();
    const cdp = await context.newCDPSession(p);
    await cdp.send('Profiler.enable');
    await cdp.send('Profiler.setSamplingInterval', { interval: INTERVAL_US });
    await cdp.send('Profiler.start');
    await p.goto(`${origin}/?run=${i}`);
    await p.waitForTimeout(300);
    const { profile } = await cdp.send('Profiler.stop');
    await context.close();

    const byId = new Map(profile.nodes.map((n) => [n.id, n]));
    const parent = new Map();
    for (const n of profile.nodes) for (const c of n.children || []) parent.set(c, n.id);
    const label = (n) => {
      const f = n.callFrame;
      const where = f.url ? `${path.basename(f.url)}:${f.lineNumber + 1}` : 'native';
      return `${f.functionName || '(anonymous)'} ${where}`;
    };
    profile.samples.forEach((id, k) => {
      const us = profile.timeDeltas[k + 1] ?? INTERVAL_US;
      const ms = Math.min(us, 4 * INTERVAL_US) / 1000;
      // The stack, leaf first; only stacks that pass through the SDK or the init script count.
      const stack = [];
      for (let n = byId.get(id); n; n = byId.get(parent.get(n.id))) stack.push(n);
      const sdkFrames = stack.filter((n) => isSdk(n.callFrame));
      if (!sdkFrames.length) return;
      add(self, label(stack[0]), ms);
      for (const l of new Set(stack.map(label))) add(total, l, ms);
      // The outermost SDK frame: which task (init call, script eval, timer, observer callback) it was.
      add(roots, label(sdkFrames[sdkFrames.length - 1]), ms);
      // Call paths from the outermost SDK frame down DEPTH levels (natives included): the call tree.
      const top = stack.indexOf(sdkFrames[sdkFrames.length - 1]);
      const down = stack.slice(0, top + 1).reverse();
      for (let d = 1; d <= Math.min(DEPTH, down.length); d++)
        add(paths, down.slice(0, d).map(label).join(' > '), ms);
    });
  }
} finally {
  await browser.close();
  server.close();
}

const print = (title, m) => {
  console.log(`\n== ${title} (ms per page load, mean of ${RUNS})`);
  for (const [k, v] of [...m].sort((a, b) => b[1] - a[1]).slice(0, TOP))
    console.log(`${(v / RUNS).toFixed(3).padStart(8)}  ${k}`);
};
print('outermost SDK frame (the task)', roots);
print(`call paths, ${DEPTH} levels`, paths);
print('total (inclusive)', total);
print('self', self);

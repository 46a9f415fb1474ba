/*
 * The SDK under a bad endpoint: a scripted session in real Chromium (the CDN bundle, built from the
 * sources) sends to an endpoint that is dead, slow, refusing, flapping or hung (takes requests and
 * never answers; half of them reach the server all the same) for the first part of the session and
 * then recovers, forwarding to the real otel-rum server. Required: no error thrown into
 * the page, the page's JS heap bounded by the SDK's queue limits, no long animation frame in which
 * the SDK's scripts ran over 50 ms, and every action and error delivered exactly once after the
 * recovery (the session stays well within MAX_SDK_QUEUE_BYTES). A second test floods a dead endpoint
 * with three times MAX_SDK_QUEUE_BYTES.
 */
import type { Browser, CDPSession, Page } from 'playwright-core';
import { MAX_BATCH_BYTES, MAX_SDK_QUEUE_BYTES, type EventItem } from '@otel-rum/model';
import { launchChromium } from '../support/chromium';
import { eventually, startTestServer, type TestServer } from '../support/server';
import { startAppServer, type AppServer } from '../sources/support/app-server';
import { cdnBundle } from '../../sdk-otel/test/support/bundle';
import { listAll } from './support/api';
import { startBadEndpoint, type BadEndpoint, type BadMode } from './support/bad-endpoint';
import { byMode, report } from './support/mode';

const MODES: BadMode[] = ['dead', 'slow', 'refusing', 'flapping', 'hung'];
/** Length of the scripted session, and the part of it the endpoint misbehaves. */
const SESSION_MS = byMode(20_000, 120_000);
const BAD_MS = byMode(12_000, 80_000);
/** One step of the session (an action, and in turn a route change, a fetch, an error, a click). */
const STEP_MS = 250;
/** Longest a task may take (the bound, and the Long Tasks API's threshold). */
const LONG_TASK_MS = 50;
/** Senders that hold a retry queue of MAX_SDK_QUEUE_BYTES each in this session: logs and traces. */
const QUEUES = 2;
/** Heap the page itself may grow by (DOM, rendering, JIT) beside the SDK's queues. */
const PAGE_HEAP_SLACK = 2 * 1024 * 1024;

jest.setTimeout(SESSION_MS + byMode(60_000, 150_000));

const SESSION_JS = `
window.__long = [];
window.__sdkLong = 0;
if (!PerformanceObserver.supportedEntryTypes.includes('long-animation-frame'))
  throw new Error('this Chromium lacks the Long Animation Frames API');
new PerformanceObserver((list) => {
  for (const e of list.getEntries())
    window.__long.push({
      start: e.startTime,
      duration: e.duration,
      scripts: e.scripts.map((s) => ({ url: s.sourceURL, invoker: s.invoker, duration: s.duration })),
    });
}).observe({ type: 'long-animation-frame' });
window.flood = (n, size) =>
  new Promise((resolve) => {
    let i = 0;
    const tick = () => {
      for (let k = 0; k < 25 && i < n; k++, i++) OtelRum.addAction('flood-' + i, { detail: 'f'.repeat(size) });
      if (i < n) setTimeout(tick, 50);
      else resolve();
    };
    tick();
  });
window.step = (kind, i) => {
  OtelRum.addAction(kind + '-' + i, { step: i, detail: 'd'.repeat(300) });
  if (i % 4 === 0) history.pushState({}, '', '/route/' + i);
  if (i % 3 === 0) fetch('/api/items').then((r) => r.text());
  if (i % 10 === 0) OtelRum.addError(new Error('handled ' + kind + '-' + i));
};
`;

function page(endpoint: string, appId: string): string {
  const options = { appId, endpoint, service: { name: 'bad-endpoint-web' }, flushIntervalMs: 1000 };
  return `<!doctype html><html><head><meta charset="utf-8"><title>bad endpoint</title>
<script src="/otel-rum.min.js"></script>
<script>OtelRum.init(${JSON.stringify(options)});</script>
<script src="/session.js"></script>
</head><body><button id="buy">Buy</button></body></html>`;
}

/** The JS heap in use after a full garbage collection, bytes. */
async function heapUsed(cdp: CDPSession): Promise<number> {
  await cdp.send('HeapProfiler.collectGarbage');
  const { metrics } = await cdp.send('Performance.getMetrics');
  return metrics.find((m) => m.name === 'JSHeapUsedSize')!.value;
}

interface Run {
  mode: BadMode;
  actions: number;
  errors: number;
  stored: { actions: number; errors: number; duplicated: number };
  heap: { baseline: number; peak: number; after: number };
  longFrames: number;
  sdkLongFrames: number;
  /** The SDK's long frames: what invoked each of its scripts, and how long it ran. */
  sdkFrameScripts: string[];
  /** SDK long frames that overlapped the test's forced garbage collection. */
  sdkFramesInGc: number;
  maxSdkScriptMs: number;
  pageErrors: string[];
  warnings: number;
  answers: Record<string, number>;
  deliveredAfterEndS: number;
}

let server: TestServer;
let browser: Browser;
let app: AppServer;
const endpoints = new Map<BadMode, BadEndpoint>();
let flooded: BadEndpoint;

beforeAll(async () => {
  [server, browser] = await Promise.all([
    startTestServer({ apps: [...MODES.map((m) => `bad_${m}`), 'bad_flood'], demo: false }),
    launchChromium(),
  ]);
  for (const m of MODES) endpoints.set(m, await startBadEndpoint(server.url, m));
  flooded = await startBadEndpoint(server.url, 'dead');
  const files: Record<string, string> = { '/otel-rum.min.js': cdnBundle(), '/session.js': SESSION_JS };
  for (const m of MODES) files[`/${m}.html`] = page(endpoints.get(m)!.url, `bad_${m}`);
  files['/flood.html'] = page(flooded.url, 'bad_flood');
  app = await startAppServer({ files });
});
afterAll(async () => {
  await browser?.close();
  await app?.close();
  for (const e of endpoints.values()) await e.close();
  await flooded?.close();
  await server?.close();
});

async function runSession(mode: BadMode): Promise<Run> {
  const endpoint = endpoints.get(mode)!;
  const appId = `bad_${mode}`;
  const context = await browser.newContext();
  const p: Page = await context.newPage();
  const pageErrors: string[] = [];
  p.on('pageerror', (e) => pageErrors.push(e.message));
  let warnings = 0;
  p.on('console', (m) => {
    if (m.type() === 'warning' || m.type() === 'error') warnings++;
  });
  const cdp = await context.newCDPSession(p);
  await cdp.send('Performance.enable');
  await p.goto(`${app.url}/${mode}.html`, { waitUntil: 'load' });
  const baseline = await heapUsed(cdp);
  // Taken when the queues hold the most: at the end of the misbehaving part (no forced GC meanwhile,
  // which would stretch the tasks measured).
  let peak = baseline;
  /** Page time (performance.now) of the forced garbage collection at the end of the misbehaving part. */
  let gc: [number, number] = [0, 0];

  const started = Date.now();
  let recoveredAt = 0;
  let i = 0;
  while (Date.now() - started < SESSION_MS) {
    if (!recoveredAt && Date.now() - started >= BAD_MS) {
      const gcStart = await p.evaluate(() => performance.now());
      peak = Math.max(peak, await heapUsed(cdp)); // the queues hold the most now
      gc = [gcStart, await p.evaluate(() => performance.now())];
      await endpoint.recover();
      recoveredAt = Date.now();
    }
    await p.evaluate(([k, n]) => (window as unknown as { step(k: string, n: number): void }).step(k, n), [
      mode,
      i,
    ] as [string, number]);
    if (i % 5 === 0) await p.click('#buy');
    i++;
    await new Promise((r) => setTimeout(r, STEP_MS));
  }
  const actions = i;
  const ended = Date.now();
  const errors = Math.ceil(i / 10);
  await p.evaluate(() => (window as unknown as { OtelRum: { flush(): Promise<void> } }).OtelRum.flush());

  const labelled = (items: EventItem[], re: RegExp) =>
    items.map((a) => a.label ?? a.name).filter((l) => re.test(l ?? ''));
  const actionRe = new RegExp(`^${mode}-\\d+$`);
  const errorRe = new RegExp(`handled ${mode}-\\d+`);
  const [storedActions, storedErrors] = await eventually(
    async () => {
      const a = labelled(
        await listAll<EventItem>(server.url, server.token, `/api/v1/actions?app_id=${appId}&from=0`),
        actionRe,
      );
      const e = labelled(
        await listAll<EventItem>(server.url, server.token, `/api/v1/errors?app_id=${appId}&from=0`),
        errorRe,
      );
      return new Set(a).size >= actions && new Set(e).size >= errors ? [a, e] : undefined;
    },
    byMode(50_000, 140_000),
  );
  const deliveredAfterEndS = (Date.now() - ended) / 1000;
  const after = await heapUsed(cdp);
  const long = await p.evaluate(
    () =>
      (
        window as unknown as {
          __long: {
            start: number;
            duration: number;
            scripts: { url: string; invoker: string; duration: number }[];
          }[];
        }
      ).__long,
  );
  await context.close();
  const sdkMs = (f: (typeof long)[number]) =>
    Math.max(0, ...f.scripts.filter((s) => s.url.includes('otel-rum')).map((s) => s.duration));
  // A task the SDK caused: one of its scripts (a callback it registered, its timers, its code run from
  // the page's calls) that ran over LONG_TASK_MS. A long frame is often several tasks; the SDK's
  // longest single script in one is reported as max_sdk_script_ms.
  // The test's own forced garbage collection (at the end of the misbehaving part) stops the page's
  // scripts: a frame that overlaps it is the test's doing, reported apart (sdk_frames_in_forced_gc).
  const duringGc = (f: (typeof long)[number]) => f.start < gc[1] && f.start + f.duration > gc[0];
  const sdkFrames = long.filter((f) => sdkMs(f) > LONG_TASK_MS && !duringGc(f));
  const sdkFramesInGc = long.filter((f) => sdkMs(f) > LONG_TASK_MS && duringGc(f)).length;
  return {
    mode,
    actions,
    errors,
    stored: {
      actions: new Set(storedActions).size,
      errors: new Set(storedErrors).size,
      duplicated: storedActions.length - new Set(storedActions).size,
    },
    heap: { baseline, peak, after },
    longFrames: long.length,
    sdkLongFrames: sdkFrames.length,
    sdkFramesInGc,
    sdkFrameScripts: sdkFrames.map((f) =>
      f.scripts.map((x) => `${x.invoker}:${x.duration.toFixed(0)}ms`).join('+'),
    ),
    maxSdkScriptMs: Math.max(0, ...long.map(sdkMs)),
    pageErrors,
    warnings,
    answers: endpoint.answers,
    deliveredAfterEndS,
  };
}

it(`keeps a ${SESSION_MS / 1000} s session through a dead, slow, refusing, flapping and hung endpoint, then delivers it all`, async () => {
  const runs = await Promise.all(MODES.map(runSession));
  const mib = (b: number) => (b / 1024 / 1024).toFixed(1);
  for (const r of runs)
    report({
      bad_endpoint: r.mode,
      actions_sent: r.actions,
      stored: r.stored.actions,
      errors_sent: r.errors,
      errors_stored: r.stored.errors,
      duplicated: r.stored.duplicated,
      page_errors: r.pageErrors.length,
      heap_mib: `${mib(r.heap.baseline)}/${mib(r.heap.peak)}/${mib(r.heap.after)}`,
      long_frames: r.longFrames,
      sdk_long_frames: r.sdkLongFrames,
      sdk_long_frame_scripts: r.sdkFrameScripts.join('|') || '-',
      sdk_frames_in_forced_gc: r.sdkFramesInGc,
      max_sdk_script_ms: r.maxSdkScriptMs.toFixed(0),
      warnings: r.warnings,
      answers: Object.entries(r.answers)
        .map(([k, v]) => `${k}:${v}`)
        .join(','),
      delivered_after_end_s: r.deliveredAfterEndS.toFixed(1),
    });
  for (const r of runs) {
    expect({ mode: r.mode, pageErrors: r.pageErrors }).toEqual({ mode: r.mode, pageErrors: [] });
    expect({ mode: r.mode, actions: r.stored.actions, errors: r.stored.errors }).toEqual({
      mode: r.mode,
      actions: r.actions,
      errors: r.errors,
    });
    // Exactly once unless the endpoint cut connections that had carried requests (flapping): an
    // answer lost with one makes the SDK resend what the server stored (delivery is at least once).
    if (!r.answers['cut_connections'])
      expect({ mode: r.mode, duplicated: r.stored.duplicated }).toEqual({ mode: r.mode, duplicated: 0 });
    expect(r.heap.peak - r.heap.baseline).toBeLessThanOrEqual(QUEUES * MAX_SDK_QUEUE_BYTES + PAGE_HEAP_SLACK);
    expect({ mode: r.mode, sdkLongFrames: r.sdkLongFrames }).toEqual({ mode: r.mode, sdkLongFrames: 0 });
  }
  // Each endpoint did misbehave (the slow one answered late; the others were refused or down).
  // (Which of 429 and 503 a request meets depends on how many the SDK sent in the window: at least one.)
  const refusing = runs.find((r) => r.mode === 'refusing')!.answers;
  expect((refusing['429'] ?? 0) + (refusing['503'] ?? 0)).toBeGreaterThan(0);
  // The hung endpoint held requests the server had committed, and the SDK sent them again after
  // SDK_REQUEST_TIMEOUT_MS with their Idempotency-Key (stored once: checked above).
  const hung = runs.find((r) => r.mode === 'hung')!.answers;
  expect(hung['held_committed'] ?? 0).toBeGreaterThan(0);
  expect(hung['held_dropped'] ?? 0).toBeGreaterThan(0);
  expect(hung['resent_committed'] ?? 0).toBeGreaterThan(0);
});

/** Characters of the attribute each flood action carries, so that an encoded action exceeds this many bytes. */
const FLOOD_DETAIL = 4000;
/** Actions of the flood: three times what the retry queue holds. */
const FLOOD_ACTIONS = Math.ceil((3 * MAX_SDK_QUEUE_BYTES) / FLOOD_DETAIL);

it(`holds at most MAX_SDK_QUEUE_BYTES while a dead endpoint is flooded with ${FLOOD_ACTIONS} actions (3x the queue), and delivers the newest once it recovers`, async () => {
  const context = await browser.newContext();
  const p = await context.newPage();
  const pageErrors: string[] = [];
  p.on('pageerror', (e) => pageErrors.push(e.message));
  const dropWarnings: string[] = [];
  p.on('console', (m) => {
    if (m.type() === 'warning' && m.text().includes('MAX_SDK_QUEUE_BYTES')) dropWarnings.push(m.text());
  });
  const cdp = await context.newCDPSession(p);
  await cdp.send('Performance.enable');
  await p.goto(`${app.url}/flood.html`, { waitUntil: 'load' });
  const baseline = await heapUsed(cdp);
  await p.evaluate(
    ([n, size]) => (window as unknown as { flood(n: number, s: number): Promise<void> }).flood(n, size),
    [FLOOD_ACTIONS, FLOOD_DETAIL] as [number, number],
  );
  // Let the last batch reach the queue.
  await new Promise((r) => setTimeout(r, 1500));
  const peak = await heapUsed(cdp);
  await flooded.recover();
  const recovered = Date.now();
  const re = /^flood-(\d+)$/;
  // Settled: the count of stored flood actions has not changed for 3 s.
  let last = -1;
  let since = Date.now();
  const stored = await eventually(
    async () => {
      const items = await listAll<EventItem>(
        server.url,
        server.token,
        `/api/v1/actions?app_id=bad_flood&from=0`,
      );
      const labels = items.map((a) => a.label ?? '').filter((l) => re.test(l));
      if (labels.length !== last) [last, since] = [labels.length, Date.now()];
      return labels.length > 0 && Date.now() - since > 3000 ? labels : undefined;
    },
    byMode(60_000, 90_000),
  );
  const deliveredS = (since - recovered) / 1000;
  const after = await heapUsed(cdp);
  await context.close();
  const indices = stored.map((l) => Number(re.exec(l)![1])).sort((a, b) => a - b);
  const unique = new Set(indices);
  const firstKept = indices[0]!;
  // The queue holds at most MAX_SDK_QUEUE_BYTES; each flood action encodes to more than FLOOD_DETAIL
  // bytes; beside the queue, one batch (MAX_BATCH_BYTES) may be still filling.
  const mostKept = Math.floor((MAX_SDK_QUEUE_BYTES + MAX_BATCH_BYTES) / FLOOD_DETAIL);
  const mib = (b: number) => (b / 1024 / 1024).toFixed(1);
  report({
    flood_actions: FLOOD_ACTIONS,
    flood_mib: mib(FLOOD_ACTIONS * FLOOD_DETAIL),
    stored: unique.size,
    most_kept: mostKept,
    duplicated: indices.length - unique.size,
    first_kept: firstKept,
    drop_warnings: dropWarnings.length,
    heap_mib: `${mib(baseline)}/${mib(peak)}/${mib(after)}`,
    page_errors: pageErrors.length,
    delivered_after_recovery_s: deliveredS.toFixed(1),
  });
  expect(pageErrors).toEqual([]);
  expect(indices.length - unique.size).toBe(0);
  // The oldest were dropped, and said so; what was kept is every action after them.
  expect(dropWarnings.length).toBeGreaterThan(0);
  expect(unique.size).toBe(FLOOD_ACTIONS - firstKept);
  expect(unique.size).toBeLessThanOrEqual(mostKept);
  // The queue was used: at least half of it was delivered.
  expect(unique.size).toBeGreaterThanOrEqual(Math.floor(MAX_SDK_QUEUE_BYTES / 2 / (FLOOD_DETAIL + 1000)));
  // Three queues' worth went in; the heap grew by at most one queue and the page's slack.
  expect(peak - baseline).toBeLessThanOrEqual(MAX_SDK_QUEUE_BYTES + PAGE_HEAP_SLACK);
});

// npm run bench:server — ingest CPU and throughput of the real server beside the real OpenTelemetry
// Collector, resident memory, and query latency at one or more store sizes.
//
// 1. ingest: starts the built server (node server/dist/main.js) on a fresh DuckDB file, sends
//    BENCH_EVENTS realistic RUM events (sessions with views, actions, resources, errors, web vitals,
//    long tasks) as OTLP/HTTP protobuf requests of BENCH_BATCH log records, BENCH_CONCURRENCY in
//    flight, each answered only after its commit, and samples the server's resident memory.
// 2. collector: the same requests, the same way, to our collector distribution otelcol-rum
//    (collector-config/build.sh) running an OTLP receiver, the batch processor and the debug exporter
//    at its quietest (basic verbosity, sampled logging), which discards; prints both CPU-per-event
//    figures and their ratio.
// 3. queries: grows the same database to each size of --query-events (BENCH_QUERY_EVENTS), e.g.
//    10M,100M, with DuckDB's own generator (same shape), restarts the server at each size and times
//    the explorer and dashboard queries over the API; with two sizes or more it prints the ratios of
//    each query's p95 to the first size's.
// --parts=ingest,collector,queries (BENCH_PARTS) picks the parts; --db=<file> (BENCH_DB) reuses a
// database kept by an earlier run (BENCH_KEEP_DB=1) instead of a fresh one, so that a large store is
// generated once. Prints key=value lines. BENCH_NODE_ARGS passes flags to the server's node (e.g.
// --cpu-prof --cpu-prof-dir=/tmp/prof).
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { cpuSeconds, rssMib } from './proc.mjs';
import { requests } from './rum-data.mjs';

const require = createRequire(join(import.meta.dirname, '..', 'package.json'));
const { DuckDBInstance } = require('@duckdb/node-api');
const proto = require('@opentelemetry/otlp-transformer/build/src/generated/root').opentelemetry.proto;

/** --name=value on the command line, else the environment variable, else the default. */
function option(flag, env, fallback) {
  const arg = process.argv.slice(2).find((a) => a.startsWith(`--${flag}=`));
  return arg ? arg.slice(flag.length + 3) : (process.env[env] ?? fallback);
}

/** A count such as 500000, 500k, 10M or 1.5G. */
function count(name, text) {
  const m = /^(\d+(?:\.\d+)?)([kMG]?)$/.exec(String(text).trim());
  const n = m ? Math.round(Number(m[1]) * { '': 1, k: 1e3, M: 1e6, G: 1e9 }[m[2]]) : NaN;
  if (!Number.isInteger(n) || n < 1)
    throw new Error(`${name} must be a whole number of at least 1 (500000, 500k, 10M), not "${text}"`);
  return n;
}

/** 10000000 as 10M, for key names. */
const short = (n) => (n % 1e6 === 0 ? `${n / 1e6}M` : n % 1e3 === 0 ? `${n / 1e3}k` : String(n));

const EVENTS = count('BENCH_EVENTS', option('events', 'BENCH_EVENTS', '500000'));
const BATCH = count('BENCH_BATCH', option('batch', 'BENCH_BATCH', '1000'));
const CONCURRENCY = count('BENCH_CONCURRENCY', option('concurrency', 'BENCH_CONCURRENCY', '8'));
const QUERY_SIZES = option('query-events', 'BENCH_QUERY_EVENTS', '10M')
  .split(',')
  .map((t) => count('BENCH_QUERY_EVENTS', t));
for (let i = 1; i < QUERY_SIZES.length; i++)
  if (QUERY_SIZES[i] <= QUERY_SIZES[i - 1])
    throw new Error(`BENCH_QUERY_EVENTS must grow from one size to the next, not ${QUERY_SIZES.join(',')}`);
const QUERY_RUNS = count('BENCH_QUERY_RUNS', option('query-runs', 'BENCH_QUERY_RUNS', '20'));
const PARTS = new Set(option('parts', 'BENCH_PARTS', 'ingest,collector,queries').split(','));
for (const p of PARTS)
  if (!['ingest', 'collector', 'queries'].includes(p))
    throw new Error(`BENCH_PARTS takes ingest, collector and queries, not "${p}"`);
const REUSED_DB = option('db', 'BENCH_DB', '');
if (REUSED_DB && !existsSync(REUSED_DB)) throw new Error(`BENCH_DB ${REUSED_DB} does not exist`);
if (REUSED_DB && PARTS.has('ingest'))
  throw new Error('BENCH_DB reuses a database for the queries: leave ingest out of BENCH_PARTS');
const PORT = Number(process.env.BENCH_PORT ?? 14399);
const COLLECTOR_PORT = PORT + 1;
const COLLECTOR_HEALTH_PORT = PORT + 2;
const TOKEN = 'bench-admin-token-0123456789abcdef';
const APP = 'bench_app';
const ROOT = join(import.meta.dirname, '..', '..');

const dir = REUSED_DB ? dirname(REUSED_DB) : mkdtempSync(join(tmpdir(), 'otel-rum-bench-'));
const dbPath = REUSED_DB || join(dir, 'rum.duckdb');
const base = `http://127.0.0.1:${PORT}`;
const auth = { authorization: `Bearer ${TOKEN}` };

function startServer() {
  const child = spawn(
    process.execPath,
    [
      // As npm start and the Docker image run it.
      '--max-semi-space-size=64',
      ...(process.env.BENCH_NODE_ARGS ? process.env.BENCH_NODE_ARGS.split(' ').filter(Boolean) : []),
      join(ROOT, 'server', 'dist', 'main.js'),
    ],
    {
      env: {
        ...process.env,
        RUM_HOST: '127.0.0.1',
        RUM_PORT: String(PORT),
        RUM_DB_PATH: dbPath,
        RUM_ADMIN_TOKEN: TOKEN,
        RUM_DEMO: 'false',
        RUM_LOG_LEVEL: 'warn',
      },
      stdio: ['ignore', 'ignore', 'inherit'],
    },
  );
  return child;
}

async function waitReady() {
  // Up to a minute: a server opening an older database migrates it first.
  for (let i = 0; i < 1200; i++) {
    try {
      if ((await fetch(`${base}/readyz`)).ok) return;
    } catch {}
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error('server did not become ready');
}

async function stop(child) {
  child.kill('SIGTERM');
  await new Promise((r) => child.once('exit', r));
}

async function registerApp() {
  const res = await fetch(`${base}/api/v1/apps`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...auth },
    body: JSON.stringify({
      appId: APP,
      name: 'Benchmark shop',
      type: 'web',
      allowedOrigins: ['*'],
      rateLimit: { eventsPerSecond: 1_000_000, burst: 10_000_000 },
    }),
  });
  // Before applications exist as a registry, any app id is accepted.
  if (![200, 201, 404, 409].includes(res.status))
    throw new Error(`registering the app: ${res.status} ${await res.text()}`);
}

/**
 * Time after the last answer during which work the requests caused still runs in the background (the
 * server's summary fold, SUMMARY_FOLD_INTERVAL_MS; the batch processor's timeout), counted in the CPU.
 */
const SETTLE_MS = 1500;

/**
 * Sends every body to `url`, CONCURRENCY in flight, retrying 503 and 429, and reads the CPU time the
 * process `pid` used meanwhile and until SETTLE_MS after: all its threads, and the thread `mainTid`.
 */
async function send(url, bodies, pid, mainTid) {
  let next = 0;
  let events = 0;
  // CPU time, unlike the rate, does not change when other processes share the cores.
  const cpuBefore = cpuSeconds(pid);
  const mainBefore = mainTid ? cpuSeconds(pid, mainTid) : 0;
  const started = performance.now();
  async function worker() {
    while (next < bodies.length) {
      const { body, count } = bodies[next++];
      for (;;) {
        const res = await fetch(url, {
          method: 'POST',
          headers: { 'content-type': 'application/x-protobuf' },
          body,
        });
        const answer = Buffer.from(await res.arrayBuffer());
        if (res.status === 503 || res.status === 429) {
          await new Promise((r) => setTimeout(r, 100));
          continue;
        }
        if (res.status !== 200) throw new Error(`${url} answered ${res.status}: ${answer}`);
        const partial = proto.collector.logs.v1.ExportLogsServiceResponse.decode(answer).partialSuccess;
        if (partial && Number(partial.rejectedLogRecords) > 0)
          throw new Error(`rejected: ${partial.errorMessage}`);
        events += count;
        break;
      }
    }
  }
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  const seconds = (performance.now() - started) / 1000;
  await new Promise((r) => setTimeout(r, SETTLE_MS));
  const cpu = cpuSeconds(pid) - cpuBefore;
  const mainCpu = mainTid ? cpuSeconds(pid, mainTid) - mainBefore : null;
  return { events, seconds, cpu, mainCpu };
}

async function ingest(bodies) {
  const child = startServer();
  try {
    await waitReady();
    await registerApp();
    let peakRss = rssMib(child.pid);
    const sampler = setInterval(() => (peakRss = Math.max(peakRss, rssMib(child.pid))), 50);
    try {
      // The JavaScript thread is the process's first (tid = pid).
      const r = await send(`${base}/v1/logs`, bodies, child.pid, child.pid);
      return { ...r, peakRss };
    } finally {
      clearInterval(sampler);
    }
  } finally {
    if (child.exitCode === null) await stop(child);
  }
}

/** Our collector distribution with an OTLP receiver, the batch processor and an exporter that discards. */
const COLLECTOR_CONFIG = `
extensions:
  health_check:
    endpoint: 127.0.0.1:${COLLECTOR_HEALTH_PORT}
receivers:
  otlp:
    protocols:
      http:
        endpoint: 127.0.0.1:${COLLECTOR_PORT}
processors:
  batch: {}
exporters:
  # otelcol-rum has no nop exporter; debug at basic verbosity logs one short line per batch, sampled.
  debug:
    verbosity: basic
    sampling_initial: 1
    sampling_thereafter: 1000
service:
  extensions: [health_check]
  telemetry:
    logs:
      level: warn
    metrics:
      level: none
  pipelines:
    logs:
      receivers: [otlp]
      processors: [batch]
      exporters: [debug]
`;

async function collector(bodies) {
  const binary = execFileSync('bash', [join(ROOT, 'collector-config', 'build.sh')], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
  })
    .trim()
    .split('\n')
    .pop();
  const config = join(dir, 'collector.yaml');
  writeFileSync(config, COLLECTOR_CONFIG);
  const child = spawn(binary, ['--config', `file:${config}`], { stdio: ['ignore', 'ignore', 'inherit'] });
  try {
    for (let i = 0; ; i++) {
      if (child.exitCode !== null) throw new Error(`the collector exited with ${child.exitCode}`);
      try {
        if ((await fetch(`http://127.0.0.1:${COLLECTOR_HEALTH_PORT}/`)).ok) break;
      } catch {}
      if (i > 600) throw new Error('the collector did not become ready');
      await new Promise((r) => setTimeout(r, 50));
    }
    let peakRss = rssMib(child.pid);
    const sampler = setInterval(() => (peakRss = Math.max(peakRss, rssMib(child.pid))), 50);
    try {
      const r = await send(`http://127.0.0.1:${COLLECTOR_PORT}/v1/logs`, bodies, child.pid, null);
      return { ...r, peakRss };
    } finally {
      clearInterval(sampler);
    }
  } finally {
    if (child.exitCode === null) await stop(child);
  }
}

/**
 * Events generated per statement: a multiple of 24 (a generated session's events) so that no session
 * or view spans two statements, and small enough for DuckDB to hold a statement's rows in memory.
 */
const GROW_CHUNK_EVENTS = 24 * 400_000;
/** Memory DuckDB may take while generating (it spills beyond), leaving room on a shared machine. */
const GROW_MEMORY_LIMIT = '8GB';

/** Adds generated events until the store holds `target`; how many it holds and how long it took. */
async function grow(target) {
  const instance = await DuckDBInstance.create(dbPath, { memory_limit: GROW_MEMORY_LIMIT });
  const conn = await instance.connect();
  const count = async () =>
    Number((await conn.runAndReadAll('SELECT count(*) AS n FROM events')).getRowObjectsJS()[0].n);
  const have = await count();
  const missing = Math.max(0, target - have);
  const started = performance.now();
  // Each growth names its sessions and views apart from earlier ones: gen<events before it>-<n>.
  const prefix = `gen${have}-`;
  for (let done = 0; done < missing; done += GROW_CHUNK_EVENTS) {
    const n = Math.min(GROW_CHUNK_EVENTS, missing - done);
    // Same shape as the ingested data: 3 views per session, ~8 events per view, spread over 7 days.
    // Generated into a temporary table, then moved to each kind's table (the server's layout).
    await conn.run(`CREATE OR REPLACE TEMP TABLE generated AS
      SELECT * EXCLUDE (i) REPLACE (
        -- A time-ordered UUID (version 7) from the event time, as the server gives each event it writes.
        printf('%08x-%04x-7%03x-%04x-%012x', epoch_ms(time) >> 16, epoch_ms(time) & 65535, hash(i + ${have}) % 4096,
          32768 + hash(i + ${have}) % 16384, hash(i + ${have}) % 281474976710655) AS id)
      FROM (SELECT i, '' AS id,
        CASE WHEN i % 8 = 0 THEN 'view' WHEN i % 8 IN (1,2,3,4) THEN 'resource' WHEN i % 8 = 5 THEN 'action'
             WHEN i % 8 = 6 THEN 'web_vital' WHEN i % 40 = 7 THEN 'error' ELSE 'long_task' END AS kind,
        now()::TIMESTAMP - to_seconds((i * 604800 // ${missing})::BIGINT) AS time,
        '${APP}' AS app_id, '${prefix}' || (i // 24)::VARCHAR AS session_id, '${prefix}' || (i // 8)::VARCHAR AS view_id,
        NULL AS trace_id, NULL AS span_id, 'rum.x' AS name,
        ['/', '/products', '/cart', '/checkout', '/account', '/search'][1 + i % 6] AS label,
        'https://shop.example' || ['/', '/products', '/cart', '/checkout', '/account', '/search'][1 + i % 6] AS url,
        ['/', '/products', '/cart', '/checkout', '/account', '/search'][1 + i % 6] AS path,
        (i * 7919 % 3000)::DOUBLE AS duration_ms, (i * 104729 % 4000)::DOUBLE AS value,
        CASE WHEN i % 50 = 0 THEN 500 ELSE 200 END AS status,
        'shop-web' AS service_name, '1.4.' || (i % 3)::VARCHAR AS service_version, 'production' AS environment,
        'user-' || (i % 5000)::VARCHAR AS user_id, NULL AS user_agent, 'sdk-otel' AS source, '{}' AS attributes,
        CASE WHEN i % 40 = 7 THEN 'fp' || (i % 30)::VARCHAR END AS fingerprint,
        ['Chrome', 'Safari', 'Firefox', 'Edge'][1 + i % 4] AS browser, '131' AS browser_version,
        ['Windows', 'macOS', 'iOS', 'Android'][1 + i % 4] AS os, ['desktop', 'mobile'][1 + i % 2] AS device,
        ['US', 'GB', 'DE', 'FR', 'JP'][1 + i % 5] AS country,
        CASE WHEN i % 8 = 0 THEN 'route_change' WHEN i % 8 IN (1, 2, 3, 4) THEN 'fetch' WHEN i % 8 = 5 THEN 'click'
             WHEN i % 8 = 6 THEN 'lcp' WHEN i % 40 = 7 THEN 'TypeError' ELSE 'long-animation-frame' END AS type
      FROM range(${done}, ${done + n}) t(i))`);
    for (const kind of ['view', 'resource', 'action', 'web_vital', 'error', 'long_task'])
      await conn.run(`INSERT INTO events_${kind} BY NAME SELECT * FROM generated WHERE kind = '${kind}'`);
    // The server keeps a summary row per session as it writes; the generated events get theirs here.
    await conn.run(`INSERT INTO sessions
      SELECT app_id, session_id, min(time), max(time), count(*) FILTER (WHERE kind = 'view'),
        count(*) FILTER (WHERE kind = 'error'), count(*) FILTER (WHERE kind = 'action'),
        count(*) FILTER (WHERE kind = 'resource'), 0, count(*), any_value(user_id), NULL,
        arg_min(url, time) FILTER (WHERE kind = 'view'), any_value(environment), any_value(service_version),
        any_value(browser), any_value(os), any_value(device), any_value(country)
      FROM generated GROUP BY app_id, session_id`);
    // Likewise the views table: each generated view has one record.
    await conn.run(
      `INSERT INTO views SELECT * EXCLUDE (type), time AS last_time, type FROM generated WHERE kind = 'view'`,
    );
    await conn.run('DROP TABLE generated');
  }
  const n = await count();
  // An event to open by id, as the explorer does from a list: a resource from the middle of the data.
  const [middle] = (
    await conn.runAndReadAll(
      `SELECT id FROM events_resource LIMIT 1 OFFSET (SELECT count(*) // 2 FROM events_resource)`,
    )
  ).getRowObjectsJS();
  if (middle) QUERIES.event_by_id = `/api/v1/events/${middle.id}`;
  conn.closeSync();
  instance.closeSync();
  return { events: n, seconds: (performance.now() - started) / 1000 };
}

const QUERIES = {
  sessions: `/api/v1/sessions?app_id=${APP}&from=${Date.now() - 24 * 3600_000}&limit=50`,
  views: `/api/v1/views?app_id=${APP}&from=${Date.now() - 24 * 3600_000}&limit=50`,
  errors_filtered: `/api/v1/errors?app_id=${APP}&limit=50&filter=${encodeURIComponent('browser = "Chrome" and path ~ "/check*"')}`,
  resources_slowest: `/api/v1/resources?app_id=${APP}&from=${Date.now() - 24 * 3600_000}&sort=-duration&limit=50`,
  resources_failed: `/api/v1/resources?app_id=${APP}&limit=50&filter=${encodeURIComponent('status >= 500')}`,
  issues: `/api/v1/issues?app_id=${APP}&from=${Date.now() - 7 * 24 * 3600_000}`,
  facet_browser: `/api/v1/facets?app_id=${APP}&field=browser&from=${Date.now() - 7 * 24 * 3600_000}`,
  views_per_hour_by_browser: `/api/v1/aggregate?app_id=${APP}&kind=view&interval=1h&group_by=browser&from=${Date.now() - 7 * 24 * 3600_000}`,
  resource_p75_by_path: `/api/v1/aggregate?app_id=${APP}&kind=resource&aggregation=p75&field=duration&interval=1h&group_by=path&from=${Date.now() - 24 * 3600_000}`,
  lcp_p75_daily: `/api/v1/aggregate?app_id=${APP}&kind=web_vital&aggregation=p75&field=value&interval=1d&from=${Date.now() - 7 * 24 * 3600_000}`,
};

async function queries() {
  const child = startServer();
  try {
    return await measureQueries();
  } finally {
    await stop(child);
  }
}

async function measureQueries() {
  await waitReady();
  // The generated days have no usage rows yet: the server counts them at start. Reading usage waits for
  // that, so the queries below are timed on a server that has caught up, as after any restart.
  const usage = await fetch(`${base}/api/v1/usage?app_id=${APP}`, { headers: auth });
  if (usage.status !== 200) throw new Error(`usage answered ${usage.status}`);
  await usage.arrayBuffer();
  const timings = {};
  const all = [];
  for (const [name, path] of Object.entries(QUERIES)) {
    const t = [];
    for (let i = 0; i < QUERY_RUNS; i++) {
      const started = performance.now();
      const res = await fetch(base + path, { headers: auth });
      await res.arrayBuffer();
      if (res.status !== 200) throw new Error(`${name} answered ${res.status}`);
      t.push(performance.now() - started);
    }
    t.sort((a, b) => a - b);
    timings[name] = t[Math.floor(t.length * 0.95) - (t.length % 20 === 0 ? 1 : 0)] ?? t[t.length - 1];
    all.push(...t);
  }
  all.sort((a, b) => a - b);
  return { timings, p95: all[Math.ceil(all.length * 0.95) - 1], max: all[all.length - 1] };
}

/** The CPU-per-event lines of one ingest measurement. */
function printIngest(prefix, r) {
  console.log(`${prefix}_events_per_s=${Math.round(r.events / r.seconds)}`);
  console.log(`${prefix}_rss_mib=${Math.round(r.peakRss)}`);
  console.log(`${prefix}_cpu_us_per_event=${((r.cpu * 1e6) / r.events).toFixed(1)}`);
  if (r.mainCpu !== null)
    console.log(`${prefix}_main_thread_cpu_us_per_event=${((r.mainCpu * 1e6) / r.events).toFixed(1)}`);
}

try {
  if (PARTS.has('ingest') || PARTS.has('collector')) {
    const bodies = [...requests(APP, EVENTS, BATCH)];
    const bytes = bodies.reduce((a, b) => a + b.body.length, 0);
    console.log(`ingest_dataset_events=${EVENTS}`);
    console.log(
      `ingest_requests=${bodies.length} (protobuf, ${BATCH} log records each, ${CONCURRENCY} in flight)`,
    );
    console.log(`ingest_wire_mib=${(bytes / 1048576).toFixed(1)}`);
    let server = null;
    if (PARTS.has('ingest')) {
      // Server CPU per event: all its threads (DuckDB's included), and its one JavaScript thread, whose
      // time per event bounds one process's rate at 1e6 / ingest_main_thread_cpu_us_per_event.
      server = await ingest(bodies);
      printIngest('ingest', server);
    }
    if (PARTS.has('collector')) {
      const c = await collector(bodies);
      printIngest('collector', c);
      if (server)
        console.log(
          `ingest_to_collector_cpu_ratio=${(server.cpu / server.events / (c.cpu / c.events)).toFixed(2)}`,
        );
    }
  }
  if (PARTS.has('queries')) {
    if (!existsSync(dbPath)) {
      // A fresh file: the server makes the schema and the application, then the generator fills it.
      const child = startServer();
      try {
        await waitReady();
        await registerApp();
      } finally {
        await stop(child);
      }
    }
    const first = {};
    for (const size of QUERY_SIZES) {
      const g = await grow(size);
      const tag = short(size);
      console.log(`query_${tag}_dataset_events=${g.events}`);
      console.log(`query_${tag}_generate_s=${g.seconds.toFixed(0)}`);
      const q = await queries();
      for (const [name, ms] of Object.entries(q.timings)) {
        console.log(`query_${tag}_${name}_p95_ms=${ms.toFixed(1)}`);
        if (size === QUERY_SIZES[0]) first[name] = ms;
        else
          console.log(
            `query_${tag}_${name}_p95_ratio_to_${short(QUERY_SIZES[0])}=${(ms / first[name]).toFixed(2)}`,
          );
      }
      console.log(`query_${tag}_p95_ms=${q.p95.toFixed(1)}`);
      console.log(`query_${tag}_max_ms=${q.max.toFixed(1)}`);
      if (size === QUERY_SIZES[0]) first.all = q.p95;
      else
        console.log(`query_${tag}_p95_ratio_to_${short(QUERY_SIZES[0])}=${(q.p95 / first.all).toFixed(2)}`);
    }
  }
} finally {
  if (process.env.BENCH_KEEP_DB || REUSED_DB) console.log(`kept_db=${dbPath}`);
  else rmSync(dir, { recursive: true, force: true });
}

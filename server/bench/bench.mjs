// npm run bench:server — ingest throughput, resident memory and query latency of the real server.
//
// 1. Starts the built server (node server/dist/main.js) on a fresh DuckDB file, sends BENCH_EVENTS
//    realistic RUM events (sessions with views, actions, resources, errors, web vitals, long tasks)
//    as OTLP/HTTP protobuf requests of BENCH_BATCH log records, BENCH_CONCURRENCY in flight, each
//    answered only after its commit, and samples the server's resident memory.
// 2. Grows the same database to BENCH_QUERY_EVENTS events with DuckDB's own generator (same shape),
//    restarts the server, and times the explorer and dashboard queries over the API.
// Prints key=value lines. BENCH_NODE_ARGS passes flags to the server's node (e.g. --cpu-prof).
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cpuSeconds, rssMib } from './proc.mjs';
import { requests } from './rum-data.mjs';

const require = createRequire(join(import.meta.dirname, '..', 'package.json'));
const { DuckDBInstance } = require('@duckdb/node-api');
const proto = require('@opentelemetry/otlp-transformer/build/src/generated/root').opentelemetry.proto;

const EVENTS = Number(process.env.BENCH_EVENTS ?? 500_000);
const BATCH = Number(process.env.BENCH_BATCH ?? 1000);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 8);
const QUERY_EVENTS = Number(process.env.BENCH_QUERY_EVENTS ?? 10_000_000);
const QUERY_RUNS = Number(process.env.BENCH_QUERY_RUNS ?? 20);
for (const [name, v] of Object.entries({
  BENCH_EVENTS: EVENTS,
  BENCH_BATCH: BATCH,
  BENCH_CONCURRENCY: CONCURRENCY,
  BENCH_QUERY_RUNS: QUERY_RUNS,
}))
  if (!Number.isInteger(v) || v < 1)
    throw new Error(`${name} must be a whole number of at least 1, not ${v}`);
const PORT = Number(process.env.BENCH_PORT ?? 14399);
const TOKEN = 'bench-admin-token-0123456789abcdef';
const APP = 'bench_app';
const ROOT = join(import.meta.dirname, '..', '..');

const dir = mkdtempSync(join(tmpdir(), 'otel-rum-bench-'));
const dbPath = join(dir, 'rum.duckdb');
const base = `http://127.0.0.1:${PORT}`;
const auth = { authorization: `Bearer ${TOKEN}` };

function startServer() {
  const child = spawn(
    process.execPath,
    [
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

async function ingest() {
  const bodies = [...requests(APP, EVENTS, BATCH)];
  const bytes = bodies.reduce((a, b) => a + b.body.length, 0);
  const child = startServer();
  try {
    return await measureIngest(child, bodies, bytes);
  } finally {
    if (child.exitCode === null) await stop(child);
  }
}

async function measureIngest(child, bodies, bytes) {
  await waitReady();
  await registerApp();
  let peakRss = rssMib(child.pid);
  const sampler = setInterval(() => (peakRss = Math.max(peakRss, rssMib(child.pid))), 50);
  let next = 0;
  let events = 0;
  // The server's CPU time, all threads and its JavaScript thread (the process's first, tid = pid):
  // unlike the rate, it does not change when other processes share the cores.
  const cpuBefore = cpuSeconds(child.pid);
  const mainBefore = cpuSeconds(child.pid, child.pid);
  const started = performance.now();
  async function worker() {
    while (next < bodies.length) {
      const { body, count } = bodies[next++];
      for (;;) {
        const res = await fetch(`${base}/v1/logs`, {
          method: 'POST',
          headers: { 'content-type': 'application/x-protobuf' },
          body,
        });
        const answer = Buffer.from(await res.arrayBuffer());
        if (res.status === 503 || res.status === 429) {
          await new Promise((r) => setTimeout(r, 100));
          continue;
        }
        if (res.status !== 200) throw new Error(`ingest answered ${res.status}: ${answer}`);
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
  const cpu = cpuSeconds(child.pid) - cpuBefore;
  const mainCpu = cpuSeconds(child.pid, child.pid) - mainBefore;
  clearInterval(sampler);
  return { events, seconds, cpu, mainCpu, peakRss, bytes, requests: bodies.length };
}

async function grow() {
  const instance = await DuckDBInstance.create(dbPath);
  const conn = await instance.connect();
  const count = async () =>
    Number((await conn.runAndReadAll('SELECT count(*) AS n FROM events')).getRowObjectsJS()[0].n);
  const have = await count();
  const missing = Math.max(0, QUERY_EVENTS - have);
  const started = performance.now();
  if (missing > 0) {
    // Same shape as the ingested data: 3 views per session, ~8 events per view, spread over 7 days.
    // Generated once into a temporary table, then moved to each kind's table (the server's layout).
    await conn.run(`CREATE TEMP TABLE generated AS
      SELECT * EXCLUDE (i) REPLACE (
        -- A time-ordered UUID (version 7) from the event time, as the server gives each event it writes.
        printf('%08x-%04x-7%03x-%04x-%012x', epoch_ms(time) >> 16, epoch_ms(time) & 65535, hash(i) % 4096,
          32768 + hash(i) % 16384, hash(i) % 281474976710655) AS id)
      FROM (SELECT i, '' AS id,
        CASE WHEN i % 8 = 0 THEN 'view' WHEN i % 8 IN (1,2,3,4) THEN 'resource' WHEN i % 8 = 5 THEN 'action'
             WHEN i % 8 = 6 THEN 'web_vital' WHEN i % 40 = 7 THEN 'error' ELSE 'long_task' END AS kind,
        now()::TIMESTAMP - to_seconds((i * 604800 // ${missing})::BIGINT) AS time,
        '${APP}' AS app_id, 'gen-' || (i // 24)::VARCHAR AS session_id, 'gen-' || (i // 8)::VARCHAR AS view_id,
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
      FROM range(${missing}) t(i))`);
    for (const kind of ['view', 'resource', 'action', 'web_vital', 'error', 'long_task'])
      await conn.run(`INSERT INTO events_${kind} BY NAME SELECT * FROM generated WHERE kind = '${kind}'`);
    await conn.run('DROP TABLE generated');
    // The server keeps a summary row per session as it writes; the generated events get theirs here.
    await conn.run(`INSERT INTO sessions
      SELECT app_id, session_id, min(time), max(time), count(*) FILTER (WHERE kind = 'view'),
        count(*) FILTER (WHERE kind = 'error'), count(*) FILTER (WHERE kind = 'action'),
        count(*) FILTER (WHERE kind = 'resource'), 0, count(*), any_value(user_id), NULL,
        arg_min(url, time) FILTER (WHERE kind = 'view'), any_value(environment), any_value(service_version),
        any_value(browser), any_value(os), any_value(device), any_value(country)
      FROM events WHERE session_id LIKE 'gen-%' GROUP BY app_id, session_id`);
    // Likewise the views table: each generated view has one record.
    await conn.run(
      `INSERT INTO views SELECT * EXCLUDE (type), time AS last_time, type FROM events WHERE kind = 'view' AND session_id LIKE 'gen-%'`,
    );
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

try {
  const i = await ingest();
  console.log(`ingest_dataset_events=${i.events}`);
  console.log(
    `ingest_requests=${i.requests} (protobuf, ${BATCH} log records each, ${CONCURRENCY} in flight, ack after commit)`,
  );
  console.log(`ingest_wire_mib=${(i.bytes / 1048576).toFixed(1)}`);
  console.log(`ingest_events_per_s=${Math.round(i.events / i.seconds)}`);
  console.log(`ingest_rss_mib=${Math.round(i.peakRss)}`);
  // Server CPU per event: all its threads (DuckDB's included), and its one JavaScript thread, whose
  // time per event bounds one process's rate at 1e6 / ingest_main_thread_cpu_us_per_event.
  console.log(`ingest_cpu_us_per_event=${((i.cpu * 1e6) / i.events).toFixed(1)}`);
  console.log(`ingest_main_thread_cpu_us_per_event=${((i.mainCpu * 1e6) / i.events).toFixed(1)}`);
  const g = await grow();
  console.log(`query_dataset_events=${g.events}`);
  const q = await queries();
  for (const [name, ms] of Object.entries(q.timings)) console.log(`query_${name}_p95_ms=${ms.toFixed(1)}`);
  console.log(`query_p95_ms=${q.p95.toFixed(1)}`);
  console.log(`query_max_ms=${q.max.toFixed(1)}`);
} finally {
  if (process.env.BENCH_KEEP_DB) console.log(`kept_db=${dbPath}`);
  else rmSync(dir, { recursive: true, force: true });
}

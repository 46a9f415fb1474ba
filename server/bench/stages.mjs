// node server/bench/stages.mjs (after a build) — the CPU cost of each step of ingest, on its own.
//
// bench.mjs measures ingest end to end over HTTP; this one runs the server's own code for each step
// over the same data (rum-data.mjs), one step at a time over the whole dataset, and reads the CPU
// time each one used: on the JavaScript thread (Linux /proc, the thread whose id is the process id)
// and in the whole process (DuckDB's threads, V8's helper threads). CPU time, unlike a rate, barely
// moves when other processes share the cores, so the lines compare across runs and commits.
//   decode     protobuf bodies into OTLP objects (protobufjs, the official definitions)
//   normalise  OTLP objects into RUM rows (mapping, limits, user agent, fingerprint, country)
//   write      the rows through the write queue (STAGES_CONCURRENCY requests in flight) into a fresh
//              DuckDB file, then the summary fold and the checkpoint at close: every row is in the
//              database file when it ends.
// It also prints the ceilings those costs put on ingest: one JavaScript thread can do at most
// 1e6 / main-thread µs events per second, and the machine's cores at most cores × 1e6 / CPU µs,
// before HTTP, admission and response encoding, which are not counted here.
import { mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { cpuSeconds } from './proc.mjs';
import { requests } from './rum-data.mjs';

const EVENTS = Number(process.env.STAGES_EVENTS ?? 200_000);
const BATCH = Number(process.env.STAGES_BATCH ?? 1000);
const CONCURRENCY = Number(process.env.STAGES_CONCURRENCY ?? 8);
const APP = 'bench_app';
const dist = join(import.meta.dirname, '..', 'dist');
const { decodeRequest } = await import(join(dist, 'ingest', 'otlp', 'decode.js'));
const { normalise } = await import(join(dist, 'ingest', 'ingest.js'));
const { DuckDbStore } = await import(join(dist, 'store', 'duckdb', 'duckdb-store.js'));
const { WriteQueue } = await import(join(dist, 'ingest', 'write-queue.js'));
const { DEFAULT_CONFIG } = await import(join(dist, 'config.js'));

/** CPU time in µs used so far by this process's JavaScript thread (from /proc, 10 ms ticks). */
const mainThreadUs = () => cpuSeconds(process.pid, process.pid) * 1e6;
const processUs = () => {
  const u = process.cpuUsage();
  return u.user + u.system;
};

async function stage(name, run) {
  const main0 = mainThreadUs();
  const all0 = processUs();
  const t0 = performance.now();
  const out = await run();
  const wallMs = performance.now() - t0;
  const main = (mainThreadUs() - main0) / EVENTS;
  const cpu = (processUs() - all0) / EVENTS;
  console.log(`stage_${name}_main_thread_cpu_us_per_event=${main.toFixed(2)}`);
  console.log(`stage_${name}_cpu_us_per_event=${cpu.toFixed(2)}`);
  console.log(`stage_${name}_wall_ms=${wallMs.toFixed(0)}`);
  return { out, main, cpu };
}

const bodies = [...requests(APP, EVENTS, BATCH)].map((r) => Buffer.from(r.body));
console.log(`stages_dataset_events=${EVENTS}`);
console.log(`stages_requests=${bodies.length} (protobuf, ${BATCH} log records each)`);

const decode = await stage('decode', () => bodies.map((b) => decodeRequest('logs', 'protobuf', b)));
const client = { address: '127.0.0.1', userAgent: null };
const normal = await stage('normalise', () => {
  const nowUs = BigInt(Date.now()) * 1000n;
  return decode.out.map((req) => {
    const { batch, rejections } = normalise('logs', req, client, nowUs);
    if (rejections.count > 0) throw new Error(`normalise refused records: ${rejections.message}`);
    return batch;
  });
});
decode.out.length = 0;

const dir = mkdtempSync(join(tmpdir(), 'otel-rum-stages-'));
try {
  const store = await DuckDbStore.open(join(dir, 'rum.duckdb'), {
    checkpointMib: DEFAULT_CONFIG.checkpointMib,
  });
  const write = await stage('write', async () => {
    const queue = new WriteQueue(store);
    let next = 0;
    const sender = async () => {
      while (next < normal.out.length) await queue.submit(normal.out[next++]);
    };
    await Promise.all(Array.from({ length: CONCURRENCY }, sender));
    await store.foldSummaries();
    await store.close();
  });
  const main = decode.main + normal.main + write.main;
  const cpu = decode.cpu + normal.cpu + write.cpu;
  console.log(`stages_main_thread_cpu_us_per_event=${main.toFixed(2)}`);
  console.log(`stages_cpu_us_per_event=${cpu.toFixed(2)}`);
  console.log(`stages_ceiling_events_per_s_one_js_thread=${Math.round(1e6 / main)}`);
  console.log(
    `stages_ceiling_events_per_s_${availableParallelism()}_cores=${Math.round((availableParallelism() * 1e6) / cpu)}`,
  );
} finally {
  rmSync(dir, { recursive: true, force: true });
}

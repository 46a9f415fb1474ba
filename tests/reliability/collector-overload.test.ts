/*
 * The collector in front of an overloaded server: numbered RUM requests are sent to the real collector
 * (gateway.yaml) as fast as it takes them, until it took twice what the rate limit lets through; the
 * real server behind it holds the application to that rate limit, so it answers many of the
 * collector's exports with 429 and Retry-After.
 * The collector's exporter queues and retries; once the sending stops, everything the collector
 * acknowledged must be stored exactly once, and the collector's log must show retried 429s.
 *
 * Then the collector's memory against its memory_limiter: see the second describe below.
 */
import { FIRST_BUILD_TIMEOUT_MS, collectorBinary } from '../../collector-config/testing/collectorBinary';
import { startCollector, type RunningCollector } from '../../collector-config/testing/collectorProcess';
import { configPath } from '../../collector-config/testing/configFiles';
import { eventually, startTestServer, type TestServer } from '../support/server';
import { ACTIONS_PER_REQUEST, AckedIngestClient, checkStored } from './support/acked-ingest';
import { FULL, byMode, report } from './support/mode';
import { rssMib } from './support/rss';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readFileSync } from 'node:fs';

const APP = 'collector_overload';
const RATE = { eventsPerSecond: 300, burst: 300 };
/** The longest the first test sends for (it stops once the collector took twice the limit's share). */
const SEND_MAX_MS = 10_000;

describe('the collector in front of a server answering 429', () => {
  let server: TestServer;
  let collector: RunningCollector;

  beforeAll(async () => {
    collectorBinary();
    server = await startTestServer({ apps: [{ appId: APP, rateLimit: RATE }], demo: false });
    collector = await startCollector(configPath('gateway.yaml'), {
      RUM_SERVER_ENDPOINT: server.url,
      COLLECTOR_BATCH_TIMEOUT: '100ms',
      RUM_SERVER_MAX_REQUEST_BYTES: '16384',
    });
  }, FIRST_BUILD_TIMEOUT_MS);
  afterAll(async () => {
    await collector?.stop();
    await server?.close();
  }, 30_000);

  it('delivers everything the collector acknowledged, exactly once, after the server refused with 429', async () => {
    const client = new AckedIngestClient(collector.otlpUrl, APP);
    // Sends until the collector has taken twice what the rate limit lets through in that time, so that
    // the server must refuse some exports however fast this machine is (within SEND_MAX_MS).
    const sendStart = Date.now();
    const ackedEvents = () => client.sent.filter((s) => s.acked).length * (ACTIONS_PER_REQUEST + 1);
    const allowed = () => RATE.burst + (RATE.eventsPerSecond * (Date.now() - sendStart)) / 1000;
    while (Date.now() - sendStart < SEND_MAX_MS && ackedEvents() <= 2 * allowed())
      await new Promise((r) => setTimeout(r, 20));
    await client.stop();
    const acked = client.sent.filter((s) => s.acked).length;
    const expected = acked * (ACTIONS_PER_REQUEST + 1);
    const started = Date.now();
    const check = await eventually(async () => {
      const c = await checkStored(server.url, server.token, APP, client.sent);
      return c.eventsStored >= expected ? c : undefined;
    }, 50_000).catch(() => checkStored(server.url, server.token, APP, client.sent));
    // The exporter logs each refused export it will retry.
    const retries = collector
      .output()
      .split('\n')
      .filter((l) => /will retry/i.test(l));
    report({
      collector_requests_acked: acked,
      events_sent: expected,
      events_stored: check.eventsStored,
      acked_lost: check.ackedLost,
      duplicated: check.duplicated,
      export_retries: retries.length,
      retries_429: retries.filter((l) => l.includes('429')).length,
      drained_s: ((Date.now() - started) / 1000).toFixed(1),
    });
    expect(retries.filter((l) => l.includes('429')).length).toBeGreaterThan(0);
    expect(check).toMatchObject({ ackedLost: 0, duplicated: 0, eventsStored: expected });
  }, 90_000);
});

/*
 * The collector's memory against its memory_limiter while the server behind it refuses: a front on
 * its own port answers every export with 503 and Retry-After, then with 429 and Retry-After, then
 * forwards to the real server. Heavy requests go to the collector throughout the refusals, with a
 * memory limit low enough that the refused exports it keeps reach it.
 */
const LIMITED_APP = 'collector_memory';
/** The collector's memory_limiter for this run (limit_mib, spike_limit_mib): soft limit 96 MiB. */
const LIMIT_MIB = 128;
const SPIKE_MIB = 32;
const REFUSE_503_MS = byMode(5_000, 20_000);
const REFUSE_429_MS = byMode(5_000, 20_000);
const PAD_CHARS = 3000;

type FrontMode = '503' | '429' | 'forward';
/** The label set of the logs pipeline's export queue (one queue per signal). */
const LOGS = 'data_type="logs"';

/** An HTTP front refusing as `mode` says, or forwarding to `target`; counts its answers. */
async function startFront(target: string) {
  let mode: FrontMode = '503';
  const answers: Record<string, number> = {};
  const server = createServer((req, res) => {
    if (mode !== 'forward') {
      req.resume();
      answers[mode] = (answers[mode] ?? 0) + 1;
      res
        .writeHead(Number(mode), {
          'Retry-After': mode === '503' ? '2' : '1',
          'Content-Type': 'application/json',
        })
        .end(JSON.stringify({ error: `front refusing with ${mode}` }));
      return;
    }
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const headers: Record<string, string> = {};
      for (const [k, v] of Object.entries(req.headers))
        if (typeof v === 'string' && k !== 'host' && k !== 'connection' && k !== 'content-length')
          headers[k] = v;
      fetch(target + (req.url ?? '/'), { method: req.method, headers, body: Buffer.concat(chunks) })
        .then(async (r) => {
          answers[String(r.status)] = (answers[String(r.status)] ?? 0) + 1;
          const body = Buffer.from(await r.arrayBuffer());
          res
            .writeHead(r.status, { 'Content-Type': r.headers.get('content-type') ?? 'application/json' })
            .end(body);
        })
        .catch((e: unknown) => res.destroy(e as Error));
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    answers,
    set(m: FrontMode) {
      mode = m;
    },
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}

/**
 * Sums every sample of a metric in a Prometheus text exposition (all label sets). A counter the
 * collector never added to is not in the exposition: 0.
 */
function metricSum(text: string, name: string, labels = ''): number {
  let sum = 0;
  for (const line of text.split('\n')) {
    if (line.startsWith('#')) continue;
    const m = /^([a-zA-Z_:][\w:]*)(\{[^}]*\})?\s+(\S+)/.exec(line);
    if (m && m[1] === name && (m[2] ?? '').includes(labels)) sum += Number(m[3]);
  }
  return sum;
}

/** CPU time (user + system) of a process so far, in seconds (Linux /proc, clock ticks of 100 Hz). */
function cpuSeconds(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

describe('the collector under overload, against its memory_limiter', () => {
  let limited: RunningCollector;
  let memServer: TestServer;
  let front: Awaited<ReturnType<typeof startFront>>;
  beforeAll(async () => {
    collectorBinary();
    memServer = await startTestServer({ apps: [LIMITED_APP], demo: false });
    front = await startFront(memServer.url);
    limited = await startCollector(configPath('gateway.yaml'), {
      RUM_SERVER_ENDPOINT: front.url,
      COLLECTOR_BATCH_TIMEOUT: '100ms',
      COLLECTOR_MEMORY_LIMIT_MIB: String(LIMIT_MIB),
      COLLECTOR_MEMORY_SPIKE_LIMIT_MIB: String(SPIKE_MIB),
    });
  }, FIRST_BUILD_TIMEOUT_MS);
  afterAll(async () => {
    await limited?.stop();
    await front?.close();
    await memServer?.close();
  }, 30_000);

  it('stays within its memory limit, retries 503 and 429, and delivers everything it acknowledged', async () => {
    const rss: number[] = [];
    const heap: number[] = [];
    let sampling = true;
    const sampler = (async () => {
      while (sampling) {
        rss.push(rssMib(limited.pid));
        const text = await (await fetch(limited.selfMetricsUrl)).text();
        heap.push(metricSum(text, 'otelcol_process_runtime_heap_alloc_bytes') / 1048576);
        await new Promise((r) => setTimeout(r, 250));
      }
    })();
    const cpu0 = cpuSeconds(limited.pid);
    const t0 = performance.now();
    const client = new AckedIngestClient(limited.otlpUrl, LIMITED_APP, {
      padChars: PAD_CHARS,
      concurrency: 8,
    });
    await new Promise((r) => setTimeout(r, REFUSE_503_MS));
    const rss503 = Math.max(...rss);
    front.set('429');
    await new Promise((r) => setTimeout(r, REFUSE_429_MS));
    await client.stop();
    const sendS = (performance.now() - t0) / 1000;
    front.set('forward');
    const during = await (await fetch(limited.selfMetricsUrl)).text();

    const acked = client.sent.filter((s) => s.acked).length;
    const expected = acked * (ACTIONS_PER_REQUEST + 1);
    const recovered = performance.now();
    const check = await eventually(async () => {
      const c = await checkStored(memServer.url, memServer.token, LIMITED_APP, client.sent);
      return c.eventsStored >= expected ? c : undefined;
    }, 240_000).catch(() => checkStored(memServer.url, memServer.token, LIMITED_APP, client.sent));
    const drainedS = (performance.now() - recovered) / 1000;
    sampling = false;
    await sampler;
    const after = await (await fetch(limited.selfMetricsUrl)).text();
    const statuses: Record<string, number> = {};
    for (const s of client.sent) statuses[String(s.status)] = (statuses[String(s.status)] ?? 0) + 1;
    const retries = limited
      .output()
      .split('\n')
      .filter((l) => /will retry/i.test(l));
    const dropped = metricSum(after, 'otelcol_exporter_enqueue_failed_log_records');
    const sendFailed = metricSum(after, 'otelcol_exporter_send_failed_log_records');
    report({
      memory_limit_mib: LIMIT_MIB,
      spike_limit_mib: SPIKE_MIB,
      refused_503_s: REFUSE_503_MS / 1000,
      refused_429_s: REFUSE_429_MS / 1000,
      requests_sent: client.sent.length,
      collector_requests_acked: acked,
      collector_answers: Object.entries(statuses)
        .map(([k, v]) => `${k}:${v}`)
        .join(','),
      front_answers: Object.entries(front.answers)
        .map(([k, v]) => `${k}:${v}`)
        .join(','),
      events_sent: expected,
      events_stored: check.eventsStored,
      acked_lost: check.ackedLost,
      duplicated: check.duplicated,
      unacked_but_stored: check.unackedButStored,
      queue_dropped_records: dropped,
      send_failed_records: sendFailed,
      receiver_refused_records: metricSum(after, 'otelcol_receiver_refused_log_records'),
      queue_size_at_recovery: metricSum(during, 'otelcol_exporter_queue_size', LOGS),
      queue_capacity: metricSum(during, 'otelcol_exporter_queue_capacity', LOGS),
      export_retries: retries.length,
      retries_503: retries.filter((l) => l.includes('503')).length,
      retries_429: retries.filter((l) => l.includes('429')).length,
      collector_rss_mib_start_peak503_peak_end: `${rss[0]!.toFixed(0)}/${rss503.toFixed(0)}/${Math.max(...rss).toFixed(0)}/${rss[rss.length - 1]!.toFixed(0)}`,
      collector_heap_mib_peak: Math.max(...heap).toFixed(0),
      send_wall_s: sendS.toFixed(1),
      drained_s: drainedS.toFixed(1),
      collector_cpu_s: (cpuSeconds(limited.pid) - cpu0).toFixed(1),
      wall_s: ((performance.now() - t0) / 1000).toFixed(1),
    });
    expect(front.answers['503']).toBeGreaterThan(0);
    expect(front.answers['429']).toBeGreaterThan(0);
    expect(retries.some((l) => l.includes('503'))).toBe(true);
    expect(retries.some((l) => l.includes('429'))).toBe(true);
    // The limiter reads the heap once a second (check_interval): between two reads the heap may pass
    // limit_mib; spike_limit_mib is the room the configuration leaves for that.
    expect(Math.max(...heap)).toBeLessThanOrEqual(LIMIT_MIB + SPIKE_MIB);
    // In the long run the refusals last long enough for the limiter to refuse data itself.
    if (FULL) expect(metricSum(after, 'otelcol_receiver_refused_log_records')).toBeGreaterThan(0);
    expect(check).toMatchObject({ duplicated: 0 });
    // Whatever the exporter dropped (its queue full, or retries past max_elapsed_time) is counted;
    // everything else the collector acknowledged is stored.
    expect(check.ackedLost).toBeLessThanOrEqual(dropped + sendFailed);
  }, 360_000);
});

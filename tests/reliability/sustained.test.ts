/*
 * Sustained ingest at 80 % of the measured capacity (npm run test:reliability only): the real server
 * process on a DuckDB file with its default settings, first driven as fast as it answers to measure
 * its capacity (for at least CAPACITY_S and until DuckDB has checkpointed once, so that the capacity
 * includes a checkpoint's cost), then at 80 % of it for SUSTAINED_S seconds. Prints the slope of its
 * RSS (least squares, MiB per minute, over the second half: the first fills DuckDB's caches), its
 * highest RSS in each tenth of the run, the checkpoints seen, the p50/p99 of the time to
 * acknowledgement, and the CPU time of the server and of the test's client beside the wall time.
 */
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { EventName, MAX_APP_EVENTS_PER_SECOND, SESSION_ID } from '@otel-rum/model';
import { rumLogsRequest } from '../support/rum-events';
import { FULL, report } from './support/mode';
import { freePort, ServerProcess } from './support/server-process';
import { registerApp } from './support/api';
import { rssMib } from './support/rss';

const APP = 'sustained';
const EVENTS_PER_REQUEST = 200;
const CAPACITY_S = 15;
/** Longest capacity measurement when no checkpoint comes. */
const MAX_CAPACITY_S = 90;
const SUSTAINED_S = Number(process.env.RELIABILITY_SUSTAINED_S ?? 60);
const IN_FLIGHT = 8;
/** Highest p99 time to acknowledgement accepted: an OTLP exporter's default timeout is 10 s. */
const MAX_P99_ACK_MS = 8000;
/** Acknowledgements slower than this are listed by when their request was sent, beside the checkpoints. */
const SLOW_ACK_MS = 2000;

/** Whole seconds as ranges: 3/4/5/9 -> 3-5/9. */
function ranges(seconds: number[]): string {
  const s = [...new Set(seconds.map((x) => Math.floor(x)))].sort((a, b) => a - b);
  const out: string[] = [];
  for (let i = 0; i < s.length; i++) {
    let j = i;
    while (j + 1 < s.length && s[j + 1] === s[j]! + 1) j++;
    out.push(i === j ? `${s[i]}` : `${s[i]}-${s[j]}`);
    i = j;
  }
  return out.join('/') || 'none';
}

jest.setTimeout((CAPACITY_S + SUSTAINED_S) * 1000 + 120_000);

let n = 0;
function body(): string {
  const r = n++;
  return JSON.stringify(
    rumLogsRequest(
      APP,
      Array.from({ length: EVENTS_PER_REQUEST }, (_, i) => ({
        eventName: EventName.ACTION,
        attributes: {
          [SESSION_ID]: `s${r % 500}`,
          'rum.action.type': 'click',
          'rum.action.name': `b${i % 20}`,
        },
      })),
    ),
  );
}

async function send(base: string): Promise<number> {
  const t = performance.now();
  const res = await fetch(`${base}/v1/logs`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: body(),
  });
  await res.arrayBuffer();
  if (res.status !== 200) throw new Error(`ingest answered ${res.status}`);
  return performance.now() - t;
}

function slopePerMinute(points: [number, number][]): number {
  const mx = points.reduce((a, p) => a + p[0], 0) / points.length;
  const my = points.reduce((a, p) => a + p[1], 0) / points.length;
  let num = 0;
  let den = 0;
  for (const [x, y] of points) {
    num += (x - mx) * (y - my);
    den += (x - mx) ** 2;
  }
  return (num / den) * 60;
}

/** CPU time (user + system) of a process so far, in seconds (Linux /proc, 100 clock ticks a second). */
function cpuSeconds(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

/** Size of the write-ahead log (0 when there is none): a checkpoint empties it. */
function walBytes(dbPath: string): number {
  try {
    return statSync(`${dbPath}.wal`).size;
  } catch {
    return 0;
  }
}

/** Counts checkpoints by watching the write-ahead log shrink, every 200 ms until stopped. */
function watchCheckpoints(dbPath: string) {
  let last = 0;
  const w = {
    count: 0,
    /** When each was seen (performance.now()). */
    at: [] as number[],
    timer: setInterval(() => {
      const now = walBytes(dbPath);
      if (now < last) {
        w.count++;
        w.at.push(performance.now());
      }
      last = now;
    }, 200),
  };
  return w;
}

const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))]!;

(FULL ? describe : describe.skip)('sustained ingest at 80 % of capacity', () => {
  const dir = mkdtempSync(join(tmpdir(), 'rum-sustained-'));
  let proc: ServerProcess;
  afterAll(async () => {
    await proc?.kill9();
    rmSync(dir, { recursive: true, force: true });
  });

  it(`keeps memory flat and acknowledgements bounded for ${SUSTAINED_S} s`, async () => {
    const token = `rum_sus_${randomBytes(16).toString('hex')}`;
    const dbPath = join(dir, 'rum.duckdb');
    proc = new ServerProcess({ port: await freePort(), dbPath, adminToken: token });
    await proc.start();
    await registerApp(proc.url, token, APP, {
      rateLimit: { eventsPerSecond: MAX_APP_EVENTS_PER_SECOND, burst: MAX_APP_EVENTS_PER_SECOND },
    });

    // Capacity: as fast as it answers, until a checkpoint has been paid for.
    let done = 0;
    const checkpoints = watchCheckpoints(dbPath);
    const capStart = performance.now();
    const capacityDone = () => {
      const s = (performance.now() - capStart) / 1000;
      return s >= MAX_CAPACITY_S || (s >= CAPACITY_S && checkpoints.count > 0);
    };
    await Promise.all(
      Array.from({ length: IN_FLIGHT }, async () => {
        while (!capacityDone()) {
          await send(proc.url);
          done++;
        }
      }),
    );
    const capacityS = (performance.now() - capStart) / 1000;
    const capacity = (done * EVENTS_PER_REQUEST) / capacityS;
    const capacityCheckpoints = checkpoints.count;

    // 80 % of it, paced: one request every interval, whatever the answers take.
    const intervalMs = (EVENTS_PER_REQUEST / (capacity * 0.8)) * 1000;
    const latencies: number[] = [];
    /** Send times (s into the run) of the requests acknowledged after more than SLOW_ACK_MS. */
    const slowSentAt: number[] = [];
    const rss: [number, number][] = [];
    const start = performance.now();
    const serverCpu0 = cpuSeconds(proc.pid!);
    const clientCpu0 = process.cpuUsage();
    const pending: Promise<void>[] = [];
    let failures = 0;
    const sampler = setInterval(
      () => rss.push([(performance.now() - start) / 1000, rssMib(proc.pid!)]),
      1000,
    );
    for (let k = 0; performance.now() - start < SUSTAINED_S * 1000; k++) {
      const due = start + k * intervalMs;
      const wait = due - performance.now();
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
      const sentAt = (performance.now() - start) / 1000;
      pending.push(
        send(proc.url).then(
          (ms) => {
            latencies.push(ms);
            if (ms > SLOW_ACK_MS) slowSentAt.push(sentAt);
          },
          () => void failures++,
        ),
      );
    }
    await Promise.all(pending);
    const wallS = (performance.now() - start) / 1000;
    const serverCpuS = cpuSeconds(proc.pid!) - serverCpu0;
    const clientCpu = process.cpuUsage(clientCpu0);
    clearInterval(sampler);
    clearInterval(checkpoints.timer);
    await proc.stop();

    const sorted = [...latencies].sort((a, b) => a - b);
    const secondHalf = rss.filter(([t]) => t >= SUSTAINED_S / 2);
    const tenths = Array.from({ length: 10 }, (_, i) =>
      Math.max(
        ...rss
          .filter(([t]) => t >= (i * SUSTAINED_S) / 10 && t < ((i + 1) * SUSTAINED_S) / 10)
          .map((p) => p[1]),
      ),
    );
    report({
      capacity_events_per_s: capacity.toFixed(0),
      capacity_s: capacityS.toFixed(0),
      capacity_checkpoints: capacityCheckpoints,
      sustained_events_per_s: ((latencies.length * EVENTS_PER_REQUEST) / SUSTAINED_S).toFixed(0),
      sustained_s: SUSTAINED_S,
      ack_p50_ms: percentile(sorted, 0.5).toFixed(0),
      ack_p99_ms: percentile(sorted, 0.99).toFixed(0),
      ack_max_ms: sorted[sorted.length - 1]!.toFixed(0),
      refused: failures,
      rss_start_mib: rss[0]![1].toFixed(0),
      rss_end_mib: rss[rss.length - 1]![1].toFixed(0),
      rss_slope_mib_per_min_second_half: slopePerMinute(secondHalf).toFixed(1),
      rss_max_mib_per_tenth: tenths.map((m) => m.toFixed(0)).join('/'),
      checkpoints: checkpoints.count - capacityCheckpoints,
      checkpoints_seen_at_s: ranges(checkpoints.at.filter((t) => t >= start).map((t) => (t - start) / 1000)),
      acks_over_2s: slowSentAt.length,
      acks_over_2s_sent_at_s: ranges(slowSentAt),
      wall_s: wallS.toFixed(0),
      server_cpu_s: serverCpuS.toFixed(0),
      client_cpu_s: ((clientCpu.user + clientCpu.system) / 1e6).toFixed(0),
    });
    expect(failures).toBe(0);
    // Bounded: well inside the 10 s an OTLP exporter waits by default. The RSS slope is printed, not
    // judged: between checkpoints RSS climbs and falls back (docs/reliability.md), so a slope over
    // a short run depends on where the run ends in that cycle.
    expect(percentile(sorted, 0.99)).toBeLessThan(MAX_P99_ACK_MS);
  });
});

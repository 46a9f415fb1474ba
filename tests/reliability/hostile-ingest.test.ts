/*
 * Hostile input at the OTLP endpoints: fast-check generates malformed and extreme requests for
 * /v1/traces, /v1/logs and /v1/metrics (support/hostile-otlp.ts) and sends them to the real server
 * process. Each must be answered: 200, or a 4xx whose body names the reason; never a 5xx, a reset
 * connection or a dead process. Afterwards the DuckDB file is searched, table by table, for the
 * marker of every refused request (none may be there), and the server's memory must be back near
 * where it was before.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import fc from 'fast-check';
import {
  MAX_APP_EVENTS_PER_SECOND,
  MAX_DECOMPRESSED_BODY_BYTES,
  MAX_EVENTS_PER_REQUEST,
  MAX_REQUEST_BODY_BYTES,
} from '@otel-rum/model';
import { byMode, report } from './support/mode';
import { freePort, ServerProcess } from './support/server-process';
import { registerApp } from './support/api';
import { gzipBomb, hostileRequests, validRequest, type HostileRequest } from './support/hostile-otlp';
import { dumpStore } from '../support/store-dump';
import { rssMib } from './support/rss';

const APP = 'fuzz';
const CASES = byMode(600, 10_000);
const IN_FLIGHT = 8;
/**
 * Growth of the server's RSS at the end of the second round of cases over the higher of the baseline
 * and the end of the first round, still counted as flat. (The first round can end below the baseline
 * when a collection happens to run; growth from that dip alone is not a leak.)
 */
const RSS_MARGIN_MIB = 40;
const SEED = Number(process.env.RELIABILITY_SEED ?? 20261204);

jest.setTimeout(byMode(180_000, 1_800_000));

interface Answer {
  request: HostileRequest;
  status: number;
  error: string | null;
}

async function send(
  base: string,
  r: Pick<HostileRequest, 'path' | 'headers' | 'body'>,
): Promise<{ status: number; error: string | null }> {
  const res = await fetch(base + r.path, { method: 'POST', headers: r.headers, body: r.body });
  const text = await res.text();
  let error: string | null = null;
  if (res.status !== 200) {
    try {
      error = (JSON.parse(text) as { error?: string }).error ?? null;
    } catch {
      error = null;
    }
  }
  return { status: res.status, error };
}

/** A 4xx whose body names what was wrong, or a 200. */
function acceptable(a: { status: number; error: string | null }): boolean {
  if (a.status === 200) return true;
  return a.status >= 400 && a.status < 500 && typeof a.error === 'string' && a.error.length >= 10;
}

describe('hostile OTLP input', () => {
  const dir = mkdtempSync(join(tmpdir(), 'rum-fuzz-'));
  const dbPath = join(dir, 'rum.duckdb');
  const token = `rum_fuzz_${randomBytes(16).toString('hex')}`;
  let proc: ServerProcess;
  beforeAll(async () => {
    proc = new ServerProcess({ port: await freePort(), dbPath, adminToken: token });
    await proc.start();
    await registerApp(proc.url, token, APP, {
      rateLimit: { eventsPerSecond: MAX_APP_EVENTS_PER_SECOND, burst: MAX_APP_EVENTS_PER_SECOND },
    });
  });
  afterAll(async () => {
    await proc.kill9();
    rmSync(dir, { recursive: true, force: true });
  });

  it('answers each limit ±1 by name', async () => {
    const records = (n: number) => {
      const doc = validRequest('logs', APP, `limit${n}`) as {
        resourceLogs: { scopeLogs: { logRecords: unknown[] }[] }[];
      };
      const one = doc.resourceLogs[0]!.scopeLogs[0]!.logRecords[1];
      doc.resourceLogs[0]!.scopeLogs[0]!.logRecords = Array.from({ length: n }, () => one);
      return Buffer.from(JSON.stringify(doc));
    };
    const json = { 'content-type': 'application/json' };
    const atLimit = await send(proc.url, {
      path: '/v1/logs',
      headers: json,
      body: records(MAX_EVENTS_PER_REQUEST),
    });
    const overLimit = await send(proc.url, {
      path: '/v1/logs',
      headers: json,
      body: records(MAX_EVENTS_PER_REQUEST + 1),
    });
    expect(atLimit.status).toBe(200);
    expect(overLimit).toEqual({
      status: 413,
      error: expect.stringContaining(String(MAX_EVENTS_PER_REQUEST)),
    });

    const padded = (bytes: number) => {
      const body = Buffer.alloc(bytes, 0x20);
      Buffer.from('{}').copy(body, 0);
      return body;
    };
    expect(
      (await send(proc.url, { path: '/v1/logs', headers: json, body: padded(MAX_REQUEST_BODY_BYTES) }))
        .status,
    ).toBe(200);
    const tooBig = await send(proc.url, {
      path: '/v1/logs',
      headers: json,
      body: padded(MAX_REQUEST_BODY_BYTES + 1),
    });
    expect(tooBig.status).toBe(413);
    expect(tooBig.error).toMatch(/body/i);

    const gz = { ...json, 'content-encoding': 'gzip' };
    const inflatesToLimit = await send(proc.url, {
      path: '/v1/logs',
      headers: gz,
      body: gzipSync(padded(MAX_DECOMPRESSED_BODY_BYTES)),
    });
    expect(inflatesToLimit.status).toBe(200);
    const bomb = await send(proc.url, { path: '/v1/logs', headers: gz, body: gzipBomb() });
    expect(bomb.status).toBe(413);
    expect(bomb.error).toMatch(/decompress|inflat/i);
  });

  it(`answers ${CASES} generated hostile requests by name, stores nothing of a refused one, and its memory comes back`, async () => {
    const pid = proc.pid!;
    // Warm up with valid requests of each signal, then take the baseline.
    for (let i = 0; i < 50; i++)
      for (const signal of ['traces', 'logs', 'metrics'] as const)
        expect(
          (
            await send(proc.url, {
              path: `/v1/${signal}`,
              headers: { 'content-type': 'application/json' },
              body: Buffer.from(JSON.stringify(validRequest(signal, APP, `warm${i}`))),
            })
          ).status,
        ).toBe(200);
    const baseline = rssMib(pid);
    let peak = baseline;

    const makers = fc.sample(hostileRequests(APP), { numRuns: CASES, seed: SEED });
    const answers: Answer[] = [];
    const failures: string[] = [];
    // Two rounds of half the cases each: memory the first leaves behind may be caches that have found
    // their size; the second must not add to it.
    const afterRound: number[] = [];
    for (const [from, to] of [
      [0, CASES / 2],
      [CASES / 2, CASES],
    ] as const) {
      let next = from;
      await Promise.all(
        Array.from({ length: IN_FLIGHT }, async () => {
          while (next < to) {
            const n = next++;
            const request = makers[n]!(n);
            let answer: Answer;
            try {
              answer = { request, ...(await send(proc.url, request)) };
            } catch (e) {
              answer = { request, status: 0, error: `no answer: ${(e as Error).message}` };
            }
            answers.push(answer);
            if (!acceptable(answer) && failures.length < 20)
              failures.push(`case ${n} (${request.what}): ${answer.status} ${answer.error}`);
            if (n % 100 === 0) peak = Math.max(peak, rssMib(pid));
          }
        }),
      );
      await new Promise((r) => setTimeout(r, 3000));
      afterRound.push(rssMib(pid));
    }
    expect(proc.exitedOnItsOwn()).toBeNull();
    await proc.stop();

    const stored = new Set<string>();
    for (const rows of (await dumpStore(dbPath)).values())
      for (const row of rows) for (const m of row.matchAll(/fzm(\d+)z/g)) stored.add(m[0]);
    const refused = answers.filter((a) => a.status !== 200);
    const storedFromRefused = refused.filter((a) => stored.has(a.request.marker));

    const statuses: Record<string, number> = {};
    for (const a of answers) statuses[a.status] = (statuses[a.status] ?? 0) + 1;
    report({
      hostile_requests: answers.length,
      seed: SEED,
      unacceptable_answers: answers.filter((a) => !acceptable(a)).length,
      stored_from_refused: storedFromRefused.length,
      ...Object.fromEntries(Object.entries(statuses).map(([k, v]) => [`status_${k}`, v])),
      rss_baseline_mib: baseline.toFixed(0),
      rss_peak_mib: peak.toFixed(0),
      rss_after_round1_mib: afterRound[0]!.toFixed(0),
      rss_after_round2_mib: afterRound[1]!.toFixed(0),
    });
    expect({ failures, serverLog: failures.length ? proc.output.slice(-3000) : '' }).toEqual({
      failures: [],
      serverLog: '',
    });
    expect(storedFromRefused.map((a) => a.request.what)).toEqual([]);
    expect(afterRound[1]! - Math.max(baseline, afterRound[0]!)).toBeLessThan(RSS_MARGIN_MIB);
  });
});

/*
 * A real Prometheus (Debian's package, installed by scripts/install-test-deps.sh) scrapes the
 * server's /metrics every second; the generated metrics must come back from PromQL with their labels.
 */
import * as fs from 'node:fs';
import * as M from '@otel-rum/model';
import {
  PROMETHEUS_PATH,
  startPrometheus,
  type PromSample,
  type RunningPrometheus,
} from '../../../collector-config/testing/prometheusProcess';
import { apiFetch, eventually, startTestServer, type TestServer } from '../../../tests/support/server';
import { sendRumEvents, type RumEvent } from '../../../tests/support/rum-events';

let server: TestServer;
let prometheus: RunningPrometheus;

beforeAll(async () => {
  if (!fs.existsSync(PROMETHEUS_PATH))
    throw new Error(`${PROMETHEUS_PATH} is missing: run scripts/install-test-deps.sh (npm run test:deps)`);
  server = await startTestServer({ apps: ['shop'] });
  prometheus = await startPrometheus(new URL(server.url).host);
}, 30_000);

afterAll(async () => {
  await prometheus?.stop();
  await server?.close();
});

async function createRule(rule: Record<string, unknown>): Promise<void> {
  const res = await apiFetch(server.url, '/api/v1/metrics/rules', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(rule),
  });
  expect(res.status).toBe(201);
}

function resource(path: string, status: number, durationMs: number): RumEvent {
  return {
    eventName: M.EventName.RESOURCE,
    attributes: {
      [M.SESSION_ID]: 's1',
      [M.URL_FULL]: `https://api.shop.test${path}`,
      [M.HTTP_RESPONSE_STATUS_CODE]: status,
      [M.RUM_RESOURCE_DURATION]: durationMs,
    },
  };
}

/** The samples of `promql` once Prometheus returns `count` series, or fails after 20 s. */
function query(promql: string, count: number): Promise<PromSample[]> {
  return eventually(async () => {
    const samples = await prometheus.query(promql);
    return samples.length === count ? samples : undefined;
  }, 20_000);
}

test('Prometheus scrapes generated metrics with their labels and answers PromQL over them', async () => {
  await createRule({
    name: 'shop_failed_requests_total',
    kind: 'resource',
    filter: 'status >= 500',
    aggregation: 'count',
    dimensions: ['path', { field: 'status', label: 'code' }],
    intervalSeconds: 10,
  });
  await createRule({
    name: 'shop_request_duration_p90',
    kind: 'resource',
    aggregation: 'percentile',
    field: 'duration',
    percentile: 90,
    dimensions: ['path'],
    intervalSeconds: 60,
  });
  const events = [
    resource('/api/pay', 502, 800),
    resource('/api/pay', 502, 900),
    resource('/api/pay', 503, 100),
  ];
  for (let i = 1; i <= 10; i++) events.push(resource('/api/cart', 200, i * 10));
  await sendRumEvents(server.url, 'shop', events);

  const failed = await query('shop_failed_requests_total{path="/api/pay"} > 0', 2);
  const byCode = Object.fromEntries(failed.map((s) => [s.metric.code, Number(s.value[1])]));
  expect(byCode).toEqual({ '502': 2, '503': 1 });
  expect(failed[0]!.metric).toMatchObject({ __name__: 'shop_failed_requests_total', path: '/api/pay' });

  const p90 = await query('shop_request_duration_p90{path="/api/cart",quantile="0.9"}', 1);
  expect(Math.abs(Number(p90[0]!.value[1]) - 90) / 90).toBeLessThanOrEqual(0.02);
  const count = await query('shop_request_duration_p90_count{path="/api/cart"}', 1);
  expect(Number(count[0]!.value[1])).toBe(10);

  // More failures arrive: the counter rises, and PromQL sees the increase on the next scrapes.
  await sendRumEvents(server.url, 'shop', [resource('/api/pay', 502, 700)]);
  const risen = await query('shop_failed_requests_total{path="/api/pay",code="502"} == 3', 1);
  expect(Number(risen[0]!.value[1])).toBe(3);
}, 60_000);

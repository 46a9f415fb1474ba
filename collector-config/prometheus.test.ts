import * as fs from 'node:fs';
import {
  EventName,
  EXCEPTION_MESSAGE,
  RUM_APP_ID,
  RUM_VIEW_ENDED,
  URL_FULL,
  URL_PATH,
  USER_AGENT_ORIGINAL,
  WEB_VITAL_NAME,
  WEB_VITAL_VALUE,
} from '@otel-rum/model';
import { FIRST_BUILD_TIMEOUT_MS, collectorBinary } from './testing/collectorBinary';
import { startCollector, type RunningCollector } from './testing/collectorProcess';
import { configPath } from './testing/configFiles';
import { waitFor } from './testing/waitFor';
import { startOtlpSink, type OtlpSink } from './testing/otlpSink';
import { logsRequest, postOtlp } from './testing/otlpJson';
import { PROMETHEUS_PATH, startPrometheus, type RunningPrometheus } from './testing/prometheusProcess';

jest.setTimeout(30_000);

const BROWSER_UA =
  'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/140.0 Safari/537.36';

let sink: OtlpSink;
let collector: RunningCollector;
let prometheus: RunningPrometheus;

beforeAll(async () => {
  if (!fs.existsSync(PROMETHEUS_PATH)) {
    throw new Error(`${PROMETHEUS_PATH} is missing: run scripts/install-test-deps.sh (npm run test:deps)`);
  }
  collectorBinary();
  sink = await startOtlpSink();
  collector = await startCollector(configPath('gateway.yaml'), {
    RUM_SERVER_ENDPOINT: sink.url,
    RUM_SERVER_ENCODING: 'json',
    COLLECTOR_BATCH_TIMEOUT: '100ms',
  });
  prometheus = await startPrometheus(collector.prometheusTarget);
}, FIRST_BUILD_TIMEOUT_MS);

afterAll(async () => {
  await prometheus?.stop();
  await collector?.stop();
  await sink?.close();
});

test('Prometheus scrapes the generated RUM metrics and answers PromQL over them', async () => {
  const page = (path: string) => ({ [URL_FULL]: `https://news.test${path}`, [URL_PATH]: path });
  const resource = { [RUM_APP_ID]: 'news', [USER_AGENT_ORIGINAL]: BROWSER_UA };
  await postOtlp(
    `${collector.otlpUrl}/v1/logs`,
    logsRequest(resource, [
      { eventName: EventName.VIEW, attributes: { ...page('/'), [RUM_VIEW_ENDED]: false } },
      { eventName: EventName.VIEW, attributes: { ...page('/'), [RUM_VIEW_ENDED]: false } },
      { eventName: EventName.VIEW, attributes: { ...page('/story/42'), [RUM_VIEW_ENDED]: false } },
      {
        eventName: EventName.EXCEPTION,
        attributes: { [URL_FULL]: 'https://news.test/story/42', [EXCEPTION_MESSAGE]: 'x' },
      },
      {
        eventName: EventName.WEB_VITAL,
        attributes: { ...page('/'), [WEB_VITAL_NAME]: 'LCP', [WEB_VITAL_VALUE]: 900 },
      },
      {
        eventName: EventName.WEB_VITAL,
        attributes: { ...page('/'), [WEB_VITAL_NAME]: 'LCP', [WEB_VITAL_VALUE]: 3100 },
      },
    ]),
  );

  const views = await waitFor(
    'page views in Prometheus',
    async () => {
      const result = await prometheus.query(
        'sum by (rum_app_id, url_path) (rum_page_views_total{rum_app_id="news"})',
      );
      return result.length === 2 ? result : undefined;
    },
    30_000,
  );
  const byPath = Object.fromEntries(views.map((s) => [s.metric.url_path, Number(s.value[1])]));
  expect(byPath).toEqual({ '/': 2, '/story/42': 1 });

  const errors = await prometheus.query('sum by (url_path) (rum_errors_total{rum_app_id="news"})');
  expect(errors.map((s) => [s.metric.url_path, Number(s.value[1])])).toEqual([['/story/42', 1]]);

  // Share of LCP samples at most 2.5 s (the "good" threshold), from the histogram buckets.
  const good = await prometheus.query(
    'sum(rum_web_vital_lcp_milliseconds_bucket{rum_app_id="news",le="2500"}) / sum(rum_web_vital_lcp_milliseconds_count{rum_app_id="news"})',
  );
  expect(good.map((s) => Number(s.value[1]))).toEqual([0.5]);

  const up = await prometheus.query('up{job="otel-rum-collector"}');
  expect(up.map((s) => s.value[1])).toEqual(['1']);
}, 60_000);

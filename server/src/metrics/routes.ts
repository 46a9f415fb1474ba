import { HttpError } from '../http/http-error';
import { readJsonObject } from '../http/json-body';
import { onlyParams, timeRange } from '../http/query-params';
import { sendJson, type Router } from '../http/router';
import type { MetricsEngine, RuleState } from './engine';
import { EXPOSITION_CONTENT_TYPE, renderExposition } from './exposition';
import { readRuleDefinition } from './rule';

/** Intervals one series query may span; a longer range is refused rather than cut. */
export const MAX_SERIES_QUERY_BUCKETS = 5000;
/** Intervals a series query spans when it names no `from`. */
export const DEFAULT_SERIES_QUERY_BUCKETS = 60;

function describeState(state: RuleState) {
  return {
    ...state.compiled.rule,
    series: state.series.size,
    droppedEvents: { ...state.dropped },
  };
}

/** CRUD of rules at /api/v1/metrics/rules, their series, and the Prometheus exposition at /metrics. */
export function addMetricsRoutes(router: Router, engine: MetricsEngine): void {
  router.add('GET', '/metrics', ({ res }) => {
    res.writeHead(200, { 'Content-Type': EXPOSITION_CONTENT_TYPE });
    res.end(renderExposition(engine.states(), Date.now()));
  });

  router.add('GET', '/api/v1/metrics/rules', ({ res }) => {
    sendJson(res, 200, { items: engine.states().sort(byName).map(describeState) });
  });
  router.add('POST', '/api/v1/metrics/rules', async ({ req, res }) => {
    const rule = await engine.create(readRuleDefinition(await readJsonObject(req)));
    sendJson(res, 201, describeState(engine.get(rule.name)), {
      Location: `/api/v1/metrics/rules/${encodeURIComponent(rule.name)}`,
    });
  });
  router.add('GET', '/api/v1/metrics/rules/:name', ({ res, params }) => {
    sendJson(res, 200, describeState(engine.get(params.name!)));
  });
  router.add('PUT', '/api/v1/metrics/rules/:name', async ({ req, res, params }) => {
    engine.get(params.name!);
    const { reset } = await engine.update(readRuleDefinition(await readJsonObject(req), params.name));
    sendJson(res, 200, {
      ...describeState(engine.get(params.name!)),
      warnings: reset
        ? ['what the rule measures changed: its stored series were discarded and start again from now']
        : [],
    });
  });
  router.add('DELETE', '/api/v1/metrics/rules/:name', async ({ res, params }) => {
    await engine.delete(params.name!);
    res.writeHead(204).end();
  });
  router.add('GET', '/api/v1/metrics/rules/:name/series', async ({ res, url, params }) => {
    onlyParams(url, ['from', 'to']);
    const rule = engine.get(params.name!).compiled.rule;
    const interval = rule.intervalSeconds;
    const { fromMs, toMs } = timeRange(url, DEFAULT_SERIES_QUERY_BUCKETS * interval * 1000);
    const fromS = Math.floor(fromMs / 1000 / interval) * interval;
    const toS = Math.ceil(toMs / 1000 / interval) * interval;
    const buckets = (toS - fromS) / interval;
    if (buckets > MAX_SERIES_QUERY_BUCKETS)
      throw new HttpError(
        400,
        `from..to spans ${buckets} intervals of ${interval}s; at most ${MAX_SERIES_QUERY_BUCKETS} (MAX_SERIES_QUERY_BUCKETS)`,
      );
    sendJson(res, 200, {
      rule: rule.name,
      aggregation: rule.aggregation,
      intervalSeconds: interval,
      from: new Date(fromS * 1000).toISOString(),
      to: new Date(toS * 1000).toISOString(),
      series: await engine.series(rule.name, fromS, toS),
    });
  });
}

function byName(a: RuleState, b: RuleState): number {
  return a.compiled.rule.name.localeCompare(b.compiled.rule.name);
}

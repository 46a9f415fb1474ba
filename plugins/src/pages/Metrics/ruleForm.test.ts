import {
  alertDraftUrl,
  alertExpression,
  draftOfRule,
  emptyRule,
  previewRequest,
  prometheusSamples,
  ruleBody,
  ruleProblems,
} from './ruleForm';
import type { MetricRuleDefinition } from '@otel-rum/model';

const rule: MetricRuleDefinition = {
  name: 'checkout_latency',
  description: 'Checkout API latency',
  kind: 'resource',
  filter: 'path ~ "/api/*"',
  aggregation: 'percentile',
  field: 'duration',
  percentile: 95,
  dimensions: [
    { field: 'path', label: 'path' },
    { field: 'status', label: 'code' },
  ],
  intervalSeconds: 60,
};

describe('rule form', () => {
  it('names each problem of a draft', () => {
    expect(ruleProblems(emptyRule())).toEqual({
      name: 'A metric name is required, e.g. checkout_failed_requests_total',
    });
    const bad = ruleProblems({
      ...emptyRule(),
      name: '1bad-name',
      aggregation: 'percentile',
      field: '',
      percentile: '101',
      dimensions: 'a, b, c, d',
      intervalSeconds: '5',
    });
    expect(Object.keys(bad).sort()).toEqual(['dimensions', 'field', 'intervalSeconds', 'name', 'percentile']);
    expect(bad.dimensions).toBe('At most 3 dimensions (this one has 4)');
    expect(bad.intervalSeconds).toBe('Whole seconds from 10 to 3600');
    expect(ruleProblems({ ...emptyRule(), name: 'rum_generated_metrics_x' }).name).toMatch(/reserved/);
    expect(ruleProblems({ ...emptyRule(), name: 'x', dimensions: 'status as 2xx' }).dimensions).toBe(
      '"2xx" is not a Prometheus label name',
    );
  });

  it('round-trips a rule through the form into the API body', () => {
    const d = draftOfRule(rule);
    expect(d.dimensions).toBe('path, status as code');
    expect(ruleBody(d)).toEqual({
      name: 'checkout_latency',
      description: 'Checkout API latency',
      kind: 'resource',
      filter: 'path ~ "/api/*"',
      aggregation: 'percentile',
      field: 'duration',
      percentile: 95,
      dimensions: ['path', { field: 'status', label: 'code' }],
      intervalSeconds: 60,
    });
    expect(ruleBody({ ...d, aggregation: 'count' })).toMatchObject({ field: null, percentile: null });
  });

  it('says what Prometheus receives and what to alert on', () => {
    expect(prometheusSamples(rule)).toEqual([
      'checkout_latency{path,code,quantile="0.95"} (summary)',
      'checkout_latency_sum{path,code}',
      'checkout_latency_count{path,code}',
    ]);
    expect(alertExpression(rule)).toBe('checkout_latency{quantile="0.95"}');
    const counter = { ...rule, name: 'errors_total', aggregation: 'count' as const, dimensions: [] };
    expect(prometheusSamples(counter)).toEqual(['errors_total (counter)']);
    expect(alertExpression(counter)).toBe('sum (increase(errors_total[5m]))');
    const url = new URL(alertDraftUrl(counter, 'prom1'), 'http://grafana');
    expect(url.pathname).toBe('/alerting/new/alerting');
    const defaults = JSON.parse(url.searchParams.get('defaults')!);
    expect(defaults.name).toBe('otel-rum errors_total');
    expect(defaults.condition).toBe('C');
    expect(defaults.queries[0]).toMatchObject({
      refId: 'A',
      datasourceUid: 'prom1',
      model: { expr: 'sum (increase(errors_total[5m]))', datasource: { type: 'prometheus', uid: 'prom1' } },
    });
  });

  it('previews with the query API where it can', () => {
    expect(previewRequest(draftOfRule(rule), 0, 60_000)).toEqual({
      params: {
        kind: 'resource',
        from: 0,
        to: 60_000,
        aggregation: 'p95',
        field: 'duration',
        interval: '60s',
        group_by: 'path,status',
        filter: 'path ~ "/api/*"',
      },
    });
    expect(previewRequest({ ...draftOfRule(rule), percentile: '97' }, 0, 1)).toEqual({
      problem: 'The preview has p50, p75, p90, p95 and p99; p97 shows once the rule has series',
    });
    expect(previewRequest({ ...emptyRule(), kind: 'session' }, 0, 1)).toHaveProperty('problem');
  });
});

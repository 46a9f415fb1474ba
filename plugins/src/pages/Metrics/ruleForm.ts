/*
 * Generated metric rules as the page edits them (server/src/metrics/README.md), the Prometheus
 * samples each exposes, the live preview's request over stored events, and the alert rule draft.
 */
import {
  MAX_GENERATED_METRIC_DIMENSIONS,
  MAX_GENERATED_METRIC_INTERVAL_S,
  MIN_GENERATED_METRIC_INTERVAL_S,
  defaultLabel,
  type EventKind,
  type MetricRuleAggregation,
  type MetricRuleDefinition,
} from '@otel-rum/model';
import type { Params } from '../../datasource/api';

export interface RuleDraft {
  name: string;
  description: string;
  kind: EventKind;
  filter: string;
  aggregation: MetricRuleAggregation;
  field: string;
  percentile: string;
  /** Comma-separated fields, each optionally `field as label`. */
  dimensions: string;
  intervalSeconds: string;
}

/** Mirrors the server's rule name rule; the server has the last word (reserved names, clashes). */
const METRIC_NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

export const emptyRule = (): RuleDraft => ({
  name: '',
  description: '',
  kind: 'resource',
  filter: '',
  aggregation: 'count',
  field: 'duration',
  percentile: '95',
  dimensions: '',
  intervalSeconds: '60',
});

export function draftOfRule(r: MetricRuleDefinition): RuleDraft {
  return {
    name: r.name,
    description: r.description ?? '',
    kind: r.kind,
    filter: r.filter,
    aggregation: r.aggregation,
    field: r.field ?? 'duration',
    percentile: String(r.percentile ?? 95),
    dimensions: r.dimensions
      .map((d) => (d.label === defaultLabel(d.field) ? d.field : `${d.field} as ${d.label}`))
      .join(', '),
    intervalSeconds: String(r.intervalSeconds),
  };
}

export function parseDimensions(text: string): Array<{ field: string; label?: string }> {
  return text
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
    .map((s) => {
      const m = /^(.*?)\s+as\s+(\S+)$/.exec(s);
      return m ? { field: m[1]!.trim(), label: m[2] } : { field: s };
    });
}

/** The body of POST / PUT /api/v1/metrics/rules. */
export function ruleBody(d: RuleDraft) {
  const measured = d.aggregation !== 'count';
  return {
    name: d.name.trim(),
    description: d.description.trim() || null,
    kind: d.kind,
    filter: d.filter.trim(),
    aggregation: d.aggregation,
    field: measured ? d.field.trim() : null,
    percentile: d.aggregation === 'percentile' ? Number(d.percentile) : null,
    dimensions: parseDimensions(d.dimensions).map((x) => (x.label ? x : x.field)),
    intervalSeconds: Number(d.intervalSeconds),
  };
}

/** What keeps a draft from being saved, by field; empty when fine. */
export function ruleProblems(d: RuleDraft): Record<string, string> {
  const p: Record<string, string> = {};
  const name = d.name.trim();
  if (!name) p.name = 'A metric name is required, e.g. checkout_failed_requests_total';
  else if (!METRIC_NAME.test(name))
    p.name = 'A Prometheus name: letters, digits, _ and :, not starting with a digit';
  else if (name.startsWith('__') || name.startsWith('rum_generated_metrics_'))
    p.name = 'Names starting with __ or rum_generated_metrics_ are reserved';
  if (d.aggregation !== 'count' && !d.field.trim())
    p.field = `${d.aggregation} needs a numeric field: duration, value, status or attr."<key>"`;
  if (d.aggregation === 'percentile') {
    const q = Number(d.percentile);
    if (d.percentile.trim() === '' || !(q >= 0 && q <= 100))
      p.percentile = 'A percentile from 0 to 100 (95 is p95)';
  }
  const dims = parseDimensions(d.dimensions);
  if (dims.length > MAX_GENERATED_METRIC_DIMENSIONS)
    p.dimensions = `At most ${MAX_GENERATED_METRIC_DIMENSIONS} dimensions (this one has ${dims.length})`;
  const badLabel = dims.find((x) => x.label !== undefined && !LABEL_NAME.test(x.label));
  if (badLabel) p.dimensions = `"${badLabel.label}" is not a Prometheus label name`;
  const i = Number(d.intervalSeconds);
  if (!Number.isInteger(i) || i < MIN_GENERATED_METRIC_INTERVAL_S || i > MAX_GENERATED_METRIC_INTERVAL_S)
    p.intervalSeconds = `Whole seconds from ${MIN_GENERATED_METRIC_INTERVAL_S} to ${MAX_GENERATED_METRIC_INTERVAL_S}`;
  return p;
}

function labelsOf(r: Pick<MetricRuleDefinition, 'dimensions'>): string[] {
  return r.dimensions.map((d) => d.label);
}

/** The samples the rule exposes at GET /metrics (README "Exposition"). */
export function prometheusSamples(
  r: Pick<MetricRuleDefinition, 'name' | 'aggregation' | 'percentile' | 'dimensions'>,
): string[] {
  const labels = labelsOf(r);
  const braces = (extra: string[] = []) => {
    const all = [...labels, ...extra];
    return all.length ? `{${all.join(',')}}` : '';
  };
  switch (r.aggregation) {
    case 'count':
    case 'sum':
      return [`${r.name}${braces()} (counter)`];
    case 'avg':
      return [`${r.name}${braces()} (gauge)`];
    case 'percentile':
      return [
        `${r.name}${braces([`quantile="${(r.percentile ?? 0) / 100}"`])} (summary)`,
        `${r.name}_sum${braces()}`,
        `${r.name}_count${braces()}`,
      ];
  }
}

/** A PromQL expression to alert on: the rate over 5 minutes for counters, the value for the others. */
export function alertExpression(
  r: Pick<MetricRuleDefinition, 'name' | 'aggregation' | 'percentile' | 'dimensions'>,
): string {
  const by = labelsOf(r).length ? ` by (${labelsOf(r).join(', ')})` : '';
  switch (r.aggregation) {
    case 'count':
    case 'sum':
      return `sum${by} (increase(${r.name}[5m]))`;
    case 'avg':
      return r.name;
    case 'percentile':
      return `${r.name}{quantile="${(r.percentile ?? 0) / 100}"}`;
  }
}

/**
 * A Grafana-managed alert rule in the provisioning API's shape (POST /api/v1/provisioning/alert-rules):
 * query A on the Prometheus data source, B reduces to the last value, C is the threshold.
 */
export function alertProvisioning(r: MetricRuleDefinition, prometheusUid: string, threshold = 0) {
  return {
    title: `otel-rum ${r.name}`,
    ruleGroup: 'otel-rum',
    folderUID: '<folder uid>',
    condition: 'C',
    for: '5m',
    noDataState: 'OK',
    execErrState: 'Error',
    annotations: { summary: r.description ?? `${r.name} crossed its threshold` },
    labels: { source: 'otel-rum' },
    data: [
      {
        refId: 'A',
        datasourceUid: prometheusUid,
        relativeTimeRange: { from: 600, to: 0 },
        model: { refId: 'A', expr: alertExpression(r), instant: true, range: false },
      },
      {
        refId: 'B',
        datasourceUid: '__expr__',
        relativeTimeRange: { from: 0, to: 0 },
        model: { refId: 'B', type: 'reduce', expression: 'A', reducer: 'last' },
      },
      {
        refId: 'C',
        datasourceUid: '__expr__',
        relativeTimeRange: { from: 0, to: 0 },
        model: {
          refId: 'C',
          type: 'threshold',
          expression: 'B',
          conditions: [{ evaluator: { type: 'gt', params: [threshold] } }],
        },
      },
    ],
  };
}

/**
 * Grafana's new alert rule form, prefilled through its `defaults` query parameter (a JSON of the
 * form's values, what Grafana's own "New alert rule" from a panel uses): name and the three queries.
 */
export function alertDraftUrl(r: MetricRuleDefinition, prometheusUid: string): string {
  const p = alertProvisioning(r, prometheusUid);
  const defaults = {
    type: 'grafana-alerting',
    name: p.title,
    queries: p.data.map((q) => ({
      refId: q.refId,
      queryType: '',
      datasourceUid: q.datasourceUid,
      relativeTimeRange: q.relativeTimeRange,
      model: {
        ...q.model,
        datasource:
          q.datasourceUid === '__expr__'
            ? { type: '__expr__', uid: '__expr__' }
            : { type: 'prometheus', uid: prometheusUid },
      },
    })),
    condition: 'C',
    annotations: [{ key: 'summary', value: p.annotations.summary }],
    labels: [{ key: 'source', value: 'otel-rum' }],
  };
  return `/alerting/new/alerting?${new URLSearchParams({ defaults: JSON.stringify(defaults) })}`;
}

/** The aggregation of GET /api/v1/aggregate that previews the rule per interval; undefined with the reason. */
export function previewRequest(
  d: RuleDraft,
  fromMs: number,
  toMs: number,
): { params: Params } | { problem: string } {
  if (d.kind === 'session')
    return { problem: 'Sessions are not aggregated by the query API: the preview needs an event kind' };
  let aggregation: string = d.aggregation;
  if (d.aggregation === 'percentile') {
    aggregation = `p${Number(d.percentile)}`;
    if (!['p50', 'p75', 'p90', 'p95', 'p99'].includes(aggregation))
      return {
        problem: `The preview has p50, p75, p90, p95 and p99; p${d.percentile} shows once the rule has series`,
      };
  }
  const dims = parseDimensions(d.dimensions).map((x) => x.field);
  return {
    params: {
      kind: d.kind,
      from: fromMs,
      to: toMs,
      aggregation,
      field: d.aggregation === 'count' ? undefined : d.field.trim(),
      interval: `${Number(d.intervalSeconds) || 60}s`,
      group_by: dims.length ? dims.join(',') : undefined,
      filter: d.filter.trim() || undefined,
    },
  };
}

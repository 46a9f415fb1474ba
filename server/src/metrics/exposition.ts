/*
 * The generated metrics in the Prometheus text exposition format (version 0.0.4), served at
 * GET /metrics:
 *   count      -> counter: matching events since the series began (survives restarts)
 *   sum        -> counter: sum of the field since the series began
 *   avg        -> gauge: average over the current interval (the previous one while the current has none)
 *   percentile -> summary: {quantile="p/100"} over the current interval (as avg), plus _sum and _count
 *                 since the series began
 * Each rule's dimensions are labels; a rule's series are written in the order of their label values. A series with no data in the current or previous interval
 * has no gauge or quantile sample, so that Prometheus marks it stale instead of repeating an old value.
 */
import { DROP_REASONS, bucketValue, type RuleState } from './engine';
import type { MetricRule } from '@otel-rum/model';

export const EXPOSITION_CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';

/** A label value with backslash, double quote and line feed escaped. */
export function escapeLabelValue(v: string): string {
  return v.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
}

/** HELP text with backslash and line feed escaped. */
export function escapeHelp(v: string): string {
  return v.replace(/\\/g, '\\\\').replace(/\n/g, '\\n');
}

/** A sample value as Prometheus reads it. */
export function formatValue(v: number): string {
  if (Number.isNaN(v)) return 'NaN';
  if (v === Infinity) return '+Inf';
  if (v === -Infinity) return '-Inf';
  return String(v);
}

function labelSet(names: string[], values: string[], extra: [string, string][] = []): string {
  const pairs: string[] = names.map((n, i) => `${n}="${escapeLabelValue(values[i] ?? '')}"`);
  for (const [n, v] of extra) pairs.push(`${n}="${escapeLabelValue(v)}"`);
  return pairs.length ? `{${pairs.join(',')}}` : '';
}

function describe(rule: MetricRule): string {
  if (rule.description) return rule.description;
  const what =
    rule.aggregation === 'count'
      ? `${rule.kind} events`
      : rule.aggregation === 'percentile'
        ? `p${rule.percentile} of ${rule.field} of ${rule.kind} events`
        : `${rule.aggregation} of ${rule.field} of ${rule.kind} events`;
  const where = rule.filter.trim() ? ` matching ${rule.filter.trim()}` : '';
  return `Generated metric: ${what}${where}, per ${rule.intervalSeconds}s`;
}

const TYPE: Record<MetricRule['aggregation'], string> = {
  count: 'counter',
  sum: 'counter',
  avg: 'gauge',
  percentile: 'summary',
};

/** The exposition of every rule at `nowMs`, then the server's own series about them. */
export function renderExposition(states: RuleState[], nowMs: number): string {
  const out: string[] = [];
  const sorted = [...states].sort((a, b) => a.compiled.rule.name.localeCompare(b.compiled.rule.name));
  for (const state of sorted) {
    const rule = state.compiled.rule;
    const names = rule.dimensions.map((d) => d.label);
    const nowS = nowMs / 1000;
    const currentStart = Math.floor(nowS / rule.intervalSeconds) * rule.intervalSeconds;
    const recent = (start: number) => start === currentStart || start === currentStart - rule.intervalSeconds;
    out.push(
      `# HELP ${rule.name} ${escapeHelp(describe(rule))}`,
      `# TYPE ${rule.name} ${TYPE[rule.aggregation]}`,
    );
    // In label order, so that every replica of a shared store writes the same text.
    const series = [...state.series.values()].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
    for (const s of series) {
      const labels = labelSet(names, s.labels);
      if (rule.aggregation === 'count') out.push(`${rule.name}${labels} ${s.totalCount}`);
      else if (rule.aggregation === 'sum') out.push(`${rule.name}${labels} ${formatValue(s.totalSum)}`);
      else {
        let value: number | null = null;
        let has = false;
        if (s.current && recent(s.current.start) && s.current.count > 0) {
          value = bucketValue(rule, s.current);
          has = true;
        } else if (s.previous && recent(s.previous.start)) {
          value = s.previous.value;
          has = true;
        }
        if (rule.aggregation === 'avg') {
          if (has && value !== null) out.push(`${rule.name}${labels} ${formatValue(value)}`);
        } else {
          if (has && value !== null) {
            const q = String(Number(((rule.percentile ?? 0) / 100).toPrecision(12)));
            out.push(`${rule.name}${labelSet(names, s.labels, [['quantile', q]])} ${formatValue(value)}`);
          }
          out.push(
            `${rule.name}_sum${labels} ${formatValue(s.totalSum)}`,
            `${rule.name}_count${labels} ${s.totalCount}`,
          );
        }
      }
    }
  }
  const self = (name: string, type: string, help: string) =>
    out.push(`# HELP rum_generated_metrics_${name} ${help}`, `# TYPE rum_generated_metrics_${name} ${type}`);
  self('rules', 'gauge', 'Generated metric rules being evaluated.');
  out.push(`rum_generated_metrics_rules ${states.length}`);
  self('series', 'gauge', 'Series (label sets) held per generated metric rule.');
  for (const s of sorted)
    out.push(`rum_generated_metrics_series${labelSet(['rule'], [s.compiled.rule.name])} ${s.series.size}`);
  self(
    'dropped_events_total',
    'counter',
    'Matching events not added to a generated metric: series_limit (the rule holds MAX_GENERATED_METRIC_SERIES series), late or future (event time too far from now).',
  );
  for (const s of sorted)
    for (const reason of DROP_REASONS)
      out.push(
        `rum_generated_metrics_dropped_events_total${labelSet(['rule', 'reason'], [s.compiled.rule.name, reason])} ${s.dropped[reason]}`,
      );
  return out.join('\n') + '\n';
}

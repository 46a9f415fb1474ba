/*
 * Generated metric rules as the API takes and gives them (server/src/metrics/README.md), shared by
 * the server, which checks and runs them, and the app's page, which edits them.
 */
import type { EventKind } from './kinds';

/** How a rule turns the events it matches into a value per interval. */
export const METRIC_RULE_AGGREGATIONS = ['count', 'sum', 'avg', 'percentile'] as const;
export type MetricRuleAggregation = (typeof METRIC_RULE_AGGREGATIONS)[number];

/** Names of the server's own series about generated metrics; rules may not use the prefix. */
export const SELF_METRIC_PREFIX = 'rum_generated_metrics_';

export interface MetricRuleDimension {
  /** A filter-language field name, or `attr."key"`. */
  field: string;
  /** The Prometheus label it becomes. */
  label: string;
}

/** What a client defines. */
export interface MetricRuleDefinition {
  name: string;
  description: string | null;
  kind: EventKind;
  /** Filter expression (server/src/query/filter/README.md); '' counts every event of the kind. */
  filter: string;
  aggregation: MetricRuleAggregation;
  /** Numeric field for sum, avg and percentile: duration, value, status or attr."key". */
  field: string | null;
  /** 0..100, for percentile. */
  percentile: number | null;
  dimensions: MetricRuleDimension[];
  intervalSeconds: number;
}

export interface MetricRule extends MetricRuleDefinition {
  createdAt: string;
  updatedAt: string;
}

/** A rule as GET /api/v1/metrics/rules lists it: with its live series and the events it dropped, by reason. */
export interface MetricRuleState extends MetricRule {
  series: number;
  droppedEvents: Record<string, number>;
}

/** `attr."key"` or `attr.key` to the key, or null. */
export function attributeKey(field: string): string | null {
  const quoted = /^attr\."((?:[^"\\]|\\.)*)"$/.exec(field);
  if (quoted) return (quoted[1] as string).replace(/\\(.)/g, '$1');
  const bare = /^attr\.([A-Za-z0-9_][A-Za-z0-9_.-]*)$/.exec(field);
  return bare ? (bare[1] as string) : null;
}

/** The label a dimension gets when the client names none: the field, or the attribute key made safe. */
export function defaultLabel(field: string): string {
  const key = attributeKey(field);
  if (key === null) return field;
  const safe = key.replace(/[^a-zA-Z0-9_]/g, '_');
  return /^[0-9]/.test(safe) ? `_${safe}` : safe;
}

import type { EventKind } from '@otel-rum/model';
import type { EventQuery } from './store';

export {
  MAX_AGGREGATE_BUCKETS,
  MAX_AGGREGATE_GROUP_BY,
  MAX_AGGREGATE_GROUPS,
  MAX_FACET_VALUES,
} from '@otel-rum/model';

export const AGGREGATIONS = [
  'count',
  'rate',
  'sum',
  'avg',
  'min',
  'max',
  'p50',
  'p75',
  'p90',
  'p95',
  'p99',
] as const;
export type Aggregation = (typeof AGGREGATIONS)[number];

export interface FacetQuery extends EventQuery {
  kind?: EventKind;
  /** A filter-language field name (`browser`, `path`, `status`...) or `attr.<key>`. */
  field: string;
}

export interface FacetValue {
  value: string | number | boolean | null;
  count: number;
}

export interface AggregateQuery extends EventQuery {
  kind?: EventKind;
  aggregation: Aggregation;
  /** Numeric field for everything but count and rate: duration, value, status or attr.<key>. */
  field?: string;
  /** Bucket width in seconds. */
  intervalS: number;
  groupBy: string[];
}

export interface AggregateSeries {
  /** The group's value for each groupBy dimension, in order. */
  group: Record<string, string | number | boolean | null>;
  /** [bucket start (ISO), value] in time order; buckets without events are absent. */
  points: [string, number][];
}

export interface AggregateResult {
  aggregation: Aggregation;
  field: string | null;
  intervalS: number;
  series: AggregateSeries[];
}

/** Issue workflow: resolved issues reopen when the error is seen after they were resolved. */
export const ISSUE_STATUSES = ['open', 'resolved', 'ignored'] as const;
export type IssueStatus = (typeof ISSUE_STATUSES)[number];

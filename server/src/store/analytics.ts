import type { Aggregation, EventKind } from '@otel-rum/model';

export {
  AGGREGATIONS,
  ISSUE_STATUSES,
  type AggregateResult,
  type AggregateSeries,
  type Aggregation,
  type FacetValue,
  type IssueStatus,
} from '@otel-rum/model';
import type { EventQuery } from './store';

export {
  MAX_AGGREGATE_BUCKETS,
  MAX_AGGREGATE_GROUP_BY,
  MAX_AGGREGATE_GROUPS,
  MAX_FACET_VALUES,
} from '@otel-rum/model';

export interface FacetQuery extends EventQuery {
  kind?: EventKind;
  /** A filter-language field name (`browser`, `path`, `status`...) or `attr.<key>`. */
  field: string;
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

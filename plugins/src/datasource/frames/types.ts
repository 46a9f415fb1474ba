/**
 * The server's answers: the query API's shapes are the model's (one definition for the server that
 * writes them and the plugins that read them); those below are what only the plugins read.
 */
export type {
  AggregateResult as AggregateAnswer,
  EventItem,
  IssueItem,
  JourneyAnalysis as JourneyAnalysisAnswer,
  Page,
  SessionItem,
  SpanItem,
} from '@otel-rum/model';

export interface FacetAnswer {
  field: string;
  values: Array<{ value: unknown; count: number }>;
}

export interface Application {
  appId: string;
  name: string;
  type: string;
}

/**
 * The server's answers: the query API's shapes are the model's (one definition for the server that
 * writes them and the plugins that read them); those below are what only the plugins read.
 */
export type {
  AggregateResult as AggregateAnswer,
  EventItem,
  IssueItem,
  Page,
  SessionItem,
  SpanItem,
} from '@otel-rum/model';

export interface FacetAnswer {
  field: string;
  values: Array<{ value: unknown; count: number }>;
}

export interface JourneyStepAnswer {
  index: number;
  step: { type: 'view'; path: string } | { type: 'action'; name: string };
  sessions: number;
  conversionFromPrevious: number | null;
  conversionFromFirst: number | null;
  dropOff: number | null;
  dropOffRate: number | null;
  medianMsFromPrevious: number | null;
  errors?: { count: number; sessions: number };
}

export interface JourneyAnalysisAnswer {
  journey: { id: string; name: string };
  steps: JourneyStepAnswer[];
}

export interface Application {
  appId: string;
  name: string;
  type: string;
}

/** A registered application: what the management API reads and writes, and what ingest admits. */

// The type list and retention choices are the model's, shared with the Grafana app.
export { APP_TYPES, RETENTION_CHOICES, type AppType } from '@otel-rum/model';
import type { AppType } from '@otel-rum/model';

/** A Grafana dashboard linked from the application: by uid, by URL, or both. */
export interface DashboardLink {
  title: string;
  uid?: string;
  url?: string;
}

/** A per-application ingest limit (token bucket): refill rate and bucket size, in events. */
export interface RateLimit {
  eventsPerSecond: number;
  burst: number;
}

export interface Application {
  appId: string;
  name: string;
  type: AppType;
  /** Exact origins (scheme://host[:port]), wildcard subdomains (https://*.example.com), 'self' or '*'. */
  allowedOrigins: string[];
  /** 0..1 each. */
  sessionSampleRate: number;
  traceSampleRate: number;
  replaySampleRate: number;
  retentionDays: number;
  dashboards: DashboardLink[];
  /** Null: the defaults (DEFAULT_APP_EVENTS_PER_SECOND, DEFAULT_APP_EVENT_BURST). */
  rateLimit: RateLimit | null;
  /** Ids this application had before; data received under them stays under them. */
  previousAppIds: string[];
  createdAt: string;
  updatedAt: string;
}

/** What a client may set; the rest is kept by the server. */
export type ApplicationFields = Omit<Application, 'previousAppIds' | 'createdAt' | 'updatedAt'>;

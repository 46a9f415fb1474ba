/** A registered application: what the management API reads and writes, and what ingest admits. */

// The type list and retention choices are the model's, shared with the Grafana app.
export { APP_TYPES, RETENTION_CHOICES, type AppType } from '@otel-rum/model';

// The application's shape is the model's, shared with the Grafana app's pages.
export type { Application, ApplicationFields, DashboardLink, RateLimit } from '@otel-rum/model';

import { AppPlugin } from '@grafana/data';

/**
 * The otel-rum app: one install that carries the data source (datasource/) and, as they come, the
 * panels. Its pages (applications, explorer, sessions, issues) are the app issue's work.
 */
export const plugin = new AppPlugin<{ serverUrl?: string }>();

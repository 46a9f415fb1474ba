/* Paths of the server's ingest endpoints, for the server, its snippets and the tests. */
/**
 * Path of the server's Grafana Faro receiver: Faro's own transport posts to
 * `<server>/collect/<application id>`, its OTLP transport to `<server>/collect/<application id>/v1/logs`
 * and `/v1/traces`. The application id in the path is the registered application the data is for.
 */
export const FARO_COLLECT_PATH = '/collect';

/** Paths of the OTLP/HTTP receiver, per signal (the OTLP/HTTP defaults). */
export const OTLP_PATHS = { traces: '/v1/traces', logs: '/v1/logs', metrics: '/v1/metrics' } as const;

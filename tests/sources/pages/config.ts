/** What a test page hands its bundled script (window.RUM_TEST_CONFIG). */
export interface PageConfig {
  /** Base URL of the RUM server; the exporters append /v1/traces or /v1/logs. */
  endpoint: string;
  /** OTLP encoding of the trace exporter. */
  protocol: 'json' | 'protobuf';
  /** Resource attributes: the application id and the service name, and nothing about the session. */
  resource: Record<string, string>;
  /** For the Faro page: Faro's own fetch transport or its OTLP transport. */
  faroTransport?: 'native' | 'otlp';
}

export function pageConfig(): PageConfig {
  const cfg = (window as unknown as { RUM_TEST_CONFIG?: PageConfig }).RUM_TEST_CONFIG;
  if (!cfg) throw new Error('window.RUM_TEST_CONFIG is missing: the page must set it before the script');
  return cfg;
}

/** Exposes a function for the test to call through page.evaluate. */
export function expose(name: string, fn: () => unknown): void {
  (window as unknown as Record<string, unknown>)[name] = fn;
}

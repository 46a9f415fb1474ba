import { spawn, type ChildProcess } from 'node:child_process';
import { collectorBinary } from './collectorBinary';
import { freePort } from './freePort';
import { waitFor } from './waitFor';

export interface RunningCollector {
  /** Base URL of the OTLP/HTTP receiver, e.g. http://127.0.0.1:41234 */
  otlpUrl: string;
  /** Base URL of the Prometheus exporter with the generated metrics. */
  prometheusUrl: string;
  /** host:port of the Prometheus exporter, for a scrape configuration. */
  prometheusTarget: string;
  /** The collector's own metrics (service.telemetry), Prometheus text at this URL. */
  selfMetricsUrl: string;
  /** Process id of the collector, for its RSS and CPU time. */
  pid: number;
  /** What the collector logged so far (stdout and stderr). */
  output(): string;
  stop(): Promise<void>;
}

/**
 * Starts the real collector with one of the configurations on free loopback ports. `env` adds to
 * (or overrides) the variables that the configuration reads; the ports are always chosen here.
 */
export async function startCollector(
  configFile: string,
  env: Record<string, string>,
): Promise<RunningCollector> {
  const [otlp, prometheus, health, selfMetrics] = [
    await freePort(),
    await freePort(),
    await freePort(),
    await freePort(),
  ];
  const child: ChildProcess = spawn(collectorBinary(), ['--config', `file:${configFile}`], {
    env: {
      PATH: process.env.PATH ?? '/usr/bin:/bin',
      COLLECTOR_OTLP_HTTP_ENDPOINT: `127.0.0.1:${otlp}`,
      COLLECTOR_PROMETHEUS_ENDPOINT: `127.0.0.1:${prometheus}`,
      COLLECTOR_HEALTH_ENDPOINT: `127.0.0.1:${health}`,
      COLLECTOR_SELF_METRICS_HOST: '127.0.0.1',
      COLLECTOR_SELF_METRICS_PORT: String(selfMetrics),
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (output += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  let exitCode: number | null | undefined;
  void exited.then((code) => (exitCode = code));

  const stop = async (): Promise<void> => {
    if (exitCode !== undefined) return;
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
    await exited;
    clearTimeout(timer);
  };

  try {
    // health_check answers 200 once every pipeline has started.
    await waitFor('collector health check', async () => {
      if (exitCode !== undefined) throw new Error(`collector exited with ${exitCode}:\n${output}`);
      const res = await fetch(`http://127.0.0.1:${health}/`);
      return res.status === 200 ? true : undefined;
    });
  } catch (e) {
    await stop();
    throw new Error(`${String(e)}\ncollector output:\n${output}`);
  }
  return {
    otlpUrl: `http://127.0.0.1:${otlp}`,
    prometheusUrl: `http://127.0.0.1:${prometheus}`,
    prometheusTarget: `127.0.0.1:${prometheus}`,
    selfMetricsUrl: `http://127.0.0.1:${selfMetrics}/metrics`,
    pid: child.pid!,
    output: () => output,
    stop,
  };
}

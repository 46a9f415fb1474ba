import { spawn, type ChildProcess } from 'node:child_process';
import type { Browser } from 'playwright-core';
import { join } from 'node:path';

/** The SDK bundle the instrumented backend's shop page loads. */
export const SDK_BUNDLE = join(__dirname, '..', '..', 'sdk-otel', 'dist', 'cdn', 'otel-rum.min.js');

/**
 * Starts tests/collector/instrumented-backend.mjs (a shop page with the SDK, and an API traced by the
 * OpenTelemetry Node SDK) on `port`, both sending to `otlpEndpoint`, and waits for it to listen.
 */
export async function startInstrumentedBackend(
  port: number,
  otlpEndpoint: string,
  appId: string,
  env: Record<string, string> = {},
): Promise<ChildProcess> {
  const child = spawn(process.execPath, [join(__dirname, '..', 'collector', 'instrumented-backend.mjs')], {
    env: {
      PATH: process.env.PATH,
      PORT: String(port),
      OTLP_ENDPOINT: otlpEndpoint,
      SDK_BUNDLE,
      APP_ID: appId,
      // Traces only: the SDK would otherwise also start metrics and logs exporters to localhost:4318.
      OTEL_METRICS_EXPORTER: 'none',
      OTEL_LOGS_EXPORTER: 'none',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stderr?.on('data', (d: Buffer) => (output += d.toString()));
  await new Promise<void>((resolve, reject) => {
    child.stdout?.on('data', (d: Buffer) => {
      output += d.toString();
      if (output.includes(`listening ${port}`)) resolve();
    });
    child.once('exit', (code) => reject(new Error(`backend exited with ${code}:\n${output}`)));
  });
  return child;
}

/** Stops a backend started above and waits for it to exit. */
export async function stopBackend(child: ChildProcess | undefined): Promise<void> {
  if (!child || child.exitCode !== null) return;
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGTERM');
  await exited;
}

/**
 * A user's visit of the instrumented backend's shop page: a click whose fetch reaches the traced API,
 * a route change to /cart, an uncaught TypeError, then leaving (which flushes the SDK). Gives the
 * trace id the API saw.
 */
export async function visitShop(browser: Browser, backendUrl: string): Promise<{ traceId: string }> {
  const p = await browser.newPage();
  await p.goto(`${backendUrl}/`);
  await p.waitForFunction(() => typeof (window as unknown as { OtelRum?: unknown }).OtelRum === 'object');
  await p.click('#pay');
  await p.waitForFunction(() => document.getElementById('out')?.textContent);
  const seen = JSON.parse((await p.textContent('#out'))!) as { traceId: string };
  await p.evaluate(() => history.pushState({}, '', '/cart'));
  await p.waitForTimeout(300);
  await p.evaluate(() =>
    setTimeout(() => {
      throw new TypeError('cart total is "NaN"');
    }, 0),
  );
  await p.waitForTimeout(300);
  await p.goto('about:blank');
  await p.close();
  return seen;
}

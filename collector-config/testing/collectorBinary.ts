import { execFileSync } from 'node:child_process';
import * as path from 'node:path';

/** The folder holding the configurations and the builder manifest. */
export const CONFIG_DIR = path.resolve(__dirname, '..');

/** Time a first build may take on a 2-core machine (Go compiles the whole collector). */
export const FIRST_BUILD_TIMEOUT_MS = 30 * 60_000;

let built: string | undefined;

/**
 * The otelcol-rum binary built from builder-config.yaml by build.sh, which reuses an up-to-date
 * binary at once and builds it (minutes) only when it is missing or the manifest changed.
 */
export function collectorBinary(): string {
  if (built) return built;
  const out = execFileSync('bash', [path.join(CONFIG_DIR, 'build.sh')], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
    timeout: FIRST_BUILD_TIMEOUT_MS,
  });
  const last = out.trim().split('\n').pop();
  if (!last) throw new Error('collector-config/build.sh printed no binary path');
  built = last;
  return built;
}

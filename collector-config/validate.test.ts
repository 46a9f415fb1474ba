import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { load } from 'js-yaml';
import { MAX_REQUEST_BODY_BYTES } from '@otel-rum/model';
import { CONFIG_DIR, FIRST_BUILD_TIMEOUT_MS, collectorBinary } from './testing/collectorBinary';
import { CONFIGS, configPath, envReferences, readConfigText } from './testing/configFiles';

jest.setTimeout(30_000);

const run = promisify(execFile);

/** Runs the collector's own `validate` command with only PATH and `env` in the environment. */
async function validate(
  config: string,
  env: Record<string, string> = {},
): Promise<{ ok: boolean; out: string }> {
  try {
    const { stdout, stderr } = await run(
      collectorBinary(),
      ['validate', '--config', `file:${configPath(config)}`],
      {
        env: { PATH: process.env.PATH ?? '/usr/bin:/bin', ...env },
      },
    );
    return { ok: true, out: stdout + stderr };
  } catch (e) {
    const err = e as { stdout?: string; stderr?: string };
    return { ok: false, out: `${err.stdout ?? ''}${err.stderr ?? ''}` };
  }
}

beforeAll(() => {
  collectorBinary();
}, FIRST_BUILD_TIMEOUT_MS);

describe.each(CONFIGS)('%s', (config) => {
  test('passes the collector validate command with every default', async () => {
    const { ok, out } = await validate(config);
    expect(out).toBe('');
    expect(ok).toBe(true);
  });

  test('passes with backend and browser spans also sent to the APM store', async () => {
    const apm = '[otlp_http/rum_server, otlp_http/apm]';
    const { ok, out } = await validate(config, {
      COLLECTOR_BACKEND_TRACES_EXPORTERS: apm,
      COLLECTOR_RUM_TRACES_EXPORTERS: apm,
      APM_OTLP_ENDPOINT: 'http://tempo.internal:4318',
      COLLECTOR_CORS_ALLOWED_ORIGINS: '[https://shop.example.com, https://*.example.org]',
    });
    expect(out).toBe('');
    expect(ok).toBe(true);
  });

  test('is refused by validate when a switch names an exporter that does not exist', async () => {
    const { ok, out } = await validate(config, {
      COLLECTOR_BACKEND_TRACES_EXPORTERS: '[otlp_http/rum_server, zipkin]',
    });
    expect(ok).toBe(false);
    expect(out).toContain('references exporter "zipkin" which is not configured');
  });

  test('is refused by validate, naming the processor, when a pattern is not a valid regular expression', async () => {
    const { ok, out } = await validate(config, { RUM_BOT_USER_AGENT_PATTERN: '(bot' });
    expect(ok).toBe(false);
    expect(out).toContain('filter/bots');
    expect(out).toContain('missing closing )');
  });

  test('gives every environment variable one default, documented in README.md', () => {
    const readme = fs.readFileSync(path.join(CONFIG_DIR, 'README.md'), 'utf8');
    const defaults = new Map<string, string | undefined>();
    for (const { name, fallback } of envReferences(readConfigText(config))) {
      if (defaults.has(name)) expect([name, fallback]).toEqual([name, defaults.get(name)]);
      defaults.set(name, fallback);
    }
    expect(defaults.size).toBeGreaterThan(20);
    for (const name of defaults.keys()) expect(readme).toContain(`\`${name}\``);
  });

  test("limits request bodies to the model's MAX_REQUEST_BODY_BYTES by default", () => {
    const ref = envReferences(readConfigText(config)).find(
      (r) => r.name === 'COLLECTOR_MAX_REQUEST_BODY_BYTES',
    );
    expect(Number(ref?.fallback)).toBe(MAX_REQUEST_BODY_BYTES);
  });
});

describe('builder-config.yaml', () => {
  const manifest = fs.readFileSync(path.join(CONFIG_DIR, 'builder-config.yaml'), 'utf8');

  test('pins every collector module, core and contrib, to one release', () => {
    const versions = new Set([...manifest.matchAll(/^\s*- gomod: \S+ (v\S+)$/gm)].map((m) => m[1]));
    expect([...versions]).toEqual(['v0.161.0']);
  });

  test('builds exactly the components that the configurations use', async () => {
    const kinds = ['receivers', 'processors', 'exporters', 'connectors', 'extensions'] as const;
    const used: Record<string, Set<string>> = Object.fromEntries(kinds.map((k) => [k, new Set<string>()]));
    for (const config of CONFIGS) {
      const doc = load(readConfigText(config)) as Record<string, Record<string, unknown> | undefined>;
      for (const kind of kinds) {
        for (const id of Object.keys(doc[kind] ?? {})) used[kind]?.add(id.split('/')[0] as string);
      }
    }
    const { stdout } = await run(collectorBinary(), ['components']);
    const built = load(stdout) as Record<string, { name: string }[] | undefined>;
    for (const kind of kinds) {
      expect([kind, (built[kind] ?? []).map((c) => c.name).sort()]).toEqual([
        kind,
        [...(used[kind] ?? [])].sort(),
      ]);
    }
  });
});

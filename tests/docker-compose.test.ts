/*
 * docker-compose.yml cannot run here (no Docker engine), so it is checked as far as it can be: Debian's
 * docker-compose validates it, and the collector image runs the same release as the distribution the
 * tests build, with the configuration file the tests validate.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { load } from 'js-yaml';

const ROOT = join(__dirname, '..');

it('is a valid compose file (docker-compose config)', () => {
  const out = execFileSync('docker-compose', ['-f', join(ROOT, 'docker-compose.yml'), 'config'], {
    encoding: 'utf8',
  });
  expect(out).toContain('server:');
  expect(out).toContain('collector:');
});

it('runs the collector release and configuration that the tests build and validate', () => {
  const compose = readFileSync(join(ROOT, 'docker-compose.yml'), 'utf8');
  const manifest = readFileSync(join(ROOT, 'collector-config', 'builder-config.yaml'), 'utf8');
  const release = /go\.opentelemetry\.io\/collector\/receiver\/otlpreceiver v(\d+\.\d+\.\d+)/.exec(
    manifest,
  )?.[1];
  expect(release).toBeDefined();
  expect(compose).toContain(`otel/opentelemetry-collector-contrib:${release}`);
  const mounted = /\.\/(collector-config\/[\w.-]+\.yaml):/.exec(compose)?.[1];
  expect(mounted && existsSync(join(ROOT, mounted))).toBe(true);
});

describe('the demo shop and the traffic generator', () => {
  type Service = {
    build?: { context: string; dockerfile: string };
    command?: string[];
    environment?: Record<string, string>;
    depends_on?: Record<string, { condition: string }>;
    healthcheck?: { test: string[] };
  };
  const services = (
    load(
      execFileSync('docker-compose', ['-f', join(ROOT, 'docker-compose.yml'), 'config'], {
        encoding: 'utf8',
      }),
    ) as { services: Record<string, Service> }
  ).services;
  const shop = services.shop!;
  const traffic = services.traffic!;
  const flag = (s: Service, name: string) => s.command![s.command!.indexOf(`--${name}`) + 1];

  it('are built from a Dockerfile with Chromium, running the demo CLIs it bundles', () => {
    for (const s of [shop, traffic]) {
      const dockerfile = readFileSync(join(s.build!.context, s.build!.dockerfile), 'utf8');
      expect(dockerfile).toMatch(/apt-get install[^\n]* chromium/);
      const cli = /tests\/demo\/dist\/([\w-]+)\.cjs/.exec(s.command!.join(' '))![1]!;
      expect(dockerfile).toContain(cli);
      expect(existsSync(join(ROOT, 'tests', 'demo', `${cli}.ts`))).toBe(true);
    }
  });

  it("send the shop's RUM data and its backend's spans to the collector, which lets the shop's origin in", () => {
    const collector = services.collector!;
    // The collector's OTLP/HTTP port, as the gateway's configuration defaults it.
    const gateway = readFileSync(join(ROOT, 'collector-config', 'gateway.yaml'), 'utf8');
    const port = /COLLECTOR_OTLP_HTTP_ENDPOINT:-[\d.]+:(\d+)/.exec(gateway)![1];
    const otlp = `http://collector:${port}`;
    expect(flag(shop, 'endpoint')).toBe(otlp);
    expect(flag(shop, 'traces')).toBe(otlp);
    const origin = new URL(flag(traffic, 'shop')!);
    expect(origin.hostname).toBe('shop');
    expect(origin.port).toBe(flag(shop, 'port'));
    const allowed = load(collector.environment!.COLLECTOR_CORS_ALLOWED_ORIGINS!) as string[];
    expect(allowed).toContain(`${origin.protocol}//${origin.hostname}:*`);
  });

  it('visit the shop once the server and the shop are healthy, as the application Grafana opens', () => {
    expect(traffic.depends_on).toMatchObject({
      server: { condition: 'service_healthy' },
      shop: { condition: 'service_healthy' },
      collector: { condition: 'service_started' },
    });
    expect(shop.healthcheck?.test.join(' ')).toContain(`localhost:${flag(shop, 'port')}/`);
    expect(flag(traffic, 'server')).toBe('http://server:4318');
    expect(Number(flag(traffic, 'wait'))).toBeGreaterThan(0);
    expect(Number(flag(traffic, 'sessions'))).toBeGreaterThan(0);
    // The same application everywhere: the shop's pages, the visits, Grafana's default.
    expect(flag(traffic, 'app')).toBe(flag(shop, 'app'));
    expect(services.grafana!.environment!.RUM_DEFAULT_APP_ID).toBe(flag(shop, 'app'));
    // The generator registers the application with the server's admin token.
    expect(traffic.environment!.RUM_API_TOKEN).toBe(services.server!.environment!.RUM_ADMIN_TOKEN);
  });
});

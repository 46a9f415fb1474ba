/*
 * docker-compose.yml cannot run here (no Docker engine), so it is checked as far as it can be: Debian's
 * docker-compose validates it, and the collector image runs the same release as the distribution the
 * tests build, with the configuration file the tests validate.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

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

import { DEFAULT_BACKEND_EVENTS_PER_SECOND } from '@otel-rum/model';
import { loadConfig } from './config';

describe('configuration of applications, tokens and admission', () => {
  it('has no global origins, no configured token and the listening address as public URL by default', () => {
    const cfg = loadConfig({});
    expect(cfg.corsOrigins).toEqual([]);
    expect(cfg.adminToken).toBe('');
    expect(cfg.publicUrl).toBe('');
    expect(cfg.backendEventsPerSecond).toBe(DEFAULT_BACKEND_EVENTS_PER_SECOND);
  });

  it('reads the settings from the environment, normalising origins and the public URL', () => {
    const cfg = loadConfig({
      RUM_CORS_ORIGINS: 'https://Portal.example.com:443, *',
      RUM_ADMIN_TOKEN: 'a-long-enough-admin-token',
      RUM_PUBLIC_URL: 'https://rum.example.com/',
      RUM_BACKEND_EVENTS_PER_SECOND: '1500',
      RUM_CHECKPOINT_MIB: '64',
      RUM_DUCKDB_MEMORY_MIB: '2048',
      RUM_TRUSTED_PROXIES: '10.0.0.0/8, fd00::/8',
    });
    expect(cfg.trustedProxies).toEqual(['10.0.0.0/8', 'fd00::/8']);
    expect(loadConfig({ RUM_TRUSTED_PROXIES: 'none' }).trustedProxies).toEqual([]);
    expect(cfg.checkpointMib).toBe(64);
    expect(cfg.duckdbMemoryMib).toBe(2048);
    expect(cfg.corsOrigins).toEqual(['https://portal.example.com', '*']);
    expect(cfg.adminToken).toBe('a-long-enough-admin-token');
    expect(cfg.publicUrl).toBe('https://rum.example.com');
    expect(cfg.backendEventsPerSecond).toBe(1500);
  });

  it('keeps DuckDB as the store unless told, and reads the ClickHouse settings', () => {
    expect(loadConfig({}).store).toBe('duckdb');
    const cfg = loadConfig({
      RUM_STORE: 'clickhouse',
      RUM_CLICKHOUSE_URL: 'https://ch.internal:8443',
      RUM_CLICKHOUSE_USER: 'rum',
      RUM_CLICKHOUSE_PASSWORD: 'secret',
      RUM_CLICKHOUSE_DATABASE: 'rum_prod',
      RUM_CLICKHOUSE_CLUSTER: 'main',
    });
    expect(cfg).toMatchObject({
      store: 'clickhouse',
      clickhouseUrl: 'https://ch.internal:8443',
      clickhouseUser: 'rum',
      clickhousePassword: 'secret',
      clickhouseDatabase: 'rum_prod',
      clickhouseCluster: 'main',
    });
  });

  it.each([
    [
      { RUM_CORS_ORIGINS: 'https://a.test/app' },
      'environment variable RUM_CORS_ORIGINS: "https://a.test/app" has a path',
    ],
    [{ RUM_ADMIN_TOKEN: 'short' }, 'RUM_ADMIN_TOKEN must be at least 16 characters'],
    [{ RUM_ADMIN_TOKEN: 'has a space in the middle' }, 'without spaces'],
    [{ RUM_PUBLIC_URL: 'rum.example.com' }, 'RUM_PUBLIC_URL must be an http(s) URL'],
    [{ RUM_BACKEND_EVENTS_PER_SECOND: '0' }, 'RUM_BACKEND_EVENTS_PER_SECOND must be a number above 0'],
    [{ RUM_CHECKPOINT_MIB: '1GB' }, 'RUM_CHECKPOINT_MIB must be a non-negative integer'],
    [{ RUM_DUCKDB_MEMORY_MIB: '4GB' }, 'RUM_DUCKDB_MEMORY_MIB must be a whole number of MiB, 128 or more'],
    [
      { RUM_DUCKDB_MEMORY_MIB: '4' },
      'RUM_DUCKDB_MEMORY_MIB must be a whole number of MiB, 128 or more, got "4"',
    ],
    [{ RUM_TRUSTED_PROXIES: '10.0.0.0/8,lb.internal' }, 'RUM_TRUSTED_PROXIES: "lb.internal" is not an IP'],
    [{ RUM_STORE: 'postgres' }, 'RUM_STORE must be duckdb or clickhouse, got "postgres"'],
    [{ RUM_CLICKHOUSE_URL: 'clickhouse:8123' }, 'RUM_CLICKHOUSE_URL must be an http(s) URL'],
    [{ RUM_CLICKHOUSE_URL: 'http://ch:8123/db?x=1' }, 'RUM_CLICKHOUSE_URL must be an http(s) URL'],
    [{ RUM_CLICKHOUSE_DATABASE: 'rum-prod' }, 'RUM_CLICKHOUSE_DATABASE must be letters, digits and _'],
    [{ RUM_CLICKHOUSE_CLUSTER: 'a; DROP' }, 'RUM_CLICKHOUSE_CLUSTER must be letters, digits and _'],
  ])('refuses %j naming the setting', (env, message) => {
    expect(() => loadConfig(env)).toThrow(message);
  });
});

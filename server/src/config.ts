import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import {
  DEFAULT_BACKEND_EVENTS_PER_SECOND,
  DEFAULT_CHECKPOINT_MIB,
  DEFAULT_DUCKDB_MEMORY_MIB,
  MIN_DUCKDB_MEMORY_MIB,
  MAX_DECOMPRESSED_BODY_BYTES,
  MAX_REQUEST_BODY_BYTES,
} from '@otel-rum/model';
import { normaliseOriginPattern } from './apps/origins';
import { DEFAULT_TRUSTED_PROXIES, parseProxyList } from './http/client-address';
import { MIN_CONFIGURED_TOKEN_LENGTH } from './auth/token';
import { IDENTIFIER } from './store/clickhouse/schema';

export interface ServerConfig {
  host: string;
  port: number;
  /** DuckDB file, or ':memory:'. */
  dbPath: string;
  /**
   * Write-ahead log size, in MiB, at which DuckDB checkpoints (folds the log into the database file).
   * DuckDB's own default, 16 MiB, checkpoints every ~11,000 events and rewrites the same unfinished row
   * groups each time; ingest spends most of its time there. A larger log costs a longer replay at start,
   * more memory (the rows it holds are kept in memory until the checkpoint) and a longer checkpoint,
   * during which commits wait.
   */
  checkpointMib: number;
  /** DuckDB's memory limit, in MiB (its setting memory_limit): the ceiling of its buffer pool. */
  duckdbMemoryMib: number;
  /**
   * Origins allowed for every application, on top of each application's own allowedOrigins; '*'
   * turns the origin check off. Also the origins that may call the API from a browser.
   */
  corsOrigins: string[];
  /**
   * Networks (CIDR) of the proxies, gateways and load balancers in front of the server: only a request
   * from one of them may name its client (X-Forwarded-For, resource attribute client.address).
   */
  trustedProxies: string[];
  /** An admin API token to make sure of at start-up ('' for none: one is generated at first start). */
  adminToken: string;
  /** URL at which SDKs reach this server (or the collector in front of it), for snippets; '' for the listening address. */
  publicUrl: string;
  /** Events per second accepted for records without rum.app.id (backend spans, metrics), all senders together. */
  backendEventsPerSecond: number;
  maxBodyBytes: number;
  maxDecompressedBytes: number;
  /** Serve the demo page at /demo/. */
  demo: boolean;
  logLevel: 'debug' | 'info' | 'warn' | 'error';
  /** Where events and state are kept: one DuckDB file, or a ClickHouse server or cluster. */
  store: StoreKind;
  /** ClickHouse HTTP(S) endpoint, for store `clickhouse`. */
  clickhouseUrl: string;
  clickhouseUser: string;
  clickhousePassword: string;
  /** Database of the server's tables (made when missing). */
  clickhouseDatabase: string;
  /** Cluster name (remote_servers) for Replicated and Distributed tables; '' for a single node. */
  clickhouseCluster: string;
}

export const STORE_KINDS = ['duckdb', 'clickhouse'] as const;
export type StoreKind = (typeof STORE_KINDS)[number];

export const DEFAULT_CONFIG: ServerConfig = {
  host: '0.0.0.0',
  port: 4318,
  dbPath: './data/rum.duckdb',
  checkpointMib: DEFAULT_CHECKPOINT_MIB,
  duckdbMemoryMib: DEFAULT_DUCKDB_MEMORY_MIB,
  corsOrigins: [],
  trustedProxies: [...DEFAULT_TRUSTED_PROXIES],
  adminToken: '',
  publicUrl: '',
  backendEventsPerSecond: DEFAULT_BACKEND_EVENTS_PER_SECOND,
  maxBodyBytes: MAX_REQUEST_BODY_BYTES,
  maxDecompressedBytes: MAX_DECOMPRESSED_BODY_BYTES,
  demo: true,
  logLevel: 'info',
  store: 'duckdb',
  clickhouseUrl: 'http://localhost:8123',
  clickhouseUser: 'default',
  clickhousePassword: '',
  clickhouseDatabase: 'rum',
  clickhouseCluster: '',
};

/** Environment variables and the config file keys they override, documented in server/README.md. */
const ENV: Record<string, keyof ServerConfig> = {
  RUM_HOST: 'host',
  RUM_PORT: 'port',
  RUM_DB_PATH: 'dbPath',
  RUM_CHECKPOINT_MIB: 'checkpointMib',
  RUM_DUCKDB_MEMORY_MIB: 'duckdbMemoryMib',
  RUM_CORS_ORIGINS: 'corsOrigins',
  RUM_TRUSTED_PROXIES: 'trustedProxies',
  RUM_ADMIN_TOKEN: 'adminToken',
  RUM_PUBLIC_URL: 'publicUrl',
  RUM_BACKEND_EVENTS_PER_SECOND: 'backendEventsPerSecond',
  RUM_MAX_BODY_BYTES: 'maxBodyBytes',
  RUM_MAX_DECOMPRESSED_BYTES: 'maxDecompressedBytes',
  RUM_DEMO: 'demo',
  RUM_LOG_LEVEL: 'logLevel',
  RUM_STORE: 'store',
  RUM_CLICKHOUSE_URL: 'clickhouseUrl',
  RUM_CLICKHOUSE_USER: 'clickhouseUser',
  RUM_CLICKHOUSE_PASSWORD: 'clickhousePassword',
  RUM_CLICKHOUSE_DATABASE: 'clickhouseDatabase',
  RUM_CLICKHOUSE_CLUSTER: 'clickhouseCluster',
};

/**
 * Defaults, then the JSON file named by RUM_CONFIG (if any), then environment variables. A value of
 * the wrong shape is an error that names the setting.
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): ServerConfig {
  const cfg: ServerConfig = { ...DEFAULT_CONFIG };
  if (env.RUM_CONFIG) {
    const path = resolve(env.RUM_CONFIG);
    let file: unknown;
    try {
      file = JSON.parse(readFileSync(path, 'utf8'));
    } catch (e) {
      throw new Error(`config file ${path} could not be read as JSON: ${(e as Error).message}`);
    }
    if (typeof file !== 'object' || file === null)
      throw new Error(`config file ${path} must hold a JSON object`);
    for (const [key, value] of Object.entries(file)) {
      if (!(key in DEFAULT_CONFIG)) throw new Error(`config file ${path}: unknown setting "${key}"`);
      set(cfg, key as keyof ServerConfig, value, `config file setting "${key}"`);
    }
  }
  for (const [name, key] of Object.entries(ENV)) {
    const raw = env[name];
    if (raw !== undefined && raw !== '') set(cfg, key, raw, `environment variable ${name}`);
  }
  return cfg;
}

function set(cfg: ServerConfig, key: keyof ServerConfig, value: unknown, what: string): void {
  const kind = typeof DEFAULT_CONFIG[key];
  if (key === 'corsOrigins') {
    const list =
      typeof value === 'string'
        ? value
            .split(',')
            .map((s) => s.trim())
            .filter(Boolean)
        : value;
    if (!Array.isArray(list)) throw new Error(`${what} must be a list of origins`);
    cfg.corsOrigins = list.map((o) => {
      const r = normaliseOriginPattern(o);
      if ('error' in r) throw new Error(`${what}: ${r.error}`);
      return r.ok;
    });
  } else if (key === 'trustedProxies') {
    const list =
      value === 'none'
        ? []
        : typeof value === 'string'
          ? value
              .split(',')
              .map((s) => s.trim())
              .filter(Boolean)
          : value;
    if (!Array.isArray(list) || list.some((e) => typeof e !== 'string'))
      throw new Error(`${what} must be a list of networks such as 10.0.0.0/8, or none`);
    const parsed = parseProxyList(list as string[]);
    if ('error' in parsed) throw new Error(`${what}: ${parsed.error}`);
    cfg.trustedProxies = list as string[];
  } else if (key === 'adminToken') {
    if (typeof value !== 'string' || value.length < MIN_CONFIGURED_TOKEN_LENGTH || /\s/.test(value))
      throw new Error(`${what} must be at least ${MIN_CONFIGURED_TOKEN_LENGTH} characters without spaces`);
    cfg.adminToken = value;
  } else if (key === 'publicUrl') {
    if (typeof value !== 'string' || !/^https?:\/\/[^\s/?#]+(\/[^\s?#]*)?$/.test(value))
      throw new Error(`${what} must be an http(s) URL such as https://rum.example.com, got "${value}"`);
    cfg.publicUrl = value.replace(/\/+$/, '');
  } else if (key === 'backendEventsPerSecond') {
    const n = typeof value === 'string' ? Number(value) : value;
    if (typeof n !== 'number' || !Number.isFinite(n) || n <= 0)
      throw new Error(`${what} must be a number above 0, got "${value}"`);
    cfg.backendEventsPerSecond = n;
  } else if (key === 'duckdbMemoryMib') {
    const n = typeof value === 'string' ? Number(value) : value;
    if (typeof n !== 'number' || !Number.isInteger(n) || n < MIN_DUCKDB_MEMORY_MIB)
      throw new Error(
        `${what} must be a whole number of MiB, ${MIN_DUCKDB_MEMORY_MIB} or more, got "${String(value)}"`,
      );
    cfg.duckdbMemoryMib = n;
  } else if (kind === 'number') {
    const n = typeof value === 'string' ? Number(value) : value;
    if (typeof n !== 'number' || !Number.isInteger(n) || n < 0)
      throw new Error(`${what} must be a non-negative integer, got "${value}"`);
    (cfg as unknown as Record<string, unknown>)[key] = n;
  } else if (kind === 'boolean') {
    const b =
      value === true || value === 'true' || value === '1'
        ? true
        : value === false || value === 'false' || value === '0'
          ? false
          : null;
    if (b === null) throw new Error(`${what} must be true or false, got "${value}"`);
    (cfg as unknown as Record<string, unknown>)[key] = b;
  } else if (key === 'store') {
    if (!STORE_KINDS.includes(value as StoreKind))
      throw new Error(`${what} must be ${STORE_KINDS.join(' or ')}, got "${String(value)}"`);
    cfg.store = value as StoreKind;
  } else if (key === 'clickhouseUrl') {
    if (typeof value !== 'string' || !/^https?:\/\/[^\s/?#]+\/?$/.test(value))
      throw new Error(
        `${what} must be an http(s) URL such as http://clickhouse:8123, got "${String(value)}"`,
      );
    cfg.clickhouseUrl = value;
  } else if (key === 'clickhousePassword') {
    if (typeof value !== 'string') throw new Error(`${what} must be a string`);
    cfg.clickhousePassword = value;
  } else if (key === 'clickhouseDatabase' || key === 'clickhouseCluster') {
    // Names go into DDL: only plain identifiers (a cluster may be '' for a single node).
    const ok =
      typeof value === 'string' && (IDENTIFIER.test(value) || (key === 'clickhouseCluster' && value === ''));
    if (!ok)
      throw new Error(
        `${what} must be letters, digits and _ (not starting with a digit), got "${String(value)}"`,
      );
    cfg[key] = value;
  } else if (key === 'logLevel') {
    if (!['debug', 'info', 'warn', 'error'].includes(String(value)))
      throw new Error(`${what} must be debug, info, warn or error`);
    cfg.logLevel = value as ServerConfig['logLevel'];
  } else {
    if (typeof value !== 'string' || value === '') throw new Error(`${what} must be a non-empty string`);
    (cfg as unknown as Record<string, unknown>)[key] = value;
  }
}

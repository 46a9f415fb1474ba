import { createHash } from 'node:crypto';
import {
  CLIENT_ADDRESS,
  FARO_COLLECT_PATH,
  OTLP_PATHS,
  DEPLOYMENT_ENVIRONMENT_NAME,
  MAX_ATTRIBUTES_PER_EVENT,
  MAX_ATTRIBUTE_KEY_LENGTH,
  MAX_ATTRIBUTE_VALUE_LENGTH,
  MAX_STACKTRACE_LENGTH,
  MAX_EVENT_TIME_MS,
  EXCEPTION_STACKTRACE,
  RUM_APP_ID,
  SERVICE_NAME,
  SERVICE_VERSION,
  SESSION_ID,
  USER_AGENT_ORIGINAL,
  USER_ID,
} from '@otel-rum/model';
import type { Attributes } from '../otlp/values';
import { str } from '../otlp/values';
import { nativeClientFacts, type NativeClientFacts } from './native-apps';

/** What every record of one OTLP resource shares. */
export interface ResourceContext {
  appId: string | null;
  serviceName: string | null;
  serviceVersion: string | null;
  environment: string | null;
  userAgent: string | null;
  sessionId: string | null;
  userId: string | null;
  /** Operating system and device type of a native app (its resource names os.name); null for browsers. */
  native: NativeClientFacts | null;
  attributes: Attributes;
  /**
   * Who sent it, for deriving a session: the request's address, and the browser's user agent from
   * the resource when it has one (behind a collector the request's own User-Agent is the collector's).
   */
  client: ClientInfo;
}

/** Where the request came from, for sessions the sender did not name. */
export interface ClientInfo {
  address: string;
  /** The request came through a trusted proxy, so the resource's client.address is believed. */
  trusted?: boolean;
  userAgent: string | null;
}

export function resourceContext(attrs: Attributes, client: ClientInfo): ResourceContext {
  const userAgent = str(attrs[USER_AGENT_ORIGINAL]) ?? client.userAgent;
  return {
    appId: str(attrs[RUM_APP_ID]),
    serviceName: str(attrs[SERVICE_NAME]),
    serviceVersion: str(attrs[SERVICE_VERSION]),
    environment: str(attrs[DEPLOYMENT_ENVIRONMENT_NAME]) ?? str(attrs['deployment.environment']),
    userAgent,
    sessionId: str(attrs[SESSION_ID]),
    userId: str(attrs[USER_ID]),
    native: nativeClientFacts(attrs),
    attributes: attrs,
    // Behind the gateway collector the request comes from the collector: it names the browser's
    // address. Anyone else could name any address, so only a trusted proxy's word is taken.
    client: {
      address: (client.trusted ? str(attrs[CLIENT_ADDRESS]) : null) ?? client.address,
      trusted: client.trusted,
      userAgent,
    },
  };
}

/** Length of a derived session: one per client and application for this long. */
export const DERIVED_SESSION_WINDOW_MS = 30 * 60 * 1000;

/**
 * A session id for data that carries none (upstream instrumentations without a session processor):
 * the same client address, user agent and application within one 30-minute window share a session.
 * The id says it was derived so the UI can tell.
 */
export function derivedSessionId(appId: string, client: ClientInfo, timeUs: bigint): string {
  const window = Number(timeUs / 1000n) / DERIVED_SESSION_WINDOW_MS;
  const h = createHash('sha1')
    .update(`${appId}\u0000${client.address}\u0000${client.userAgent ?? ''}\u0000${Math.floor(window)}`)
    .digest('hex');
  return `derived-${h.slice(0, 24)}`;
}

/** Result of trimming attributes to the model's limits. */
export interface Trimmed {
  attributes: Attributes;
  dropped: number;
  truncated: number;
}

/** Applies the attribute limits of the model: count, key length and value length. */
export function trimAttributes(attrs: Attributes): Trimmed {
  if (withinLimits(attrs)) return { attributes: attrs, dropped: 0, truncated: 0 };
  const out: Attributes = {};
  let kept = 0;
  let dropped = 0;
  let truncated = 0;
  for (const [key, value] of Object.entries(attrs)) {
    if (kept >= MAX_ATTRIBUTES_PER_EVENT || key.length > MAX_ATTRIBUTE_KEY_LENGTH) {
      dropped++;
      continue;
    }
    const limit = key === EXCEPTION_STACKTRACE ? MAX_STACKTRACE_LENGTH : MAX_ATTRIBUTE_VALUE_LENGTH;
    if (typeof value === 'string' && value.length > limit) {
      out[key] = value.slice(0, limit);
      truncated++;
    } else {
      out[key] = value;
    }
    kept++;
  }
  return { attributes: out, dropped, truncated };
}

/** The common case, checked without copying: nothing to drop or truncate. */
function withinLimits(attrs: Attributes): boolean {
  // Read once per record: the model's index re-exports through getters, slow in a per-attribute loop.
  const maxCount = MAX_ATTRIBUTES_PER_EVENT;
  const maxKey = MAX_ATTRIBUTE_KEY_LENGTH;
  const maxValue = MAX_ATTRIBUTE_VALUE_LENGTH;
  const stack = EXCEPTION_STACKTRACE;
  let n = 0;
  for (const key in attrs) {
    if (++n > maxCount || key.length > maxKey) return false;
    const value = attrs[key];
    if (typeof value === 'string' && value.length > (key === stack ? MAX_STACKTRACE_LENGTH : maxValue))
      return false;
  }
  return true;
}

/** Distinct URLs whose path is remembered; pages and APIs repeat, and the cache stays bounded. */
export const URL_PATH_CACHE_SIZE = 10_000;
const paths = new Map<string, string | null>();

/** The path of a URL, or null when it is not a URL. */
export function pathOf(url: string | null): string | null {
  if (!url) return null;
  let path = paths.get(url);
  if (path !== undefined) return path;
  try {
    path = new URL(url).pathname;
  } catch {
    path = url.startsWith('/') ? url.split(/[?#]/)[0]! : null;
  }
  if (paths.size >= URL_PATH_CACHE_SIZE) paths.delete(paths.keys().next().value as string);
  paths.set(url, path);
  return path;
}

const EXTENSION_TYPES: [RegExp, string][] = [
  [/\.css$/i, 'css'],
  [/\.m?js$/i, 'js'],
  [/\.(png|jpe?g|gif|svg|webp|avif|ico|bmp)$/i, 'image'],
  [/\.(woff2?|ttf|otf|eot)$/i, 'font'],
  [/\.(mp4|webm|ogg|mp3|wav|m4a|m3u8|ts)$/i, 'media'],
];

/**
 * The resource type (document, fetch, xhr, beacon, css, js, image, font, media or other) from resource
 * timing's initiator type when the sender has it, else from the path's extension; the same values as
 * our SDK sends in rum.resource.type.
 */
export function resourceType(initiator: string | null, path: string | null): string {
  if (initiator === 'navigation') return 'document';
  if (initiator === 'fetch') return 'fetch';
  if (initiator === 'xmlhttprequest') return 'xhr';
  if (initiator === 'beacon') return 'beacon';
  if (initiator === 'script') return 'js';
  if (initiator === 'img' || initiator === 'image') return 'image';
  if (initiator === 'video' || initiator === 'audio') return 'media';
  for (const [re, type] of EXTENSION_TYPES) if (re.test(path ?? '')) return type;
  return initiator === 'link' || initiator === 'css' ? 'css' : 'other';
}

const OTLP_PATH_ENDINGS = Object.values(OTLP_PATHS);

/**
 * Whether a request path is a telemetry sender's own export: an OTLP/HTTP path (`/v1/logs`,
 * `/v1/traces`, `/v1/metrics`, also under a prefix) or Faro's collect path (`/collect`,
 * `/collect/<key>`). Those requests are the sender's, not the user's: no source's resources keep them.
 */
export function isExportRequestPath(path: string | null): boolean {
  if (!path) return false;
  if (OTLP_PATH_ENDINGS.some((p) => path.endsWith(p))) return true;
  if (path === FARO_COLLECT_PATH) return true;
  return path.startsWith(`${FARO_COLLECT_PATH}/`) && !path.slice(FARO_COLLECT_PATH.length + 1).includes('/');
}

/** Nanoseconds since the epoch (as bigint) to microseconds; 0 or missing becomes `fallbackUs`. */
/** Times after MAX_EVENT_TIME_MS (nothing stores them: DuckDB's timestamps end in year 294247). */
const LATEST_NANOS = BigInt(MAX_EVENT_TIME_MS) * 1_000_000n;

export function nanosToMicros(nanos: bigint | null, fallbackUs: bigint): bigint {
  return nanos && nanos > 0n && nanos <= LATEST_NANOS ? nanos / 1000n : fallbackUs;
}

export function shortHash(...parts: string[]): string {
  return createHash('sha1').update(parts.join('\u0000')).digest('hex').slice(0, 16);
}

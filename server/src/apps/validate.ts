import {
  APP_ID_PATTERN,
  DEFAULT_RETENTION_DAYS,
  MAX_ALLOWED_ORIGINS,
  MAX_APP_EVENTS_PER_SECOND,
  MAX_APP_EVENT_BURST,
  MAX_APP_ID_LENGTH,
  MAX_APP_NAME_LENGTH,
  MAX_LINKED_DASHBOARDS,
  MAX_RETENTION_DAYS,
} from '@otel-rum/model';
import { HttpError } from '../http/http-error';
import {
  APP_TYPES,
  type AppType,
  type ApplicationFields,
  type DashboardLink,
  type RateLimit,
} from './application';
import { normaliseOriginPattern } from './origins';

/** Characters in a linked dashboard's title. */
export const MAX_DASHBOARD_TITLE_LENGTH = 200;
// The largest burst is the model's, shared with the Grafana app's form.
export { MAX_APP_EVENT_BURST } from '@otel-rum/model';

const WRITABLE = [
  'appId',
  'name',
  'type',
  'allowedOrigins',
  'sessionSampleRate',
  'traceSampleRate',
  'replaySampleRate',
  'retentionDays',
  'dashboards',
  'rateLimit',
] as const;
const READ_ONLY = ['previousAppIds', 'createdAt', 'updatedAt'];

/** What a new application gets for each field the request leaves out. */
export const APPLICATION_DEFAULTS = {
  allowedOrigins: [] as string[],
  sessionSampleRate: 1,
  traceSampleRate: 1,
  replaySampleRate: 0,
  retentionDays: DEFAULT_RETENTION_DAYS,
  dashboards: [] as DashboardLink[],
  rateLimit: null as RateLimit | null,
};

const bad = (field: string, message: string) => new HttpError(400, `${field} ${message}`);

export function appIdOf(value: unknown, field = 'appId'): string {
  if (typeof value !== 'string' || !APP_ID_PATTERN.test(value))
    throw bad(
      field,
      `must be letters, digits or underscore, 1 to ${MAX_APP_ID_LENGTH} characters, got ${JSON.stringify(value)}`,
    );
  return value;
}

function nameOf(value: unknown): string {
  if (typeof value !== 'string' || value.trim() === '') throw bad('name', 'must be a non-empty string');
  const name = value.trim();
  if (name.length > MAX_APP_NAME_LENGTH)
    throw bad('name', `must be at most ${MAX_APP_NAME_LENGTH} characters`);
  return name;
}

export function typeOf(value: unknown, field = 'type'): AppType {
  if (!APP_TYPES.includes(value as AppType))
    throw bad(field, `must be one of ${APP_TYPES.join(', ')}, got ${JSON.stringify(value)}`);
  return value as AppType;
}

function originsOf(value: unknown): string[] {
  if (!Array.isArray(value)) throw bad('allowedOrigins', 'must be a list of origins');
  if (value.length > MAX_ALLOWED_ORIGINS)
    throw bad('allowedOrigins', `holds ${value.length} origins, over the limit of ${MAX_ALLOWED_ORIGINS}`);
  const out: string[] = [];
  value.forEach((raw, i) => {
    const r = normaliseOriginPattern(raw);
    if ('error' in r) throw bad(`allowedOrigins[${i}]`, r.error);
    if (!out.includes(r.ok)) out.push(r.ok);
  });
  return out;
}

function rateOf(field: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0 || value > 1)
    throw bad(field, `must be a number from 0 to 1, got ${JSON.stringify(value)}`);
  return value;
}

function retentionOf(value: unknown): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1 || value > MAX_RETENTION_DAYS)
    throw bad(
      'retentionDays',
      `must be a whole number of days from 1 to ${MAX_RETENTION_DAYS} (3, 7 and 14 are the usual choices), got ${JSON.stringify(value)}`,
    );
  return value;
}

function dashboardsOf(value: unknown): DashboardLink[] {
  if (!Array.isArray(value)) throw bad('dashboards', 'must be a list of { title, uid or url }');
  if (value.length > MAX_LINKED_DASHBOARDS)
    throw bad('dashboards', `holds ${value.length} links, over the limit of ${MAX_LINKED_DASHBOARDS}`);
  return value.map((d: unknown, i) => {
    const field = `dashboards[${i}]`;
    if (typeof d !== 'object' || d === null || Array.isArray(d))
      throw bad(field, 'must be an object { title, uid or url }');
    const o = d as Record<string, unknown>;
    for (const k of Object.keys(o))
      if (!['title', 'uid', 'url'].includes(k))
        throw bad(field, `has an unknown field "${k}"; known: title, uid, url`);
    if (typeof o.title !== 'string' || o.title.trim() === '')
      throw bad(`${field}.title`, 'must be a non-empty string');
    if (o.title.length > MAX_DASHBOARD_TITLE_LENGTH)
      throw bad(`${field}.title`, `must be at most ${MAX_DASHBOARD_TITLE_LENGTH} characters`);
    const link: DashboardLink = { title: o.title.trim() };
    if (o.uid !== undefined) {
      if (typeof o.uid !== 'string' || !/^[A-Za-z0-9_-]{1,40}$/.test(o.uid))
        throw bad(
          `${field}.uid`,
          'must be a Grafana dashboard uid: letters, digits, - or _, 1 to 40 characters',
        );
      link.uid = o.uid;
    }
    if (o.url !== undefined) {
      if (typeof o.url !== 'string' || !(/^https?:\/\/[^\s]+$/.test(o.url) || /^\/[^\s]*$/.test(o.url)))
        throw bad(`${field}.url`, 'must be an http(s) URL or a path starting with /');
      link.url = o.url;
    }
    if (link.uid === undefined && link.url === undefined) throw bad(field, 'needs a uid or a url');
    return link;
  });
}

function rateLimitOf(value: unknown): RateLimit | null {
  if (value === null) return null;
  if (typeof value !== 'object' || Array.isArray(value))
    throw bad('rateLimit', 'must be null (the defaults) or { eventsPerSecond, burst }');
  const o = value as Record<string, unknown>;
  for (const k of Object.keys(o))
    if (k !== 'eventsPerSecond' && k !== 'burst')
      throw bad('rateLimit', `has an unknown field "${k}"; known: eventsPerSecond, burst`);
  const eps = o.eventsPerSecond;
  if (typeof eps !== 'number' || !Number.isFinite(eps) || eps <= 0 || eps > MAX_APP_EVENTS_PER_SECOND)
    throw bad(
      'rateLimit.eventsPerSecond',
      `must be a number above 0 and at most ${MAX_APP_EVENTS_PER_SECOND}`,
    );
  const burst = o.burst;
  if (typeof burst !== 'number' || !Number.isInteger(burst) || burst < 1 || burst > MAX_APP_EVENT_BURST)
    throw bad('rateLimit.burst', `must be a whole number from 1 to ${MAX_APP_EVENT_BURST}`);
  return { eventsPerSecond: eps, burst };
}

const PARSERS: { [K in (typeof WRITABLE)[number]]: (v: unknown) => ApplicationFields[K] } = {
  appId: (v) => appIdOf(v),
  name: nameOf,
  type: (v) => typeOf(v),
  allowedOrigins: originsOf,
  sessionSampleRate: (v) => rateOf('sessionSampleRate', v),
  traceSampleRate: (v) => rateOf('traceSampleRate', v),
  replaySampleRate: (v) => rateOf('replaySampleRate', v),
  retentionDays: retentionOf,
  dashboards: dashboardsOf,
  rateLimit: rateLimitOf,
};

function checkKeys(body: Record<string, unknown>): void {
  for (const key of Object.keys(body)) {
    if (READ_ONLY.includes(key)) throw bad(key, 'is set by the server and cannot be written');
    if (!(WRITABLE as readonly string[]).includes(key))
      throw new HttpError(400, `unknown field "${key}"; known: ${WRITABLE.join(', ')}`);
  }
}

/** The fields of a new application (POST): appId, name and type are required, the rest has defaults. */
export function parseNewApplication(body: Record<string, unknown>): ApplicationFields {
  checkKeys(body);
  for (const required of ['appId', 'name', 'type'])
    if (body[required] === undefined) throw bad(required, 'is required');
  const defaults: Record<string, unknown> = APPLICATION_DEFAULTS;
  const out: Record<string, unknown> = {};
  for (const key of WRITABLE) out[key] = body[key] !== undefined ? PARSERS[key](body[key]) : defaults[key];
  return out as unknown as ApplicationFields;
}

/** The fields a PATCH changes; those it leaves out keep their values. */
export function parseApplicationPatch(body: Record<string, unknown>): Partial<ApplicationFields> {
  checkKeys(body);
  const out: Record<string, unknown> = {};
  for (const key of WRITABLE) if (body[key] !== undefined) out[key] = PARSERS[key](body[key]);
  return out as Partial<ApplicationFields>;
}

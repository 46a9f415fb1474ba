/*
 * The values of a committed EventRow under the filter language's field names, so that rules can be
 * evaluated on data as it arrives instead of querying it back. The names and meanings are those of
 * EVENT_FIELDS (server/src/store/duckdb/duckdb-store.ts); event-filter.test.ts fails when a field is
 * added there without a reading here.
 */
import type { EventRow } from '../store/rows';

export type FieldValue = string | number | null;

/** Field name to its value on one event. `time` is in microseconds since the epoch. */
export const EVENT_VALUES: Readonly<Record<string, (e: EventRow) => FieldValue>> = {
  time: (e) => Number(e.timeUs),
  app: (e) => e.appId,
  env: (e) => e.environment,
  version: (e) => e.serviceVersion,
  url: (e) => e.url,
  path: (e) => e.path,
  user: (e) => e.userId,
  session: (e) => e.sessionId,
  view: (e) => e.viewId,
  trace: (e) => e.traceId,
  kind: (e) => e.kind,
  status: (e) => e.status,
  duration: (e) => e.durationMs,
  value: (e) => e.value,
  name: (e) => e.name,
  label: (e) => e.label,
  fingerprint: (e) => e.fingerprint ?? null,
  browser: (e) => e.browser ?? null,
  os: (e) => e.os ?? null,
  device: (e) => e.device ?? null,
  country: (e) => e.country ?? null,
  type: (e) => e.type ?? null,
};

/**
 * Fields the filter language knows on events that cannot be read from one event alone, with the
 * reason given to a rule that uses them.
 */
export const SESSION_LEVEL_FIELDS: Readonly<Record<string, string>> = {
  has_replay: 'it depends on the whole session, which is not known when an event arrives',
};

/** The columns free text searches (EVENT_FIELDS.text), read from an event. */
export const TEXT_VALUES: Readonly<Record<string, (e: EventRow) => string | null>> = {
  label: (e) => e.label,
  url: (e) => e.url,
};

/**
 * An attribute as the store's `json_extract_string(attributes, '/key')` reads it: missing or null is
 * null; text as is; numbers, booleans, arrays and objects as their JSON text.
 */
export function attributeText(e: EventRow, key: string): string | null {
  if (!Object.prototype.hasOwnProperty.call(e.attributes, key)) return null;
  const v = e.attributes[key];
  if (v === null || v === undefined) return null;
  if (typeof v === 'string') return v;
  if (typeof v === 'number') return Number.isFinite(v) ? jsonNumber(v) : null;
  return JSON.stringify(v) ?? null;
}

/** Whether the attribute is present, as `json_exists` reads the stored JSON (null counts). */
export function attributeExists(e: EventRow, key: string): boolean {
  if (!Object.prototype.hasOwnProperty.call(e.attributes, key)) return false;
  return e.attributes[key] !== undefined;
}

/** An attribute as a number, as `TRY_CAST(text AS DOUBLE)` reads its text: null when it is not one. */
export function attributeNumber(e: EventRow, key: string): number | null {
  const v = e.attributes[key];
  if (typeof v === 'number') return Number.isFinite(v) ? v : null;
  const text = attributeText(e, key);
  return text === null ? null : parseDouble(text);
}

const DECIMAL = /^[+-]?(?:\d[\d_]*(?:\.[\d_]*)?|\.\d[\d_]*)(?:[eE][+-]?\d+)?$/;
const SPECIAL = /^[+-]?(?:inf|infinity|nan)$/i;

/** Text to a double the way DuckDB casts it (surrounding blanks and digit separators allowed), else null. */
export function parseDouble(text: string): number | null {
  const t = text.trim();
  if (DECIMAL.test(t)) return Number(t.replace(/_/g, ''));
  if (SPECIAL.test(t))
    return t.toLowerCase().includes('nan') ? NaN : t.startsWith('-') ? -Infinity : Infinity;
  return null;
}

/** A number as DuckDB writes a JSON number back as text (exponent without '+'). */
function jsonNumber(n: number): string {
  return String(n).replace('e+', 'e');
}

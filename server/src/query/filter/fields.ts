import { FILTER_FIELDS, type FilterFieldType } from '@otel-rum/model';
/*
 * What the caller tells the compiler about its table: which filter field names exist, the column
 * expression behind each and its type. Column expressions are trusted SQL written by the server's
 * own code, never by the user; the user's text only ever selects among them.
 */

/**
 * - `string`: text; = != in ~ contains exists.
 * - `number`: = != < <= > >= in exists; compared with number values only.
 * - `boolean`: = != exists, and the bare name means `= true`.
 * - `time`: = != < <= > >= exists; values are ISO 8601 strings or epoch milliseconds.
 */
export type FieldType = FilterFieldType;

/** How a `time` column stores instants. */
export type TimeStorage = 'timestamp' | 'epoch_ms' | 'epoch_us';

export interface FieldSpec {
  /** SQL expression of the column, e.g. `app_id` or `e.status`. */
  column: string;
  type: FieldType;
  /** For `time` fields; `timestamp` (DuckDB TIMESTAMP, ClickHouse DateTime64) unless told. */
  storage?: TimeStorage;
}

export interface AttributesSpec {
  /** SQL expression of the attributes column. */
  column: string;
  /**
   * `json`: a JSON object (DuckDB JSON or VARCHAR, ClickHouse String holding JSON);
   * `map`: a string-to-string map (DuckDB MAP(VARCHAR, VARCHAR), ClickHouse Map(String, String)).
   */
  storage: 'json' | 'map';
}

export interface FieldMap {
  /** Filter field name (as the user writes it) to its column. */
  fields: Readonly<Record<string, FieldSpec>>;
  /** The column `attr."key"` looks into; without it attribute lookups are refused. */
  attributes?: AttributesSpec;
  /** Column expressions that free text searches (any of them containing the text matches). */
  text?: readonly string[];
}

/**
 * The field names the query API gives every event table, with the type each has (the model's, shared
 * with the Grafana plugins). A caller's FieldMap uses these names so that one filter means the same
 * thing on every endpoint.
 */
export const STANDARD_FIELDS: Readonly<Record<string, { type: FieldType; description: string }>> =
  FILTER_FIELDS;

/*
 * The few places where DuckDB and ClickHouse spell a condition differently. Every user value goes
 * through `param`, which records it and returns only a placeholder: DuckDB takes positional `?`
 * (bound in order by @duckdb/node-api's run/prepare with an array), ClickHouse takes typed named
 * placeholders `{pN:Type}` (bound by name through query_params).
 */
import type { AttributesSpec, TimeStorage } from './fields';

export type SqlDialect = 'duckdb' | 'clickhouse';
export const SQL_DIALECTS: readonly SqlDialect[] = ['duckdb', 'clickhouse'];

export type ParamValue = string | number | boolean;

function clickhouseType(value: ParamValue): string {
  if (typeof value === 'string') return 'String';
  if (typeof value === 'boolean') return 'Bool';
  return Number.isSafeInteger(value) ? 'Int64' : 'Float64';
}

/** Turns a glob (`*`, `?`, with `\*` `\?` `\\` for the characters themselves) into a LIKE pattern. */
export function globToLike(glob: string): string {
  let like = '';
  for (let i = 0; i < glob.length; i += 1) {
    const ch = glob[i] as string;
    if (ch === '\\' && i + 1 < glob.length) {
      const next = glob[i + 1] as string;
      if (next === '*' || next === '?' || next === '\\') {
        like += next === '\\' ? '\\\\' : next;
        i += 1;
        continue;
      }
    }
    if (ch === '*') like += '%';
    else if (ch === '?') like += '_';
    else if (ch === '%' || ch === '_' || ch === '\\') like += `\\${ch}`;
    else like += ch;
  }
  return like;
}

/** JSON Pointer (RFC 6901) to one top-level key: DuckDB's JSON functions take it as a path. */
function jsonPointer(key: string): string {
  return `/${key.replace(/~/g, '~0').replace(/\//g, '~1')}`;
}

export class SqlWriter {
  readonly params: ParamValue[] = [];

  constructor(
    readonly dialect: SqlDialect,
    private readonly offset: number,
  ) {}

  /** Records a value and returns its placeholder; values never enter the SQL text. */
  param(value: ParamValue): string {
    const index = this.offset + this.params.length;
    this.params.push(value);
    return this.dialect === 'duckdb' ? '?' : `{p${index}:${clickhouseType(value)}}`;
  }

  /** Placeholder of an instant given in epoch milliseconds, as the column stores instants. */
  time(epochMs: number, storage: TimeStorage): string {
    const ms = Math.trunc(epochMs);
    const value = storage === 'epoch_us' ? ms * 1000 : ms;
    if (this.dialect === 'duckdb') {
      const p = `CAST(${this.param(value)} AS BIGINT)`;
      return storage === 'timestamp' ? `epoch_ms(${p})` : p;
    }
    const p = this.param(value);
    return storage === 'timestamp' ? `fromUnixTimestamp64Milli(${p})` : p;
  }

  like(expr: string, glob: string, negated: boolean): string {
    const op = negated ? 'NOT LIKE' : 'LIKE';
    const p = this.param(globToLike(glob));
    // DuckDB's LIKE has no escape character unless one is named; ClickHouse's is always '\'.
    return this.dialect === 'duckdb' ? `${expr} ${op} ${p} ESCAPE '\\'` : `${expr} ${op} ${p}`;
  }

  /** Case-insensitive substring test; no pattern characters, so nothing to escape. */
  contains(expr: string, text: string): string {
    const p = this.param(text);
    return this.dialect === 'duckdb'
      ? `contains(lower(${expr}), lower(${p}))`
      : `positionCaseInsensitiveUTF8(${expr}, ${p}) > 0`;
  }

  /** The attribute's value as text, NULL (DuckDB) or '' (ClickHouse map) where it is missing. */
  attribute(spec: AttributesSpec, key: string): string {
    if (this.dialect === 'clickhouse') return `${spec.column}[${this.param(key)}]`;
    return spec.storage === 'json'
      ? `json_extract_string(${spec.column}, ${this.param(jsonPointer(key))})`
      : `${spec.column}[${this.param(key)}]`;
  }

  /** The attribute's value as a number, NULL where it is missing or not a number. */
  numericAttribute(spec: AttributesSpec, key: string): string {
    const text = this.attribute(spec, key);
    return this.dialect === 'duckdb' ? `TRY_CAST(${text} AS DOUBLE)` : `toFloat64OrNull(${text})`;
  }

  attributeExists(spec: AttributesSpec, key: string): string {
    if (this.dialect === 'clickhouse') return `mapContains(${spec.column}, ${this.param(key)})`;
    return spec.storage === 'json'
      ? `json_exists(${spec.column}, ${this.param(jsonPointer(key))})`
      : `map_contains(${spec.column}, ${this.param(key)})`;
  }
}

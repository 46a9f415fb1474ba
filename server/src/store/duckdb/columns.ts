/*
 * Rows sent to DuckDB as one JSON text of column arrays, `{"id": [...], "time": [...], ...}`, which one
 * INSERT unpacks (from_json, then unnest of every column side by side). The JavaScript thread only
 * fills arrays and calls JSON.stringify once per table; parsing and inserting run on DuckDB's side of
 * the binding, off the JavaScript thread. An appender instead takes every value in a call of its own
 * from the JavaScript thread, and flushes there too: about twice the JavaScript time per row.
 */

/**
 * Rows sent in one statement at most. It bounds the JSON text of one statement (a few MB for RUM
 * events) when the write queue commits many requests together; larger groups go in several statements
 * of the same transaction, which cost no more per row.
 */
export const COLUMN_INSERT_MAX_ROWS = 10_000;

/** DuckDB type of each column as sent: TIMESTAMP columns travel as microseconds since the epoch. */
export type ColumnTypes = Readonly<
  Record<string, 'VARCHAR' | 'DOUBLE' | 'INTEGER' | 'BIGINT' | 'TIMESTAMP' | 'JSON'>
>;

const quote = (name: string) => `"${name.replaceAll('"', '""')}"`;

/** The INSERT of one table that takes its rows as the JSON text of columnsJson(), parameter 1. */
export function columnInsertSql(table: string, types: ColumnTypes): string {
  const names = Object.keys(types);
  const structure = JSON.stringify(
    Object.fromEntries(names.map((n) => [n, `${types[n] === 'TIMESTAMP' ? 'BIGINT' : types[n]}[]`])),
  );
  const unpacked = names.map((n) => `unnest(c.${quote(n)}) AS ${quote(n)}`).join(', ');
  const converted = names
    .map((n) => (types[n] === 'TIMESTAMP' ? `make_timestamp(${quote(n)}) AS ${quote(n)}` : quote(n)))
    .join(', ');
  return `INSERT INTO ${quote(table)} BY NAME SELECT ${converted} FROM (SELECT ${unpacked}
    FROM (SELECT from_json($1::VARCHAR, '${structure.replaceAll("'", "''")}') AS c))`;
}

/** A timestamp in microseconds as a JSON value: a number while exact, else its digits. */
export function micros(us: bigint): number | string {
  return us <= MAX_EXACT_US && us >= -MAX_EXACT_US ? Number(us) : us.toString();
}
const MAX_EXACT_US = BigInt(Number.MAX_SAFE_INTEGER);

/** A lone UTF-16 surrogate, which JSON.stringify writes as an escape that DuckDB's JSON reader refuses. */
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;
const wellFormed = (_key: string, v: unknown) =>
  typeof v === 'string' ? v.replace(LONE_SURROGATE, '\ufffd') : v;

/**
 * The JSON text of the column arrays. Strings with a lone surrogate (only JSON.stringify's `\ud8..`
 * to `\udf..` escapes can hold one) get U+FFFD in its place, as the appender's UTF-8 conversion did.
 */
export function columnsJson(columns: Record<string, unknown[]>): string {
  const text = JSON.stringify(columns);
  // JSON.stringify writes the escapes in lower case; a string holding the text "\ud" itself only
  // takes the slower path.
  return text.includes('\\ud') ? JSON.stringify(columns, wellFormed) : text;
}

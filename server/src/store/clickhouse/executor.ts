import { createClient, type ClickHouseClient } from '@clickhouse/client';

/** Query parameters, `{name:Type}` in the SQL: strings and numbers only (sent as text). */
export type QueryParams = Record<string, string | number | boolean>;
export type Row = Record<string, unknown>;

/**
 * Where the ClickHouse store's SQL runs: a ClickHouse server over HTTP (ClientExecutor) or, in the
 * tests and the benchmark, the same engine in-process (ChdbExecutor). The store generates every
 * statement; an executor only carries it and its parameters.
 */
export interface ClickHouseExecutor {
  /** Runs a statement that returns nothing (DDL, ALTER). */
  command(sql: string, params?: QueryParams): Promise<void>;
  /** Runs a query and returns its rows (JSONEachRow; 64-bit integers may come back as text). */
  query(sql: string, params?: QueryParams): Promise<Row[]>;
  /** Inserts rows; resolves only once ClickHouse has written them. */
  insert(table: string, rows: readonly object[]): Promise<void>;
  close(): Promise<void>;
}

export interface ClientOptions {
  url: string;
  username: string;
  password: string;
  database: string;
}

/**
 * Inserts are asynchronous inserts that wait (`wait_for_async_insert`): many replicas' small batches
 * are buffered and written together by the server, and an insert resolves only once its rows are in a
 * part on disk, so nothing acknowledged to a sender is lost.
 */
export const INSERT_SETTINGS = { async_insert: 1, wait_for_async_insert: 1 } as const;

/** A ClickHouse server through @clickhouse/client (HTTP). */
export class ClientExecutor implements ClickHouseExecutor {
  private readonly client: ClickHouseClient;

  constructor(o: ClientOptions) {
    this.client = createClient({
      url: o.url,
      username: o.username,
      password: o.password,
      database: o.database,
      application: 'otel-rum',
      clickhouse_settings: {
        date_time_input_format: 'best_effort',
        output_format_json_quote_64bit_integers: 0,
      },
    });
  }

  async command(sql: string, params?: QueryParams): Promise<void> {
    await this.client.command({
      query: sql,
      query_params: params,
      // DDL ON CLUSTER answers once every node has run it.
      clickhouse_settings: { wait_end_of_query: 1 },
    });
  }

  async query(sql: string, params?: QueryParams): Promise<Row[]> {
    const rs = await this.client.query({ query: sql, query_params: params, format: 'JSONEachRow' });
    return rs.json<Row>();
  }

  async insert(table: string, rows: readonly object[]): Promise<void> {
    if (rows.length === 0) return;
    await this.client.insert({
      table,
      values: rows as object[],
      format: 'JSONEachRow',
      clickhouse_settings: INSERT_SETTINGS,
    });
  }

  close(): Promise<void> {
    return this.client.close();
  }
}

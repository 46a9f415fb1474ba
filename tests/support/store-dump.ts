import { DuckDBInstance } from '@duckdb/node-api';

/**
 * Every row of every table of a DuckDB file (of a stopped server), each as one line of text: what
 * is on disk, searched as bytes rather than through the API.
 */
export async function dumpStore(dbPath: string): Promise<Map<string, string[]>> {
  const instance = await DuckDBInstance.create(dbPath, { access_mode: 'READ_ONLY' });
  const conn = await instance.connect();
  try {
    const tables = (
      await conn.runAndReadAll(
        "SELECT table_name FROM information_schema.tables WHERE table_type = 'BASE TABLE' ORDER BY 1",
      )
    )
      .getRowObjectsJS()
      .map((r) => String(r.table_name));
    const out = new Map<string, string[]>();
    for (const t of tables) {
      const rows = (await conn.runAndReadAll(`SELECT * FROM "${t}"`)).getRowObjectsJson();
      out.set(
        t,
        rows.map((r) => JSON.stringify(r)),
      );
    }
    return out;
  } finally {
    conn.closeSync();
    instance.closeSync();
  }
}

import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import type { ClickHouseExecutor, QueryParams, Row } from './executor';

/**
 * Python interpreter that has chdb: RUM_CHDB_PYTHON, else the virtualenv scripts/install-test-deps.sh
 * makes (.cache/chdb/venv) when python3 itself has no chdb, else python3.
 */
const VENV_PYTHON = join(__dirname, '..', '..', '..', '..', '.cache', 'chdb', 'venv', 'bin', 'python');
const VENV_PYTHON_FROM_DIST = join(
  __dirname,
  '..',
  '..',
  '..',
  '..',
  '..',
  '.cache',
  'chdb',
  'venv',
  'bin',
  'python',
);
export const CHDB_PYTHON =
  process.env.RUM_CHDB_PYTHON ?? [VENV_PYTHON, VENV_PYTHON_FROM_DIST].find((p) => existsSync(p)) ?? 'python3';
/** Beside this file in src/; the build (tsc) copies no .py, so dist/ finds it back in src/. */
const SCRIPT = [
  join(__dirname, 'chdb_executor.py'),
  join(__dirname, '..', '..', '..', 'src', 'store', 'clickhouse', 'chdb_executor.py'),
].find((p) => existsSync(p))!;

/**
 * The ClickHouse engine in-process (chdb, on PyPI), in a Python child process that runs one statement
 * at a time from JSON lines (chdb_executor.py). For the tests and the benchmark: every statement the
 * store generates runs on the real engine, with no ClickHouse server to install. Several stores may
 * share one executor, as several server replicas share one ClickHouse.
 */
export class ChdbExecutor implements ClickHouseExecutor {
  private readonly proc: ChildProcessWithoutNullStreams;
  private readonly pending = new Map<number, { resolve: (t: string) => void; reject: (e: Error) => void }>();
  private next = 1;
  private exited: Error | null = null;
  private stderr = '';

  /** `dataDir`: where chdb keeps its data; a temporary directory when absent. */
  constructor(dataDir?: string) {
    this.proc = spawn(CHDB_PYTHON, [SCRIPT, ...(dataDir ? [dataDir] : [])], { stdio: 'pipe' });
    this.proc.stderr.on('data', (d: Buffer) => {
      this.stderr = (this.stderr + d.toString()).slice(-4000);
    });
    createInterface({ input: this.proc.stdout }).on('line', (line) => {
      const msg = JSON.parse(line) as { id: number; text?: string; error?: string };
      const p = this.pending.get(msg.id);
      if (!p) return;
      this.pending.delete(msg.id);
      if (msg.error !== undefined) p.reject(new Error(`ClickHouse (chdb): ${msg.error}`));
      else p.resolve(msg.text ?? '');
    });
    const fail = (e: Error) => {
      this.exited = e;
      for (const p of this.pending.values()) p.reject(e);
      this.pending.clear();
    };
    this.proc.on('error', (e) => fail(new Error(`cannot start ${CHDB_PYTHON} with chdb: ${e.message}`)));
    this.proc.on('exit', (code) =>
      fail(new Error(`the chdb process exited (code ${code}): ${this.stderr.trim() || 'no message'}`)),
    );
  }

  /** The engine's process id. */
  get pid(): number {
    return this.proc.pid ?? -1;
  }

  /** Runs one statement as given and returns the engine's output (JSONEachRow unless the SQL names a FORMAT). */
  run(sql: string, params?: QueryParams): Promise<string> {
    if (this.exited) return Promise.reject(this.exited);
    const id = this.next++;
    const text = params
      ? Object.fromEntries(Object.entries(params).map(([k, v]) => [k, String(v)]))
      : undefined;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.proc.stdin.write(`${JSON.stringify({ id, sql, params: text })}\n`);
    });
  }

  async command(sql: string, params?: QueryParams): Promise<void> {
    await this.run(sql, params);
  }

  async query(sql: string, params?: QueryParams): Promise<Row[]> {
    const text = await this.run(sql, params);
    return text
      .split('\n')
      .filter((l) => l.length > 0)
      .map((l) => JSON.parse(l) as Row);
  }

  async insert(table: string, rows: readonly object[]): Promise<void> {
    if (rows.length === 0) return;
    const body = rows.map((r) => JSON.stringify(r)).join('\n');
    // chdb runs in-process: an insert has returned once its part is written.
    await this.run(
      `INSERT INTO ${table} SETTINGS date_time_input_format = 'best_effort' FORMAT JSONEachRow\n${body}\n`,
    );
  }

  async close(): Promise<void> {
    if (this.exited) return;
    const done = new Promise<void>((r) => this.proc.once('exit', () => r()));
    this.proc.stdin.end();
    await done;
  }
}

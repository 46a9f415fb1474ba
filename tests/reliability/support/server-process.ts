import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { resolve } from 'node:path';

/** The built server entry point (npm run build): the process users run. */
export const SERVER_MAIN = resolve(__dirname, '../../../server/dist/main.js');

/** A free loopback port, kept across restarts so that the client keeps one address. */
export function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const s = createServer();
    s.once('error', fail);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => done(port));
    });
  });
}

export interface ServerProcessOptions {
  port: number;
  dbPath: string;
  adminToken: string;
  /** Further RUM_* environment variables. */
  env?: Record<string, string>;
  /** Shell lines run before the server replaces the shell (ulimit, trap). */
  prelude?: string;
}

/** The real server, `node server/dist/main.js`, in a process of its own. */
export class ServerProcess {
  private child: ChildProcess | null = null;
  /** What the process wrote to stderr and stdout, for failure messages. */
  output = '';
  readonly url: string;

  constructor(private readonly options: ServerProcessOptions) {
    this.url = `http://127.0.0.1:${options.port}`;
  }

  get pid(): number | undefined {
    return this.child?.pid;
  }

  /** Starts the process and waits until /readyz answers (the store is open). */
  async start(timeoutMs = 60_000): Promise<void> {
    const o = this.options;
    const env = {
      ...process.env,
      RUM_HOST: '127.0.0.1',
      RUM_PORT: String(o.port),
      RUM_DB_PATH: o.dbPath,
      RUM_ADMIN_TOKEN: o.adminToken,
      RUM_DEMO: 'false',
      RUM_LOG_LEVEL: 'warn',
      ...o.env,
    };
    const child = o.prelude
      ? spawn('bash', ['-c', `${o.prelude}\nexec "${process.execPath}" "${SERVER_MAIN}"`], { env })
      : spawn(process.execPath, [SERVER_MAIN], { env });
    this.child = child;
    child.stdout!.on('data', (d: Buffer) => (this.output = (this.output + d.toString()).slice(-20_000)));
    child.stderr!.on('data', (d: Buffer) => (this.output = (this.output + d.toString()).slice(-20_000)));
    const until = Date.now() + timeoutMs;
    while (Date.now() < until) {
      if (child.exitCode !== null || child.signalCode !== null)
        throw new Error(`server exited (${child.exitCode ?? child.signalCode}) at start:\n${this.output}`);
      try {
        const res = await fetch(`${this.url}/readyz`);
        if (res.status === 200) return;
      } catch {
        // not listening yet
      }
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error(`server not ready in ${timeoutMs} ms:\n${this.output}`);
  }

  /** kill -9: no shutdown code runs, whatever DuckDB was writing stays half written. */
  async kill9(): Promise<void> {
    await this.stop('SIGKILL');
  }

  /** Stops the process with the signal and waits for it to exit. */
  async stop(signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise<void>((r) => child.once('exit', () => r()));
    child.kill(signal);
    await exited;
    this.child = null;
  }

  /** Whether the process ended on its own (a crash), with how. */
  exitedOnItsOwn(): string | null {
    const c = this.child;
    if (!c || (c.exitCode === null && c.signalCode === null)) return null;
    return String(c.exitCode ?? c.signalCode);
  }
}

/*
 * ClickHouse's HTTP interface, as far as @clickhouse/client uses it, over the real engine in-process
 * (chdb): the statement in the body or in `query` (an INSERT's rows in the body), query parameters as
 * `param_<name>`. Other settings in the URL are not applied (chdb runs with its defaults). It lets
 * the server's ClientExecutor, and server processes, talk to one ClickHouse engine in the tests and
 * the benchmark; it is not a ClickHouse server.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ChdbExecutor } from './chdb-executor';

export interface ChdbHttp {
  url: string;
  /** The engine's process, for its CPU time. */
  pid: number;
  /** Statements answered so far. */
  statements: number;
  close(): Promise<void>;
}

export async function startChdbHttp(dataDir: string): Promise<ChdbHttp> {
  const chdb = new ChdbExecutor(dataDir);
  const state = { statements: 0 };
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://localhost');
      if (url.pathname === '/ping') {
        res.end('Ok.\n');
        return;
      }
      const body = Buffer.concat(chunks).toString('utf8');
      const query = url.searchParams.get('query');
      const sql = query ? `${query}\n${body}` : body;
      const params: Record<string, string> = {};
      for (const [k, v] of url.searchParams) if (k.startsWith('param_')) params[k.slice(6)] = v;
      chdb.run(sql, Object.keys(params).length ? params : undefined).then(
        (text) => {
          state.statements++;
          res.writeHead(200, { 'content-type': 'text/plain; charset=UTF-8' }).end(text);
        },
        (e: Error) => {
          const message = e.message.replace(/^ClickHouse \(chdb\): /, '');
          const code = /^Code: (\d+)\./.exec(message)?.[1] ?? '1';
          res.writeHead(500, { 'x-clickhouse-exception-code': code }).end(message);
        },
      );
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    pid: chdb.pid,
    get statements() {
      return state.statements;
    },
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
      await chdb.close();
    },
  };
}

/*
 * A real Apache ZooKeeper server (standalone, in a temporary directory, on a free loopback port), for
 * the ClickHouse cluster test: the jars scripts/install-test-deps.sh puts under .cache/zookeeper/lib,
 * run by Java.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { createServer, connect } from 'node:net';
import { join } from 'node:path';

export const ZOOKEEPER_LIB = join(__dirname, '..', '..', '.cache', 'zookeeper', 'lib');

export interface ZooKeeper {
  port: number;
  stop(): Promise<void>;
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as { port: number };
  await new Promise<void>((r) => server.close(() => r()));
  return port;
}

/** ZooKeeper's `ruok` four-letter command: `imok` once it serves. */
function ruok(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    let answer = '';
    // A server still starting may accept and say nothing: give up after a second, and ask again.
    socket.setTimeout(1000, () => socket.destroy());
    socket.on('connect', () => socket.write('ruok'));
    socket.on('data', (d) => (answer += d.toString()));
    socket.on('close', () => resolve(answer === 'imok'));
    socket.on('error', () => resolve(false));
  });
}

/** Starts ZooKeeper with its data in `dir`; resolves once it answers. */
export async function startZooKeeper(dir: string): Promise<ZooKeeper> {
  if (!existsSync(ZOOKEEPER_LIB) || !readdirSync(ZOOKEEPER_LIB).some((f) => f.startsWith('zookeeper-')))
    throw new Error(`no ZooKeeper jars in ${ZOOKEEPER_LIB}: run scripts/install-test-deps.sh`);
  const port = await freePort();
  mkdirSync(join(dir, 'data'), { recursive: true });
  const cfg = join(dir, 'zoo.cfg');
  writeFileSync(
    cfg,
    [
      'tickTime=2000',
      `dataDir=${join(dir, 'data')}`,
      `clientPort=${port}`,
      'clientPortAddress=127.0.0.1',
      'admin.enableServer=false',
      '4lw.commands.whitelist=ruok',
    ].join('\n'),
  );
  const child: ChildProcess = spawn(
    'java',
    ['-Xmx128m', '-cp', `${ZOOKEEPER_LIB}/*`, 'org.apache.zookeeper.server.quorum.QuorumPeerMain', cfg],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-4000)));
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  const started = Date.now();
  while (!(await ruok(port))) {
    if (child.exitCode !== null || Date.now() - started > 30_000) {
      child.kill();
      throw new Error(`ZooKeeper did not start: ${stderr.trim() || 'no message'}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    port,
    stop: async () => {
      if (child.exitCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}

/*
 * The cluster DDL (schema.ts with a cluster) on the real engine and a real Keeper: chdb configured
 * with a one-shard cluster in `remote_servers`, macros and Apache ZooKeeper 3.9.5. chdb is
 * clickhouse-local in-process: it has no DDLWorker, so `ON CLUSTER` is refused and each statement runs
 * in its per-node form (the statement without `ON CLUSTER`, as DDLWorker runs it on each host); and it
 * never activates a replica (that needs the interserver address only clickhouse-server sets), so rows
 * cannot be inserted into the Replicated tables (README.md, "What the tests prove, and what not").
 * Needs chdb, Java and the ZooKeeper jars (scripts/install-test-deps.sh).
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startZooKeeper, type ZooKeeper } from '../../../../tests/support/zookeeper';
import { ChdbExecutor } from './chdb-executor';
import { schemaBootstrap, schemaMigrations } from './schema';

jest.setTimeout(120_000);

const CLUSTER = 'main';
const ON_CLUSTER = ` ON CLUSTER \`${CLUSTER}\``;
const statements = [
  ...schemaBootstrap({ database: 'rum', cluster: CLUSTER }),
  ...schemaMigrations({ database: 'rum', cluster: CLUSTER }).flatMap((m) => m.statements),
];
/** What DDLWorker runs on each host of the cluster: the statement without its ON CLUSTER clause. */
const perNode = (s: string) => s.replace(ON_CLUSTER, '');

/**
 * A node's configuration: Keeper, the cluster (one shard whose one replica is this process: its
 * host and tcp_port are the node's own, so the Distributed tables write and read it locally),
 * the macros of the Replicated tables' paths.
 */
function nodeConfig(zkPort: number, replica: string): string {
  return `<clickhouse>
  <tcp_port>9000</tcp_port>
  <interserver_http_port>9009</interserver_http_port>
  <interserver_http_host>127.0.0.1</interserver_http_host>
  <zookeeper><node><host>127.0.0.1</host><port>${zkPort}</port></node></zookeeper>
  <remote_servers>
    <${CLUSTER}>
      <shard>
        <internal_replication>true</internal_replication>
        <replica><host>127.0.0.1</host><port>9000</port></replica>
      </shard>
    </${CLUSTER}>
  </remote_servers>
  <macros><shard>01</shard><replica>${replica}</replica></macros>
  <distributed_ddl><path>/clickhouse/task_queue/ddl</path></distributed_ddl>
</clickhouse>
`;
}

let dir: string;
let zk: ZooKeeper;
const nodes: ChdbExecutor[] = [];

/** A chdb process configured as one node of the cluster, replica `replica` of the one shard. */
function startNode(replica: string): ChdbExecutor {
  const home = join(dir, replica);
  mkdirSync(home, { recursive: true });
  const config = join(home, 'config.xml');
  writeFileSync(config, nodeConfig(zk.port, replica));
  const node = new ChdbExecutor(`${join(home, 'data')}?config-file=${config}`);
  nodes.push(node);
  return node;
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'rum-ch-cluster-'));
  zk = await startZooKeeper(join(dir, 'zookeeper'));
});

afterAll(async () => {
  // Killed, not closed: chdb's shutdown waits for the replicas it never activated (minutes).
  for (const n of nodes) process.kill(n.pid, 'SIGKILL');
  await zk?.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('the cluster DDL on chdb with ZooKeeper', () => {
  let a: ChdbExecutor;

  beforeAll(() => {
    a = startNode('r1');
  });

  it('sees the cluster of one shard as local, and the macros', async () => {
    expect(
      await a.query(
        `SELECT shard_num, replica_num, is_local FROM system.clusters WHERE cluster = '${CLUSTER}'`,
      ),
    ).toEqual([{ shard_num: 1, replica_num: 1, is_local: 1 }]);
    expect(await a.query('SELECT macro, substitution FROM system.macros ORDER BY macro')).toEqual([
      { macro: 'replica', substitution: 'r1' },
      { macro: 'shard', substitution: '01' },
    ]);
  });

  it('refuses ON CLUSTER: clickhouse-local has no DDLWorker', async () => {
    expect(statements[0]).toContain(ON_CLUSTER);
    await expect(a.command(statements[0]!)).rejects.toThrow(/Replicated DDL queries are disabled/);
  });

  it("parses every statement as written, ON CLUSTER included, with the engine's parser", async () => {
    for (const s of statements) {
      // As base64: a parameter's value is text in ClickHouse's escaped form, and the statements span lines.
      const [r] = await a.query('SELECT formatQuery(base64Decode({q:String})) AS f', {
        q: Buffer.from(s).toString('base64'),
      });
      if (!s.startsWith('INSERT')) expect(String(r!.f)).toContain(`ON CLUSTER ${CLUSTER}`);
    }
  });

  it('runs every statement in its per-node form: Replicated tables registered in ZooKeeper, Distributed tables over them', async () => {
    for (const s of statements) {
      // DDL is ON CLUSTER; the one backfill (an INSERT ... SELECT between Distributed tables) is not.
      if (!s.startsWith('INSERT')) expect(s).toContain(ON_CLUSTER);
      await a.command(perNode(s));
    }
    const tables = await a.query(
      `SELECT name, engine, engine_full FROM system.tables WHERE database = 'rum' ORDER BY name`,
    );
    const local = tables.filter((t) => String(t.name).endsWith('_local'));
    const distributed = tables.filter((t) => t.engine === 'Distributed');
    // Every local table or view has a Distributed table over it, except the materialized views.
    const views = local.filter((t) => t.engine === 'MaterializedView').map((t) => String(t.name));
    expect(views.sort()).toEqual([
      'sessions_mv_local',
      'usage_daily_mv_local',
      'view_starts_mv_local',
      'views_mv_local',
    ]);
    const stored = local.filter((t) => t.engine !== 'MaterializedView');
    expect(distributed.map((t) => `${String(t.name)}_local`)).toEqual(stored.map((t) => t.name));
    for (const d of distributed)
      expect(String(d.engine_full)).toMatch(
        new RegExp(`^Distributed\\('${CLUSTER}', 'rum', '${String(d.name)}_local'`),
      );
    const replicated = stored.filter((t) => String(t.engine).startsWith('Replicated'));
    expect(stored.filter((t) => !replicated.includes(t)).map((t) => [t.name, t.engine])).toEqual([
      ['session_deltas_local', 'Null'],
      ['view_deltas_local', 'Null'],
    ]);
    // Each replica's path in ZooKeeper, from the macros; total_replicas is read from ZooKeeper.
    const replicas = await a.query(
      `SELECT table, zookeeper_path, replica_name, total_replicas FROM system.replicas
       WHERE database = 'rum' ORDER BY table`,
    );
    expect(replicas).toEqual(
      replicated.map((t) => ({
        table: t.name,
        zookeeper_path: `/clickhouse/tables/01/rum/${String(t.name).replace(/_local$/, '')}`,
        replica_name: 'r1',
        total_replicas: 1,
      })),
    );
    // Running it all again is a no-op (replicas starting together repeat statements).
    for (const s of statements) await a.command(perNode(s));
  });

  it('a second node of the same shard registers its replicas beside the first ones in ZooKeeper', async () => {
    const b = startNode('r2');
    for (const s of statements) await b.command(perNode(s));
    const counts = await b.query(
      `SELECT replica_name, min(total_replicas) AS least, max(total_replicas) AS most, count() AS tables
       FROM system.replicas WHERE database = 'rum' GROUP BY replica_name`,
    );
    expect(counts).toEqual([{ replica_name: 'r2', least: 2, most: 2, tables: expect.any(Number) }]);
    expect(Number(counts[0]!.tables)).toBeGreaterThanOrEqual(10);
  });

  it('writes through a Distributed table to the local replica, which chdb cannot activate: the insert is refused', async () => {
    // The replica stays read-only: activating it needs the interserver address, which only
    // clickhouse-server sets (interserver_http_port in the configuration does not help).
    const [state] = await a.query(
      `SELECT is_readonly, active_replicas FROM system.replicas WHERE database = 'rum' AND table = 'metric_points_local'`,
    );
    expect(state).toEqual({ is_readonly: 1, active_replicas: 0 });
    await expect(
      a.command(
        `INSERT INTO rum.metric_points (time, name, value) SETTINGS insert_keeper_max_retries = 0
         VALUES ('2026-12-01 00:00:00', 'm', 1)`,
      ),
    ).rejects.toThrow(
      /Table is in readonly mode: replica_path=\/clickhouse\/tables\/01\/rum\/metric_points\/replicas\/r1/,
    );
    // Reads through the Distributed tables reach the local shard.
    expect(await a.query('SELECT count() AS n FROM rum.events')).toEqual([{ n: 0 }]);
  });
});

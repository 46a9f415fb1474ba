/*
 * The text of the DDL. The single-node DDL runs on the real engine in contract.test.ts, the
 * cluster DDL (per node, with a real ZooKeeper) in cluster.test.ts.
 */
import { schemaBootstrap, schemaMigrations } from './schema';

const all = (o: Parameters<typeof schemaMigrations>[0]) => [
  ...schemaBootstrap(o),
  ...schemaMigrations(o).flatMap((m) => m.statements),
];

describe('ClickHouse schema', () => {
  it('has unique ascending versions and only idempotent statements', () => {
    const versions = schemaMigrations({ database: 'rum' }).map((m) => m.version);
    expect(versions).toEqual([...versions].sort((a, b) => a - b));
    expect(new Set(versions).size).toBe(versions.length);
    for (const s of all({ database: 'rum', cluster: 'main' })) {
      // A backfill adds its rows only while its table is empty.
      if (s.startsWith('INSERT'))
        expect(s).toMatch(/^INSERT INTO (`\w+`\.`\w+`) [^]* WHERE \(SELECT count\(\) FROM \1\) = 0 /);
      else expect(s).toMatch(/^CREATE \w+( \w+)? IF NOT EXISTS /);
    }
  });

  it('on a single node: plain MergeTree tables, no ON CLUSTER, no Distributed tables', () => {
    const ddl = all({ database: 'rum' }).join('\n');
    expect(ddl).not.toMatch(/ON CLUSTER|Replicated|Distributed|_local/);
    expect(ddl).toMatch(/CREATE TABLE IF NOT EXISTS `rum`.`events` \(/);
    expect(ddl).toMatch(/ENGINE = AggregatingMergeTree\(\) ORDER BY \(app_id, session_id\)/);
  });

  it('on a cluster: every statement ON CLUSTER, Replicated local tables under Distributed ones, views between local tables', () => {
    const statements = all({ database: 'rum', cluster: 'main' });
    // DDL runs on every node; a backfill runs once, from Distributed table to Distributed table.
    for (const s of statements.filter((x) => !x.startsWith('INSERT')))
      expect(s).toContain(' ON CLUSTER `main`');
    const backfills = statements.filter((x) => x.startsWith('INSERT'));
    expect(backfills).toHaveLength(1);
    expect(backfills[0]).toMatch(/^INSERT INTO `rum`.`usage_daily` SELECT [^]* FROM `rum`.`events`\s/);
    const ddl = statements.join('\n');
    expect(ddl).toContain('CREATE TABLE IF NOT EXISTS `rum`.`issue_status_local` ON CLUSTER `main` (');
    expect(ddl).toContain(
      "ENGINE = ReplicatedReplacingMergeTree('/clickhouse/tables/{shard}/rum/issue_status', '{replica}', updated_at)",
    );
    expect(ddl).toContain(
      "CREATE TABLE IF NOT EXISTS `rum`.`events` ON CLUSTER `main` AS `rum`.`events_local`\n  ENGINE = Distributed('main', 'rum', 'events_local', cityHash64(app_id, session_id))",
    );
    expect(ddl).toContain(
      'CREATE MATERIALIZED VIEW IF NOT EXISTS `rum`.`sessions_mv_local` ON CLUSTER `main` TO `rum`.`sessions_local` AS SELECT',
    );
    expect(ddl).toContain('FROM `rum`.`session_deltas_local` AS d');
    // Every local table has its Distributed table.
    const locals = [...ddl.matchAll(/CREATE TABLE IF NOT EXISTS `rum`.`(\w+)_local`/g)].map((m) => m[1]);
    for (const t of locals)
      expect(ddl).toContain(`\`rum\`.\`${t}\` ON CLUSTER \`main\` AS \`rum\`.\`${t}_local\``);
    expect(locals).toEqual(
      expect.arrayContaining(['events', 'sessions', 'views', 'otel_traces', 'applications']),
    );
  });

  it('refuses names that are not plain identifiers', () => {
    expect(() => schemaBootstrap({ database: 'rum; DROP' })).toThrow(
      '"rum; DROP" is not a valid ClickHouse identifier',
    );
    expect(() => schemaBootstrap({ database: 'rum', cluster: 'a`b' })).toThrow(
      /not a valid ClickHouse identifier/,
    );
  });
});

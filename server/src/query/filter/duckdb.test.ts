/*
 * Runs compiled filters against a real in-memory DuckDB: the SQL is valid, the placeholders line up
 * with the parameters, and strings that look like SQL are matched as the text they are.
 */
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { compileFilter } from './compile';
import type { FieldMap } from './fields';
import { parseFilter } from './parser';

const INJECTION_BROWSER = `x' OR '1'='1`;
const INJECTION_URL = `https://x.test/'); DROP TABLE events; --`;

const ROWS: unknown[][] = [
  // id, app, browser, url, status, duration, has_replay, ts, label, attributes (JSON)
  [
    1,
    'shop',
    'Chrome',
    'https://x.test/checkout/pay',
    500,
    1200,
    true,
    '2024-05-01 10:00:00',
    'Payment failed',
    '{"http.route":"/checkout/:id","retries":3}',
  ],
  [
    2,
    'shop',
    'Firefox',
    'https://x.test/checkout',
    200,
    300,
    false,
    '2024-05-01 11:00:00',
    'Checkout view',
    '{"http.route":"/checkout","retries":"many"}',
  ],
  [3, 'shop', 'Chrome', 'https://x.test/home', 404, 50, false, '2024-05-02 09:00:00', 'Home', '{}'],
  [4, 'blog', null, 'https://x.test/100%_off', null, null, null, '2024-05-03 00:00:00', null, null],
  [
    5,
    'blog',
    INJECTION_BROWSER,
    INJECTION_URL,
    502,
    10,
    true,
    '2024-05-03 12:00:00',
    'Robert"); DROP TABLE events;--',
    '{"a/b~c":"weird"}',
  ],
  [
    6,
    'blog',
    'Safari',
    'https://x.test/100X_off',
    503,
    2500,
    false,
    '2024-05-04 08:30:00',
    'Timeout 日本語',
    '{"http.route":"/"}',
  ],
];

const JSON_FIELDS: FieldMap = {
  fields: {
    app: { column: 'app_id', type: 'string' },
    browser: { column: 'browser', type: 'string' },
    url: { column: 'url', type: 'string' },
    status: { column: 'status', type: 'number' },
    duration: { column: 'duration_ms', type: 'number' },
    has_replay: { column: 'has_replay', type: 'boolean' },
    time: { column: 'ts', type: 'time' },
    time_us: { column: 'time_us', type: 'time', storage: 'epoch_us' },
    label: { column: 'label', type: 'string' },
  },
  attributes: { column: 'attributes', storage: 'json' },
  text: ['label', 'url'],
};
const MAP_FIELDS: FieldMap = { ...JSON_FIELDS, attributes: { column: 'attrs_map', storage: 'map' } };

let instance: DuckDBInstance;
let connection: DuckDBConnection;

beforeAll(async () => {
  instance = await DuckDBInstance.create(':memory:');
  connection = await instance.connect();
  await connection.run(`CREATE TABLE events (
    id INTEGER, app_id VARCHAR, browser VARCHAR, url VARCHAR, status INTEGER, duration_ms DOUBLE,
    has_replay BOOLEAN, ts TIMESTAMP, label VARCHAR, attributes JSON,
    time_us BIGINT, attrs_map MAP(VARCHAR, VARCHAR))`);
  for (const row of ROWS) {
    // The test data goes in through parameters too.
    await connection.run(
      'INSERT INTO events VALUES (?, ?, ?, ?, ?, ?, ?, CAST(? AS TIMESTAMP), ?, ?, NULL, NULL)',
      row as never,
    );
  }
  await connection.run('UPDATE events SET time_us = epoch_us(ts)');
  await connection.run(
    `UPDATE events SET attrs_map = CAST(json_transform(attributes, '"MAP(VARCHAR, VARCHAR)"') AS MAP(VARCHAR, VARCHAR))`,
  );
});

afterAll(() => {
  connection.closeSync();
  instance.closeSync();
});

async function ids(filter: string, fields: FieldMap = JSON_FIELDS): Promise<number[]> {
  const { sql, params } = compileFilter(parseFilter(filter), fields, 'duckdb');
  const reader = await connection.runAndReadAll(`SELECT id FROM events WHERE ${sql} ORDER BY id`, params);
  return reader.getRows().map((r) => Number(r[0]));
}

describe('compiled filters on DuckDB', () => {
  const cases: [string, number[]][] = [
    ['', [1, 2, 3, 4, 5, 6]],
    ['browser = "Chrome" and (status >= 500 or url ~ "*/home") and not has_replay', [3]],
    ['browser = "Chrome"', [1, 3]],
    ['browser != "Chrome"', [2, 4, 5, 6]],
    ['browser in ("Firefox", "Safari")', [2, 6]],
    ['browser not in ("Firefox", "Safari")', [1, 3, 4, 5]],
    ['browser exists', [1, 2, 3, 5, 6]],
    ['not browser exists', [4]],
    ['status in (500, 502)', [1, 5]],
    ['status not in (500, 502)', [2, 3, 4, 6]],
    ['status >= 500 and status < 503', [1, 5]],
    ['duration > 1000', [1, 6]],
    ['not duration > 1000', [2, 3, 4, 5]],
    ['has_replay', [1, 5]],
    ['not has_replay', [2, 3, 4, 6]],
    ['has_replay = false', [2, 3, 6]],
    ['app = "blog" or status = 200', [2, 4, 5, 6]],
    ['not (app = "blog" or status = 200)', [1, 3]],
    ['url ~ "*/checkout*"', [1, 2]],
    ['url !~ "*/checkout*"', [3, 4, 5, 6]],
    ['url ~ "*/100%_off"', [4]],
    ['url ~ "*/100?_off"', [4, 6]],
    ['url contains "CHECKOUT"', [1, 2]],
    ['"payment"', [1]],
    ['checkout', [1, 2]],
    ['not checkout', [3, 4, 5, 6]],
    ['Timeout 日本語', [6]],
    ['text:"drop table"', [5]],
    ['time >= "2024-05-02" and time < "2024-05-03T12:00:00Z"', [3, 4]],
    ['time_us >= "2024-05-02" and time_us < "2024-05-03T12:00:00Z"', [3, 4]],
    [`time > ${Date.UTC(2024, 4, 3, 12)}`, [6]],
    ['attr."http.route" = "/checkout"', [2]],
    ['attr."http.route" ~ "/checkout*"', [1, 2]],
    ['attr."http.route" != "/checkout"', [1, 3, 4, 5, 6]],
    ['attr.retries >= 3', [1]],
    ['attr.retries = "many"', [2]],
    ['attr.retries in (3, 4)', [1]],
    ['attr.retries exists', [1, 2]],
    ['not attr.retries exists', [3, 4, 5, 6]],
    ['attr."a/b~c" = "weird"', [5]],
  ];

  it.each(cases)('%s', async (filter, expected) => {
    expect(await ids(filter)).toEqual(expected);
  });

  it.each(cases.filter(([f]) => f.includes('attr')))('%s (attributes in a MAP)', async (filter, expected) => {
    expect(await ids(filter, MAP_FIELDS)).toEqual(expected);
  });

  it('matches SQL-looking strings literally and leaves the table alone', async () => {
    expect(await ids(`browser = ${JSON.stringify(INJECTION_BROWSER)}`)).toEqual([5]);
    expect(await ids(`url = ${JSON.stringify(INJECTION_URL)}`)).toEqual([5]);
    expect(await ids(`url contains "'); DROP"`)).toEqual([5]);
    expect(await ids(`browser = "x' OR '1'='2"`)).toEqual([]);
    expect(await ids(`label = 'Robert"); DROP TABLE events;--'`)).toEqual([5]);
    expect(await ids(`attr."x') IS NULL OR ('1" exists`)).toEqual([]);
    const count = await connection.runAndReadAll('SELECT count(*) FROM events');
    expect(Number(count.getRows()[0]?.[0])).toBe(ROWS.length);
  });
});

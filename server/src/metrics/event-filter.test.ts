import { compileFilter, parseFilter, FilterError } from '../query/filter';
import { DuckDbStore, EVENT_FIELDS } from '../store/duckdb/duckdb-store';
import type { EventRow } from '../store/rows';
import { eventPredicate, globToRegExp } from './event-filter';
import { EVENT_VALUES, SESSION_LEVEL_FIELDS, TEXT_VALUES } from './event-values';

const T0 = 1_767_225_600_000_000n; // 2026-01-01T00:00:00Z in microseconds

function row(n: number, over: Partial<EventRow>): EventRow {
  return {
    kind: 'resource',
    timeUs: T0 + BigInt(n) * 1_000_000n,
    appId: 'shop',
    sessionId: `s${n % 3}`,
    viewId: `v${n}`,
    traceId: null,
    spanId: null,
    name: `row${n}`,
    url: null,
    path: null,
    durationMs: null,
    value: null,
    status: null,
    label: null,
    serviceName: null,
    serviceVersion: null,
    environment: null,
    userId: null,
    userAgent: null,
    source: 'sdk-otel',
    attributes: {},
    ...over,
  };
}

const ROWS: EventRow[] = [
  row(0, {
    kind: 'view',
    url: 'https://shop.test/checkout/pay',
    path: '/checkout/pay',
    label: 'Checkout',
    environment: 'prod',
    durationMs: 1200,
    browser: 'Chrome',
    country: 'FR',
    attributes: { 'http.route': '/checkout/:step', retries: 3, flag: true, tags: ['a', 'b'], empty: null },
  }),
  row(1, {
    url: 'https://api.test/items?q=100%_off',
    path: '/items',
    label: 'https://api.test/items?q=100%_off',
    status: 200,
    durationMs: 85.5,
    environment: '',
    attributes: { retries: '12', note: ' 7 ', big: '1_000', ratio: 0.25 },
  }),
  row(2, {
    url: 'https://api.test/checkout/pay',
    path: '/checkout/pay',
    status: 502,
    durationMs: 3000,
    serviceVersion: '2',
    userId: '1042',
    browser: 'Firefox',
    attributes: { retries: 'many', 'a/b': 'slash', 'x~y': 'tilde' },
  }),
  row(3, {
    kind: 'error',
    label: 'TypeError: Cannot read properties of undefined',
    url: 'https://shop.test/FAQ?x',
    path: '/faq?',
    environment: 'staging',
    attributes: { 'exception.type': 'TypeError', retries: 0 },
  }),
  row(4, {
    kind: 'web_vital',
    label: 'lcp',
    value: 2400,
    path: 'C:\\path\\file',
    url: 'https://shop.test/Straße',
    attributes: { 'browser.web_vital.name': 'lcp', rating: 'needs-improvement' },
  }),
  row(5, { kind: 'action', label: 'Add to cart', path: '/products/42', durationMs: 0, status: 0 }),
];

const FILTERS = [
  '',
  'kind = "resource"',
  'status >= 500',
  'status < 500',
  'not status >= 500',
  'status != 200',
  'status in (200, 502)',
  'status not in (200, 502)',
  'duration > 100 and kind = "resource"',
  'duration <= 85.5 or duration exists',
  'not duration exists',
  'path ~ "/checkout*"',
  'path !~ "/checkout*"',
  'path ~ "/products/?2"',
  'path ~ "/faq\\?"',
  'path ~ "C:\\\\*"',
  'url ~ "*100%_off"',
  'url ~ "*100_%off"',
  'url contains "CHECKOUT"',
  'url not contains "checkout"',
  'url contains "straße"',
  'env exists',
  'env not exists',
  'env = "prod"',
  'env != "prod"',
  'version = 2',
  'user = 1042',
  'user in (1042, "x")',
  'browser = "Chrome" or country = "FR"',
  'browser != "Chrome"',
  'attr."http.route" = "/checkout/:step"',
  'attr.retries >= 3',
  'attr.retries < 3',
  'not attr.retries >= 3',
  'attr.retries = "12"',
  'attr.retries in (3, 12)',
  'attr.retries not in (3, 12)',
  'attr.note = 7',
  'attr.big = 1000',
  'attr.ratio < 0.5',
  'attr.flag = true',
  'attr.flag = "true"',
  'attr.tags = "[\\"a\\",\\"b\\"]"',
  'attr.empty exists',
  'attr.empty not exists',
  'attr.empty = "null"',
  'attr."a/b" = "slash"',
  'attr."x~y" exists',
  'attr.rating ~ "needs-*"',
  'attr.rating contains "IMPROVE"',
  'attr.retries !~ "m*"',
  'checkout',
  '"add to"',
  'not checkout',
  'checkout not "api"',
  'text:"typeerror"',
  '42',
  'time >= "2026-01-01T00:00:02Z"',
  'time < 1767225603000',
  'time = "2026-01-01T00:00:01Z"',
  '(kind = "view" or kind = "error") and not (env = "prod")',
  'not (status >= 500 or duration > 1000)',
  'not not (path ~ "/checkout*")',
  'value > 1000',
  'label ~ "*cart"',
  'name in ("row1", "row4")',
  'fingerprint exists',
];

let store: DuckDbStore;
beforeAll(async () => {
  store = await DuckDbStore.open(':memory:');
  await store.write({ events: ROWS, spans: [], metricPoints: [] });
});
afterAll(() => store.close());

describe('eventPredicate', () => {
  it.each(FILTERS)('agrees with the SQL compiler on real DuckDB: %s', async (filter) => {
    const compiled = compileFilter(parseFilter(filter), EVENT_FIELDS, 'duckdb');
    const conn = await store.connect();
    try {
      const sqlRows = (
        await conn.runAndReadAll(
          `SELECT name FROM events WHERE ${compiled.sql} ORDER BY name`,
          compiled.params,
        )
      ).getRowObjectsJS();
      const fromSql = sqlRows.map((r) => String(r.name));
      const predicate = eventPredicate(filter, EVENT_FIELDS);
      const fromJs = ROWS.filter(predicate)
        .map((r) => r.name)
        .sort();
      expect(fromJs).toEqual(fromSql);
    } finally {
      conn.closeSync();
    }
  });

  it('selects different rows for different filters (the cases are not all trivial)', () => {
    const sizes = new Set(FILTERS.map((f) => ROWS.filter(eventPredicate(f, EVENT_FIELDS)).length));
    expect(sizes.size).toBeGreaterThan(4);
  });

  it('refuses bad filters with the query API errors, and session-level fields with a reason', () => {
    expect(() => eventPredicate('status >= ', EVENT_FIELDS)).toThrow(FilterError);
    expect(() => eventPredicate('colour = "red"', EVENT_FIELDS)).toThrow(/unknown field 'colour'/);
    expect(() => eventPredicate('status = "500"', EVENT_FIELDS)).toThrow(/number field/);
    expect(() => eventPredicate('has_replay', EVENT_FIELDS)).toThrow(/has_replay.*whole session/);
  });

  it('reads every field of the events table, or says why it cannot', () => {
    for (const name of Object.keys(EVENT_FIELDS.fields))
      expect([name, name in EVENT_VALUES || name in SESSION_LEVEL_FIELDS]).toEqual([name, true]);
    for (const column of EVENT_FIELDS.text ?? [])
      expect([column, column in TEXT_VALUES]).toEqual([column, true]);
  });

  it('reads globs like LIKE: star, one character, escapes', () => {
    expect(globToRegExp('/a/*/b').test('/a/x/y/b')).toBe(true);
    expect(globToRegExp('/a/?').test('/a/xy')).toBe(false);
    expect(globToRegExp('a\\*').test('a*')).toBe(true);
    expect(globToRegExp('a\\*').test('ab')).toBe(false);
    expect(globToRegExp('(x)+[y]').test('(x)+[y]')).toBe(true);
  });
});

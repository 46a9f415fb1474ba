import { compileFilter, clickhouseQueryParams } from './compile';
import { FilterCompileError } from './errors';
import type { FieldMap } from './fields';
import { parseFilter } from './parser';

const FIELDS: FieldMap = {
  fields: {
    app: { column: 'e.app_id', type: 'string' },
    browser: { column: 'e.browser_name', type: 'string' },
    url: { column: 'e.url', type: 'string' },
    status: { column: 'e.status', type: 'number' },
    duration: { column: 'e.duration_ms', type: 'number' },
    has_replay: { column: 's.has_replay', type: 'boolean' },
    time: { column: 'e.ts', type: 'time' },
  },
  attributes: { column: 'e.attributes', storage: 'json' },
  text: ['e.label'],
};
const CH_FIELDS: FieldMap = { ...FIELDS, attributes: { column: 'e.attributes', storage: 'map' } };

const duck = (filter: string, fields: FieldMap = FIELDS) =>
  compileFilter(parseFilter(filter), fields, 'duckdb');
const ch = (filter: string, fields: FieldMap = CH_FIELDS) =>
  compileFilter(parseFilter(filter), fields, 'clickhouse');

function compileError(filter: string, fields: FieldMap = FIELDS): FilterCompileError {
  try {
    duck(filter, fields);
  } catch (e) {
    expect(e).toBeInstanceOf(FilterCompileError);
    return e as FilterCompileError;
  }
  throw new Error(`expected ${JSON.stringify(filter)} to be refused`);
}

const EXAMPLE = 'browser = "Chrome" and (status >= 500 or url ~ "/checkout*") and not has_replay';

describe('compileFilter for DuckDB', () => {
  it('compiles the README example with positional ? parameters', () => {
    expect(duck(EXAMPLE)).toEqual({
      sql: "(e.browser_name = ? AND (e.status >= ? OR e.url LIKE ? ESCAPE '\\') AND (s.has_replay IS NULL OR s.has_replay <> ?))",
      params: ['Chrome', 500, '/checkout%', true],
    });
  });

  it('makes the negation of a condition true where the value is missing', () => {
    expect(duck('browser != "Chrome"')).toEqual({
      sql: '(e.browser_name IS NULL OR e.browser_name <> ?)',
      params: ['Chrome'],
    });
    expect(duck('not status < 400').sql).toBe('(e.status IS NULL OR e.status >= ?)');
    expect(duck('not (status = 1 or browser = "x")').sql).toBe(
      '((e.status IS NULL OR e.status <> ?) AND (e.browser_name IS NULL OR e.browser_name <> ?))',
    );
    expect(duck('not (status = 1 and not browser = "x")').sql).toBe(
      '((e.status IS NULL OR e.status <> ?) OR e.browser_name = ?)',
    );
    expect(duck('browser not in ("a", "b")').sql).toBe(
      '(e.browser_name IS NULL OR e.browser_name NOT IN (?, ?))',
    );
    expect(duck('url !~ "*.js"')).toEqual({
      sql: "(e.url IS NULL OR e.url NOT LIKE ? ESCAPE '\\')",
      params: ['%.js'],
    });
    expect(duck('url not contains "Pay"').sql).toBe(
      '(e.url IS NULL OR NOT (contains(lower(e.url), lower(?))))',
    );
  });

  it('compiles exists per type', () => {
    expect(duck('browser exists').sql).toBe("(e.browser_name IS NOT NULL AND e.browser_name <> '')");
    expect(duck('not browser exists').sql).toBe("(e.browser_name IS NULL OR e.browser_name = '')");
    expect(duck('status exists').sql).toBe('e.status IS NOT NULL');
    expect(duck('status not exists').sql).toBe('e.status IS NULL');
  });

  it('escapes LIKE characters of a glob and keeps \\* as a literal star', () => {
    expect(duck('url ~ "100%_off?*"').params).toEqual(['100\\%\\_off_%']);
    expect(duck('url ~ "a\\*b\\?c\\\\d"').params).toEqual(['a*b?c\\\\d']);
  });

  it('compares numbers as numbers and writes a number against a text field as written', () => {
    expect(duck('duration > 1.5e3').params).toEqual([1500]);
    expect(duck('app = 0042').params).toEqual(['0042']);
    expect(duck('app in ("a", 7)').params).toEqual(['a', '7']);
  });

  it('reads a bare boolean field name as "= true" and other words as free text', () => {
    expect(duck('has_replay')).toEqual({ sql: 's.has_replay = ?', params: [true] });
    expect(duck('has_replay = false').params).toEqual([false]);
    expect(duck('checkout')).toEqual({ sql: 'contains(lower(e.label), lower(?))', params: ['checkout'] });
    expect(duck('"status"').params).toEqual(['status']);
  });

  it('searches free text in every text column', () => {
    const fields = { ...FIELDS, text: ['e.label', 'e.url'] };
    expect(duck('text:"time out"', fields)).toEqual({
      sql: '(contains(lower(e.label), lower(?)) OR contains(lower(e.url), lower(?)))',
      params: ['time out', 'time out'],
    });
    expect(duck('not timeout', fields).sql).toBe(
      '((e.label IS NULL OR NOT (contains(lower(e.label), lower(?)))) AND (e.url IS NULL OR NOT (contains(lower(e.url), lower(?)))))',
    );
  });

  it('looks attributes up by JSON pointer, as text or as a number', () => {
    expect(duck('attr."http.route" = "/a"')).toEqual({
      sql: 'json_extract_string(e.attributes, ?) = ?',
      params: ['/http.route', '/a'],
    });
    expect(duck('attr."a/b~c" >= 5')).toEqual({
      sql: 'TRY_CAST(json_extract_string(e.attributes, ?) AS DOUBLE) >= ?',
      params: ['/a~1b~0c', 5],
    });
    // Placeholders follow the order of the SQL text, the attribute key included.
    expect(duck('attr.n != 5')).toEqual({
      sql: '(TRY_CAST(json_extract_string(e.attributes, ?) AS DOUBLE) IS NULL OR TRY_CAST(json_extract_string(e.attributes, ?) AS DOUBLE) <> ?)',
      params: ['/n', '/n', 5],
    });
    expect(duck('attr.k in (1, 2)').params).toEqual(['/k', 1, 2]);
    expect(duck('attr.k in (1, "x")').params).toEqual(['/k', '1', 'x']);
    expect(duck('attr.k exists').sql).toBe('COALESCE(json_exists(e.attributes, ?), FALSE)');
    const map = { ...FIELDS, attributes: { column: 'm', storage: 'map' as const } };
    expect(duck('attr.k = "v" and not attr.k exists', map)).toEqual({
      sql: '(m[?] = ? AND NOT COALESCE(map_contains(m, ?), FALSE))',
      params: ['k', 'v', 'k'],
    });
  });

  it('converts time values to the storage of the column', () => {
    const at = Date.UTC(2024, 4, 1, 12, 0, 0);
    expect(duck('time >= "2024-05-01T12:00:00Z"')).toEqual({
      sql: 'e.ts >= epoch_ms(CAST(? AS BIGINT))',
      params: [at],
    });
    expect(duck('time >= "2024-05-01T14:00:00+02:00"').params).toEqual([at]);
    expect(duck('time >= "2024-05-01 12:00"').params).toEqual([at]);
    expect(duck(`time < ${at}`).params).toEqual([at]);
    const us = {
      fields: { time: { column: 'time_us', type: 'time' as const, storage: 'epoch_us' as const } },
    };
    expect(duck('time < "2024-05-01T12:00:00.250Z"', us)).toEqual({
      sql: 'time_us < CAST(? AS BIGINT)',
      params: [(at + 250) * 1000],
    });
  });

  it('compiles the empty filter to TRUE', () => {
    expect(duck('')).toEqual({ sql: 'TRUE', params: [] });
  });

  it('writes exactly one placeholder per parameter', () => {
    for (const f of [
      EXAMPLE,
      'not (attr.a != 1 or attr.b ~ "x*") and browser not in ("a","b","c") and text:"q" and has_replay',
      'time > 0 and not (status in (1,2) and url not contains "z")',
    ]) {
      const { sql, params } = duck(f);
      expect(sql.split('?').length - 1).toBe(params.length);
    }
  });
});

describe('compileFilter for ClickHouse', () => {
  it('compiles the README example with typed named placeholders', () => {
    expect(ch(EXAMPLE)).toEqual({
      sql: '(e.browser_name = {p0:String} AND (e.status >= {p1:Int64} OR e.url LIKE {p2:String}) AND (s.has_replay IS NULL OR s.has_replay <> {p3:Bool}))',
      params: ['Chrome', 500, '/checkout%', true],
    });
  });

  it('numbers placeholders from an offset and names them for query_params', () => {
    const compiled = compileFilter(parseFilter('duration > 1.5 and app = "x"'), CH_FIELDS, 'clickhouse', {
      paramOffset: 3,
    });
    expect(compiled.sql).toBe('(e.duration_ms > {p3:Float64} AND e.app_id = {p4:String})');
    expect(clickhouseQueryParams(compiled, 3)).toEqual({ p3: 1.5, p4: 'x' });
  });

  it('uses ClickHouse functions for contains, attributes and time', () => {
    expect(ch('url contains "pay"').sql).toBe('positionCaseInsensitiveUTF8(e.url, {p0:String}) > 0');
    expect(ch('attr.n > 2').sql).toBe('toFloat64OrNull(e.attributes[{p0:String}]) > {p1:Int64}');
    expect(ch('attr.n exists').sql).toBe('COALESCE(mapContains(e.attributes, {p0:String}), FALSE)');
    expect(ch('time >= 0').sql).toBe('e.ts >= fromUnixTimestamp64Milli({p0:Int64})');
  });

  it('refuses JSON attributes, which it has no lookup for', () => {
    expect(() => ch('attr.a = "b"', FIELDS)).toThrow(/Map\(String, String\)/);
  });
});

describe('compileFilter refusals', () => {
  it('names an unknown field and lists the known ones', () => {
    const e = compileError('app = 1 and brwoser = "Chrome"');
    expect(e.position).toBe(12);
    expect(e.message).toBe(
      "unknown field 'brwoser'; known fields: app, browser, duration, has_replay, status, time, url, " +
        'attr."<attribute name>" (at position 12)',
    );
  });

  it('does not reach into Object.prototype for field names', () => {
    for (const name of ['constructor', '__proto__', 'toString', 'hasOwnProperty']) {
      expect(compileError(`${name} = "x"`).message).toMatch(new RegExp(`unknown field '${name}'`));
    }
  });

  it('checks value types against field types', () => {
    expect(compileError('status = "500"').message).toMatch(
      /'status' is a number field and cannot be compared with "500"/,
    );
    expect(compileError('status in (1, "2")').position).toBe(14);
    expect(compileError('status ~ "5*"').message).toMatch(
      /'~' needs a text field, and 'status' is a number field/,
    );
    expect(compileError('duration contains "1"').message).toMatch(/'contains' needs a text field/);
    expect(compileError('browser > "a"').message).toMatch(/'>' is not defined on the text field 'browser'/);
    expect(compileError('browser = true').message).toMatch(/text field/);
    expect(compileError('has_replay = 1').message).toMatch(/use true or false/);
    expect(compileError('has_replay > true').message).toMatch(/boolean field/);
    expect(compileError('has_replay in (true)').message).toMatch(/= true or = false/);
    expect(compileError('time > "yesterday"').message).toMatch(/ISO 8601/);
    expect(compileError('time > "2024-02-30"').message).toMatch(/ISO 8601/);
    expect(compileError('time > "2024-01-01T25:00:00Z"').message).toMatch(/ISO 8601/);
    expect(compileError('time in (1)').message).toMatch(/'in' is not defined on the time field/);
    expect(compileError('attr.x > "a"').message).toMatch(/needs a number/);
  });

  it('tells a field used as a word how to compare or search it', () => {
    expect(compileError('status').message).toMatch(
      /'status' is a number field: compare it \(e.g. status >= 500\)/,
    );
    expect(compileError('browser').message).toMatch(/or quote it to search for the word/);
  });

  it('refuses free text and attributes where the table has none', () => {
    const bare: FieldMap = { fields: FIELDS.fields };
    expect(compileError('checkout', bare).message).toMatch(/free text search is not available here/);
    expect(compileError('attr.x = "1"', bare).message).toMatch(/attribute lookups .* are not available/);
    expect(compileError('text:"  "').message).toMatch(/empty/);
  });

  it('refuses an unknown dialect', () => {
    expect(() => compileFilter(parseFilter('a'), FIELDS, 'mysql' as 'duckdb')).toThrow(
      /unknown SQL dialect 'mysql'/,
    );
  });
});

describe('compileFilter keeps user text out of the SQL', () => {
  const hostile = [
    `x' OR '1'='1`,
    `'); DROP TABLE events; --`,
    `\\'; DELETE FROM events WHERE '' = '`,
    `? ?`,
    `{p0:String}`,
    `$1`,
    `%_*?`,
    `日本語 🎉 \u202e`,
  ];
  it.each(hostile)(
    'binds %j as a parameter in both dialects: the SQL text does not depend on it',
    (value) => {
      const quoted = JSON.stringify(value);
      for (const compile of [duck, ch]) {
        for (const template of ['browser = V', 'url contains V', 'text:V', 'attr.V exists', 'url ~ V']) {
          const hostileSql = compile(template.replace('V', quoted));
          const plainSql = compile(template.replace('V', '"plain"'));
          expect(hostileSql.sql).toBe(plainSql.sql);
          expect(hostileSql.params).toHaveLength(plainSql.params.length);
        }
        expect(compile(`browser = ${quoted}`).params).toEqual([value]);
      }
    },
  );

  it('only ever writes column expressions from the FieldMap', () => {
    const { sql } = duck('browser = "a" and status > 1 and has_replay and text:"x"');
    const identifiers = sql.match(/[a-z_][a-z_.]*/gi) ?? [];
    const allowed = new Set([
      'e.browser_name',
      'e.status',
      's.has_replay',
      'e.label',
      'AND',
      'contains',
      'lower',
    ]);
    expect(identifiers.filter((w) => !allowed.has(w))).toEqual([]);
  });
});

import { MAX_FILTER_DEPTH, MAX_FILTER_IN_VALUES, MAX_FILTER_LENGTH, MAX_FILTER_TERMS } from '@otel-rum/model';
import type { FieldRef, FilterAst, Literal } from './ast';
import { FilterSyntaxError } from './errors';
import { parseFilter } from './parser';

/** The AST as a compact S-expression, so that a test reads like the structure it expects. */
function show(ast: FilterAst): string {
  const field = (f: FieldRef) => (f.attribute !== undefined ? `attr:${JSON.stringify(f.attribute)}` : f.name);
  const lit = (l: Literal) => (l.type === 'string' ? JSON.stringify(l.value) : String(l.value));
  switch (ast.kind) {
    case 'all':
      return 'all';
    case 'and':
    case 'or':
      return `(${ast.kind} ${ast.terms.map(show).join(' ')})`;
    case 'not':
      return `(not ${show(ast.term)})`;
    case 'compare':
      return `(${ast.op} ${field(ast.field)} ${lit(ast.value)})`;
    case 'in':
      return `(in ${field(ast.field)} ${ast.values.map(lit).join(' ')})`;
    case 'match':
      return `(~ ${field(ast.field)} ${JSON.stringify(ast.pattern)})`;
    case 'contains':
      return `(contains ${field(ast.field)} ${JSON.stringify(ast.text)})`;
    case 'exists':
      return `(exists ${field(ast.field)})`;
    case 'text':
      return `(text ${JSON.stringify(ast.text)})`;
    case 'word':
      return `(word ${ast.word})`;
  }
}

const parsed = (input: string) => show(parseFilter(input));

function syntaxError(input: string): FilterSyntaxError {
  try {
    parseFilter(input);
  } catch (e) {
    expect(e).toBeInstanceOf(FilterSyntaxError);
    return e as FilterSyntaxError;
  }
  throw new Error(`expected ${JSON.stringify(input)} to be refused`);
}

describe('filter grammar', () => {
  it('parses the example from the README', () => {
    expect(parsed('browser = "Chrome" and (status >= 500 or url ~ "/checkout*") and not has_replay')).toBe(
      '(and (= browser "Chrome") (or (>= status 500) (~ url "/checkout*")) (not (word has_replay)))',
    );
  });

  it('reads every comparison operator, == as =, and desugars != into not', () => {
    expect(parsed('status = 1')).toBe('(= status 1)');
    expect(parsed('status == 1')).toBe('(= status 1)');
    expect(parsed('status != 1')).toBe('(not (= status 1))');
    expect(parsed('status < 1')).toBe('(< status 1)');
    expect(parsed('status <= 1')).toBe('(<= status 1)');
    expect(parsed('status > 1')).toBe('(> status 1)');
    expect(parsed('status >= 1')).toBe('(>= status 1)');
    expect(parsed('status>=500')).toBe('(>= status 500)');
  });

  it('reads in, not in, ~, !~, contains, not contains, exists, not exists', () => {
    expect(parsed('browser in ("Chrome", "Firefox")')).toBe('(in browser "Chrome" "Firefox")');
    expect(parsed('status in (500, 502,503)')).toBe('(in status 500 502 503)');
    expect(parsed('browser not in ("Chrome")')).toBe('(not (in browser "Chrome"))');
    expect(parsed('url ~ "/a/*/b?"')).toBe('(~ url "/a/*/b?")');
    expect(parsed('url !~ "*.js"')).toBe('(not (~ url "*.js"))');
    expect(parsed('url contains "pay"')).toBe('(contains url "pay")');
    expect(parsed('url not contains "pay"')).toBe('(not (contains url "pay"))');
    expect(parsed('user exists')).toBe('(exists user)');
    expect(parsed('user not exists')).toBe('(not (exists user))');
  });

  it('reads string, number and boolean values', () => {
    expect(parsed(`browser = 'Chrome'`)).toBe('(= browser "Chrome")');
    expect(parsed('browser = "say \\"hi\\" \\\\ there"')).toBe('(= browser "say \\"hi\\" \\\\ there")');
    expect(parsed('duration > 1.5e3')).toBe('(> duration 1500)');
    expect(parsed('duration > -2')).toBe('(> duration -2)');
    expect(parsed('has_replay = true')).toBe('(= has_replay true)');
    expect(parsed('has_replay = FALSE')).toBe('(= has_replay false)');
  });

  it('keeps the number as written for use against text fields', () => {
    const ast = parseFilter('version = 2.10');
    expect(ast.kind === 'compare' && ast.value.type === 'number' && ast.value.raw).toBe('2.10');
  });

  it('keeps unknown escapes so that globs can say \\* for a literal star', () => {
    expect(parsed('url ~ "a\\*b"')).toBe('(~ url "a\\\\*b")');
  });

  it('reads attribute lookups quoted and unquoted', () => {
    expect(parsed('attr."http.route" = "/a"')).toBe('(= attr:"http.route" "/a")');
    expect(parsed('attr.http.route exists')).toBe('(exists attr:"http.route")');
    expect(parsed(`attr.'odd "key"' != 1`)).toBe('(not (= attr:"odd \\"key\\"" 1))');
  });

  it('reads free text as bare words, quoted strings, numbers and text:"..."', () => {
    expect(parsed('checkout')).toBe('(word checkout)');
    expect(parsed('"payment failed"')).toBe('(text "payment failed")');
    expect(parsed('text:"payment failed"')).toBe('(text "payment failed")');
    expect(parsed('text:timeout')).toBe('(text "timeout")');
    expect(parsed('404')).toBe('(text "404")');
    expect(parsed('5xx 1.2.3 2024-01-01')).toBe('(and (word 5xx) (word 1.2.3) (word 2024-01-01))');
    expect(parsed('café')).toBe('(word café)');
  });

  it('treats the empty filter as match-all', () => {
    expect(parsed('')).toBe('all');
    expect(parsed('  \n\t ')).toBe('all');
  });

  it('is case-insensitive for keywords only', () => {
    expect(parsed('a AND b Or NOT c')).toBe('(or (and (word a) (word b)) (not (word c)))');
    expect(parsed('Browser IN ("x")')).toBe('(in Browser "x")');
  });
});

describe('filter precedence', () => {
  it('binds and tighter than or', () => {
    expect(parsed('a or b and c')).toBe('(or (word a) (and (word b) (word c)))');
    expect(parsed('a and b or c')).toBe('(or (and (word a) (word b)) (word c))');
  });

  it('binds not tighter than and', () => {
    expect(parsed('not a and b')).toBe('(and (not (word a)) (word b))');
    expect(parsed('not not a')).toBe('(not (not (word a)))');
    expect(parsed('not (a and b)')).toBe('(not (and (word a) (word b)))');
  });

  it('reads adjacent conditions as and', () => {
    expect(parsed('checkout status >= 500')).toBe('(and (word checkout) (>= status 500))');
    expect(parsed('a b or c')).toBe('(or (and (word a) (word b)) (word c))');
    expect(parsed('a not b')).toBe('(and (word a) (not (word b)))');
  });

  it('lets parentheses override', () => {
    expect(parsed('(a or b) and c')).toBe('(and (or (word a) (word b)) (word c))');
    expect(parsed('((a))')).toBe('(word a)');
  });

  it('records where each node starts', () => {
    const ast = parseFilter('a and  status >= 5');
    expect(ast.kind).toBe('and');
    if (ast.kind !== 'and') return;
    const second = ast.terms[1];
    expect(second?.kind === 'compare' && [second.position, second.value.position]).toEqual([7, 17]);
  });
});

describe('filter syntax errors', () => {
  const cases: [string, number, RegExp][] = [
    ['browser =', 9, /expected a value .* after '=', found the end of the filter/],
    ['browser = Chrome', 10, /put text values in quotes: "Chrome"/],
    ['(a or b', 7, /unbalanced '\('/],
    ['a or b)', 6, /unbalanced '\)'/],
    ['()', 1, /expected a condition inside the parentheses/],
    ['a and', 5, /expected a condition/],
    ['or a', 0, /expected a condition.*found the keyword 'or'/],
    ['browser = "Chrome', 10, /string starting here is not closed/],
    ['browser in "a"', 11, /'\(' after 'in'/],
    ['browser in ()', 12, /expected a value/],
    ['browser in ("a" "b")', 16, /',' or '\)'/],
    ['url ~ 5', 6, /quoted pattern after '~'/],
    ['url contains foo', 13, /quoted string after 'contains'/],
    ['attr."x"', 8, /operator after attr."x"/],
    ['attr. = 1', 5, /attribute name after attr\./],
    ['attr."" = 1', 0, /attribute name is empty/],
    ['a && b', 2, /unexpected character '&'.*'and'/],
    ['!a', 0, /'not'/],
    ['true', 0, /has_replay = true/],
    ['status = 1e999', 9, /too large/],
    ['text:', 5, /text to search for/],
    ['a ; drop table x', 2, /unexpected character ';'/],
  ];
  it.each(cases)('refuses %j at position %d', (input, position, message) => {
    const e = syntaxError(input);
    expect(e.position).toBe(position);
    expect(e.message).toMatch(message);
    expect(e.message).toContain(`(at position ${position})`);
  });
});

describe('hostile filter input', () => {
  it('refuses input over MAX_FILTER_LENGTH before reading it', () => {
    const e = syntaxError('a '.repeat(MAX_FILTER_LENGTH));
    expect(e.message).toMatch(/MAX_FILTER_LENGTH/);
    expect(parseFilter(`"${'x'.repeat(MAX_FILTER_LENGTH - 2)}"`).kind).toBe('text');
  });

  it('refuses nesting past MAX_FILTER_DEPTH without exhausting the stack', () => {
    const ok = '('.repeat(MAX_FILTER_DEPTH) + 'a' + ')'.repeat(MAX_FILTER_DEPTH);
    expect(parsed(ok)).toBe('(word a)');
    const deep = '('.repeat(MAX_FILTER_DEPTH + 1) + 'a' + ')'.repeat(MAX_FILTER_DEPTH + 1);
    expect(syntaxError(deep).position).toBe(MAX_FILTER_DEPTH);
    expect(syntaxError('('.repeat(2000)).message).toMatch(/MAX_FILTER_DEPTH/);
    expect(syntaxError('not '.repeat(1000) + 'a').message).toMatch(/MAX_FILTER_DEPTH/);
  });

  it('refuses more than MAX_FILTER_TERMS conditions', () => {
    const many = (n: number) => Array.from({ length: n }, (_, i) => `w${i}`).join(' or ');
    expect(parseFilter(many(MAX_FILTER_TERMS)).kind).toBe('or');
    expect(syntaxError(many(MAX_FILTER_TERMS + 1)).message).toMatch(/MAX_FILTER_TERMS/);
  });

  it('refuses in lists longer than MAX_FILTER_IN_VALUES', () => {
    const list = (n: number) => `status in (${Array.from({ length: n }, (_, i) => i).join(', ')})`;
    expect(parseFilter(list(MAX_FILTER_IN_VALUES)).kind).toBe('in');
    expect(syntaxError(list(MAX_FILTER_IN_VALUES + 1)).message).toMatch(/MAX_FILTER_IN_VALUES/);
  });

  it('refuses control characters, naming the code point and where it is', () => {
    const nul = syntaxError('browser = "a\u0000b"');
    expect([nul.position, nul.message]).toEqual([12, expect.stringContaining('U+0000')]);
    expect(syntaxError('a\u001bb').message).toContain('U+001B');
    expect(syntaxError('a\u0085').message).toContain('U+0085');
    expect(parsed('a\tb\r\nc')).toBe('(and (word a) (word b) (word c))');
  });

  it('refuses broken UTF-16 and keeps real Unicode whole', () => {
    expect(syntaxError('browser = "\ud800"').position).toBe(11);
    expect(syntaxError('"\udc00x"').message).toMatch(/lone surrogate/);
    expect(parsed('browser = "日本語 🎉 ‮evil"')).toBe('(= browser "日本語 🎉 ‮evil")');
  });

  it('reads SQL in a string as a plain value', () => {
    expect(parsed(`browser = "x' OR 1=1 --"`)).toBe(`(= browser "x' OR 1=1 --")`);
    expect(parsed(`browser = 'Robert"); DROP TABLE events;--'`)).toBe(
      `(= browser "Robert\\"); DROP TABLE events;--")`,
    );
  });

  it('does not take SQL for a field name', () => {
    expect(syntaxError('status; DROP TABLE events = 1').message).toMatch(/';'/);
    expect(syntaxError('"status" = 1').position).toBe(9);
    expect(syntaxError('1=1').position).toBe(1);
  });

  it('refuses a non-string input', () => {
    expect(() => parseFilter(42 as unknown as string)).toThrow(FilterSyntaxError);
  });
});

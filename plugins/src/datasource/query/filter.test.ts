import { MAX_FILTER_IN_VALUES } from '@otel-rum/model';
import {
  adHocToFilter,
  codeFormat,
  condition,
  expandValues,
  fieldRef,
  FilterBuildError,
  quote,
  termsToFilter,
  type Interpolate,
} from './filter';

/** templateSrv.replace for $name variables, as Grafana calls the format function. */
function vars(values: Record<string, string | string[]>): Interpolate {
  return (text, format) =>
    text.replace(/\$(\w+)/g, (m, name: string) => (name in values ? format(values[name]) : m));
}

describe('quoting', () => {
  it.each([
    ['plain', '"plain"'],
    ['say "hi"', '"say \\"hi\\""'],
    ['back\\slash', '"back\\\\slash"'],
    ['" or path != "', '"\\" or path != \\""'],
    ['\\"', '"\\\\\\""'],
  ])('quotes %j as %s', (value, expected) => {
    expect(quote(value)).toBe(expected);
  });

  it('quotes attribute keys and refuses unknown fields by name', () => {
    expect(fieldRef('attr.http.route')).toBe('attr."http.route"');
    expect(fieldRef('attr."a\\"b"')).toBe('attr."a\\"b"');
    expect(() => fieldRef('brwoser')).toThrow(/unknown field "brwoser"/);
  });
});

describe('conditions', () => {
  it('writes numbers as numbers and refuses text for number fields', () => {
    expect(condition('status', '>=', ['500'])).toBe('status >= 500');
    expect(() => condition('status', '=', ['5xx'])).toThrow(
      new FilterBuildError('field "status" takes numbers, got "5xx"'),
    );
  });

  it('turns several values into in, not in, or any-of globs', () => {
    expect(condition('browser', '=', ['Chrome', 'Edge'])).toBe('browser in ("Chrome", "Edge")');
    expect(condition('browser', '!=', ['Chrome', 'Edge'])).toBe('browser not in ("Chrome", "Edge")');
    expect(condition('path', '~', ['/a*', '/b*'])).toBe('path ~ "/a*" or path ~ "/b*"');
    expect(condition('path', '!~', ['/a*'])).toBe('not (path ~ "/a*")');
    expect(condition('user', 'exists', null)).toBe('user exists');
    expect(condition('browser', '=', null)).toBeNull();
  });

  it('holds lists to the server limit', () => {
    const many = Array.from({ length: MAX_FILTER_IN_VALUES + 1 }, (_, i) => `v${i}`);
    expect(() => condition('browser', 'in', many)).toThrow(`at most ${MAX_FILTER_IN_VALUES}`);
  });
});

describe('template variables', () => {
  const interpolate = vars({
    browsers: ['Chrome', 'Firefox'],
    evil: '"; drop',
    page: '/faq?x*',
    all: ['$__all'],
  });

  it('expands a multi-value variable into values, and All into no condition', () => {
    expect(expandValues({ field: 'browser', op: '=', value: '$browsers' }, interpolate)).toEqual([
      'Chrome',
      'Firefox',
    ]);
    expect(expandValues({ field: 'browser', op: '=', value: '$all' }, interpolate)).toBeNull();
    // A custom all value of "$__all" comes back unformatted, as Grafana's dashboards pass custom all values.
    expect(expandValues({ field: 'browser', op: '=', value: '$custom' }, () => '$__all')).toBeNull();
    expect(
      termsToFilter(
        [
          { field: 'browser', op: '=', value: '$all' },
          { field: 'status', op: '>=', value: '500' },
        ],
        interpolate,
      ),
    ).toBe('status >= 500');
  });

  it('escapes glob characters of variable values, but not those the user typed', () => {
    expect(termsToFilter([{ field: 'path', op: '~', value: '$page' }], interpolate)).toBe(
      'path ~ "/faq\\\\?x\\\\*"',
    );
    expect(termsToFilter([{ field: 'path', op: '~', value: '/faq*' }], interpolate)).toBe('path ~ "/faq*"');
  });

  it('keeps a hostile value one string', () => {
    expect(termsToFilter([{ field: 'browser', op: '=', value: '$evil' }], interpolate)).toBe(
      'browser = "\\"; drop"',
    );
    expect('browser = $evil'.replace(/\$(\w+)/, () => codeFormat('"; drop'))).toBe('browser = "\\"; drop"');
    expect(codeFormat(['a', 'b"'])).toBe('("a", "b\\"")');
  });

  it('parenthesises each condition when there are several', () => {
    expect(
      termsToFilter(
        [
          { field: 'browser', op: '=', value: '$browsers' },
          { field: 'path', op: '~', values: undefined, value: '/a*' },
        ],
        interpolate,
      ),
    ).toBe('(browser in ("Chrome", "Firefox")) and (path ~ "/a*")');
  });
});

describe('ad hoc filters', () => {
  it('maps Grafana operators, regex operators as globs', () => {
    expect(
      adHocToFilter([
        { key: 'browser', operator: '=', value: 'Chrome' },
        { key: 'path', operator: '=~', value: '/shop/*' },
        { key: 'status', operator: '>', value: '499' },
        { key: 'country', operator: '=|', value: '', values: ['DE', 'FR'] },
        { key: 'os', operator: '!=|', value: '', values: ['iOS'] },
      ]),
    ).toBe(
      '(browser = "Chrome") and (path ~ "/shop/*") and (status > 499) and (country in ("DE", "FR")) and (not (os in ("iOS")))',
    );
  });

  it('names an unknown key or operator', () => {
    expect(() => adHocToFilter([{ key: 'nope', operator: '=', value: 'x' }])).toThrow(/unknown field "nope"/);
    expect(() => adHocToFilter([{ key: 'path', operator: '≈', value: 'x' }])).toThrow(
      'ad hoc filter operator "≈" on "path" is not supported',
    );
  });
});

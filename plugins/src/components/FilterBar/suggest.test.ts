import { contextOf, suggest } from './suggest';

describe('filter autocomplete', () => {
  it('suggests field names while a word is typed', () => {
    expect(suggest('brow').map((s) => s.text)).toEqual(['browser ']);
    expect(suggest('path = "/a" and d').map((s) => s.label)).toEqual(['device', 'duration']);
    expect(suggest('at').map((s) => s.text)).toEqual(['attr."']);
    expect(suggest('browser')).toEqual([]);
    expect(suggest('path = "/a" an')).toEqual([]);
  });

  it('suggests known values once a quoted value is started, quoting what it inserts', () => {
    expect(contextOf('browser = "Chr')).toEqual({
      kind: 'value',
      field: 'browser',
      prefix: 'Chr',
      start: 10,
    });
    expect(
      suggest('browser = "chr', ['Chrome', 'Chrome Headless', 'Firefox', null]).map((s) => s.text),
    ).toEqual(['browser = "Chrome" ', 'browser = "Chrome Headless" ']);
    expect(suggest('attr."tier" != "', ['gold"x']).map((s) => s.text)).toEqual([
      'attr."tier" != "gold\\"x" ',
    ]);
    expect(contextOf('attr."tier" = "g')).toMatchObject({ field: 'attr.tier', prefix: 'g' });
  });
});

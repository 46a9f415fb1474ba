import { stateOf, TABS, withCondition } from './explorerState';

describe('explorer state', () => {
  it('reads the tab, app, filter and columns from the URL, defaulting to sessions', () => {
    expect(stateOf({}).tab.id).toBe('sessions');
    const s = stateOf({ tab: 'errors', app: 'shop', filter: 'browser = "Chrome"', cols: 'type,count' });
    expect(s).toMatchObject({ app: 'shop', filter: 'browser = "Chrome"', columns: ['type', 'count'] });
    expect(s.tab.query).toEqual({ queryType: 'issues' });
    expect(TABS.map((t) => t.label)).toEqual([
      'Sessions',
      'Views',
      'Errors',
      'Resources',
      'Actions',
      'Long tasks',
      'Web vitals',
    ]);
  });

  it('adds a facet value to the filter as a quoted condition, each side in parentheses', () => {
    expect(withCondition('', 'path', '/cart')).toBe('path = "/cart"');
    expect(withCondition('browser = "Chrome"', 'path', 'a"b')).toBe(
      '(browser = "Chrome") and (path = "a\\"b")',
    );
    expect(withCondition('os = "iOS" or os = "Android"', 'country', 'FR', true)).toBe(
      '(os = "iOS" or os = "Android") and (country != "FR")',
    );
    expect(withCondition('', 'status', 404)).toBe('status = 404');
    expect(withCondition('', 'country', null)).toBe('not country exists');
    expect(withCondition('', 'attr.tier', null, true)).toBe('attr."tier" exists');
  });
});

import { routeOf } from './locationChanges';
import { pathOf } from './view';

describe('routes', () => {
  it('is the path, plus the fragment when it is a hash route', () => {
    expect(routeOf('https://a.com/shop?x=1')).toBe('https://a.com/shop');
    expect(routeOf('https://a.com/#/users/1?tab=2')).toBe('https://a.com/#/users/1?tab=2');
    expect(routeOf('https://a.com/#!/users')).toBe('https://a.com/#!/users');
  });

  it('keeps the current route for in-page anchors, not across paths', () => {
    const route = routeOf('https://a.com/app#/settings');
    expect(routeOf('https://a.com/app#section', route)).toBe(route);
    expect(routeOf('https://a.com/other#section', route)).toBe('https://a.com/other');
    expect(routeOf('https://a.com/app', route)).toBe('https://a.com/app');
  });

  it('gives the path of a URL', () => {
    expect(pathOf('https://a.com/a/b?c#d')).toBe('/a/b');
    expect(pathOf('https://a.com')).toBe('/');
    // Cut as a string, the same as the URL parser's pathname for what the browser serialises.
    for (const url of [
      'http://a.com:8080/x/y/?q=1#/h/p',
      'https://u:p@a.com/%20x#f?g',
      'https://a.com?q=/x',
      'https://a.com#/route',
      'http://[::1]:80/p;m=1',
      'file:///tmp/x.html',
      'about:blank',
    ])
      expect(pathOf(url)).toBe(new URL(url).pathname);
  });
});

import { appUrl, routeOf } from './location';

describe('app routes', () => {
  it('maps paths under the app root to pages, the data source links included', () => {
    expect(routeOf('/a/otelrum-rum-app')).toEqual({ page: 'applications' });
    expect(routeOf('/a/otelrum-rum-app/applications/new')).toEqual({ page: 'application-new' });
    expect(routeOf('/a/otelrum-rum-app/applications/shop')).toEqual({
      page: 'application-edit',
      appId: 'shop',
    });
    expect(routeOf('/a/otelrum-rum-app/sessions/s%201')).toEqual({ page: 'session', sessionId: 's 1' });
    expect(routeOf('/a/otelrum-rum-app/issues/abc')).toEqual({ page: 'issue', fingerprint: 'abc' });
    expect(routeOf('/a/otelrum-rum-app/nope/x/y')).toEqual({ page: 'not-found', path: '/nope/x/y' });
  });

  it('writes page state into the query string, leaving empty values out', () => {
    expect(appUrl('explorer', { app: 'shop', filter: 'path = "/a b"', sort: '' })).toBe(
      '/a/otelrum-rum-app/explorer?app=shop&filter=path+%3D+%22%2Fa+b%22',
    );
  });
});

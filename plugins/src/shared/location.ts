/*
 * The app's pages and their state live in Grafana's URL: the path below /a/otelrum-rum-app picks the
 * page, the query string holds the page's state (time range, tab, filter...), so a link reproduces the
 * view. Everything goes through @grafana/runtime's locationService, the history Grafana's own router
 * uses, so no router package of our own is needed.
 */
import { useEffect, useState } from 'react';
import { locationService } from '@grafana/runtime';
import type { UrlQueryMap } from '@grafana/data';
import { APP_ROOT } from './links';

export type AppRoute =
  | { page: 'applications' }
  | { page: 'application-new' }
  | { page: 'application-edit'; appId: string }
  | { page: 'explorer' }
  | { page: 'session'; sessionId: string }
  | { page: 'issue'; fingerprint: string }
  | { page: 'journeys' }
  | { page: 'metrics' }
  | { page: 'usage' }
  | { page: 'not-found'; path: string };

/** Which page a path under the app's root shows. */
export function routeOf(pathname: string): AppRoute {
  const rest = pathname.startsWith(APP_ROOT) ? pathname.slice(APP_ROOT.length) : pathname;
  const parts = rest.split('/').filter(Boolean).map(decodeURIComponent);
  const [first, second] = parts;
  if (!first || (first === 'applications' && parts.length === 1)) return { page: 'applications' };
  if (first === 'applications' && second === 'new' && parts.length === 2) return { page: 'application-new' };
  if (first === 'applications' && second && parts.length === 2)
    return { page: 'application-edit', appId: second };
  if (first === 'explorer' && parts.length === 1) return { page: 'explorer' };
  if (first === 'sessions' && second && parts.length === 2) return { page: 'session', sessionId: second };
  if (first === 'issues' && second && parts.length === 2) return { page: 'issue', fingerprint: second };
  if (first === 'journeys' && parts.length === 1) return { page: 'journeys' };
  if (first === 'metrics' && parts.length === 1) return { page: 'metrics' };
  if (first === 'usage' && parts.length === 1) return { page: 'usage' };
  return { page: 'not-found', path: rest };
}

/** The URL of a page of the app, with its state as the query string (empty values left out). */
export function appUrl(path: string, query: Record<string, string | undefined> = {}): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) if (v !== undefined && v !== '') q.set(k, v);
  const s = q.toString();
  return `${APP_ROOT}/${path.replace(/^\//, '')}${s ? `?${s}` : ''}`;
}

/** Re-renders on every change of Grafana's location; gives the path and the query string's values. */
export function useAppLocation(): { pathname: string; query: UrlQueryMap } {
  const [loc, setLoc] = useState(() => locationService.getLocation());
  useEffect(() => {
    const sub = locationService.getLocationObservable().subscribe(setLoc);
    return () => sub.unsubscribe();
  }, []);
  return { pathname: loc.pathname, query: locationService.getSearchObject() };
}

/** One query-string value as text ('' when absent). */
export function queryText(query: UrlQueryMap, key: string): string {
  const v = query[key];
  const one = Array.isArray(v) ? v[0] : v;
  return one === undefined || one === null ? '' : String(one);
}

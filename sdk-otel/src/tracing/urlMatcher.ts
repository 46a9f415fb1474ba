import type { UrlMatcher } from '../config/config';

/** A URL resolved against the page, or the input when it does not parse. */
export function absoluteUrl(url: string): string {
  try {
    return new URL(url, location.href).href;
  } catch {
    return url;
  }
}

/**
 * Whether trace headers may be added to a request: same-origin always (no CORS preflight is
 * triggered), other origins only when a rule allows them (prefix string, RegExp or predicate).
 */
export function createTracingMatcher(rules: UrlMatcher[]): (absolute: string) => boolean {
  return (url) => {
    if (url.startsWith(location.origin + '/') || url === location.origin) return true;
    return rules.some((r) => {
      try {
        return typeof r === 'string' ? url.startsWith(r) : r instanceof RegExp ? r.test(url) : !!r(url);
      } catch {
        return false;
      }
    });
  };
}

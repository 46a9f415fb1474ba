import { UAParser } from 'ua-parser-js';

export interface ClientFacts {
  browser: string | null;
  browserVersion: string | null;
  os: string | null;
  /** desktop, mobile, tablet, smarttv, wearable, console or embedded. */
  device: string | null;
}

/** Distinct user agents remembered; traffic repeats a few thousand at most, and the cache stays bounded. */
export const USER_AGENT_CACHE_SIZE = 10_000;

const cache = new Map<string, ClientFacts>();

/** Browser, OS and device type from a user agent string (ua-parser-js), cached. */
export function parseUserAgent(ua: string | null): ClientFacts {
  if (!ua) return { browser: null, browserVersion: null, os: null, device: null };
  const hit = cache.get(ua);
  if (hit) return hit;
  const r = new UAParser(ua).getResult();
  const facts: ClientFacts = {
    browser: r.browser.name ?? null,
    browserVersion: r.browser.major ?? null,
    os: r.os.name ?? null,
    // ua-parser-js leaves the type empty for desktops.
    device: r.device.type ?? (r.os.name ? 'desktop' : null),
  };
  if (cache.size >= USER_AGENT_CACHE_SIZE) cache.delete(cache.keys().next().value as string);
  cache.set(ua, facts);
  return facts;
}

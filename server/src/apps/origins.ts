/*
 * Allowed origins of an application: which web pages may send its data. An entry is an exact origin
 * (https://shop.example.com, http://localhost:3000), a wildcard subdomain (https://*.example.com),
 * 'self' (pages served by this server itself, whatever host name the browser used) or '*' (any page).
 */

const SCHEME_HOST = /^([a-z][a-z0-9+.-]*):\/\/(\*\.)?([^/?#:]+|\[[0-9a-f:.]+\])(?::(\d{1,5}))?\/?$/;
const DEFAULT_PORTS: Record<string, string> = { http: '80', https: '443' };

/** An allowed-origin entry in its one spelling, or a message saying what is wrong with it. */
export function normaliseOriginPattern(raw: unknown): { ok: string } | { error: string } {
  if (typeof raw !== 'string' || raw.trim() === '') return { error: 'must be a non-empty string' };
  const value = raw.trim().toLowerCase();
  if (value === '*' || value === 'self') return { ok: value };
  const m = SCHEME_HOST.exec(value);
  if (!m) {
    return /^[a-z][a-z0-9+.-]*:\/\/[^/]+\/./.test(value)
      ? { error: `"${raw}" has a path: an origin is scheme://host[:port] only` }
      : { error: `"${raw}" is not an origin: use scheme://host[:port], scheme://*.domain, 'self' or '*'` };
  }
  const [, scheme, wildcard, host, port] = m;
  if (port !== undefined && (Number(port) < 1 || Number(port) > 65535))
    return { error: `"${raw}" has an invalid port` };
  if (wildcard && host!.startsWith('['))
    return { error: `"${raw}": a wildcard needs a domain name, not an address` };
  if (!/^[a-z0-9.[\]:_-]+$/.test(host!)) return { error: `"${raw}" has an invalid host` };
  // Browsers omit default ports in the Origin header, so the stored form omits them too.
  const keepPort = port !== undefined && DEFAULT_PORTS[scheme!] !== port;
  return { ok: `${scheme}://${wildcard ?? ''}${host}${keepPort ? `:${port}` : ''}` };
}

/**
 * Whether a page of `origin` may send for an application allowing `patterns`. `requestHost` is the
 * Host header the request came with: a page whose origin has that host was served by this server.
 */
export function originAllowed(patterns: readonly string[], origin: string, requestHost: string | undefined) {
  const o = origin.toLowerCase();
  for (const p of patterns) {
    if (p === '*') return true;
    if (p === 'self') {
      if (requestHost && hostOf(o) === requestHost.toLowerCase()) return true;
      continue;
    }
    if (p === o) return true;
    const star = p.indexOf('://*.');
    if (star > 0) {
      const scheme = p.slice(0, star);
      const rest = p.slice(star + 5);
      const [domain, port] = splitPort(rest);
      const parsed = /^([a-z][a-z0-9+.-]*):\/\/([^/]+)$/.exec(o);
      if (!parsed || parsed[1] !== scheme) continue;
      const [host, originPort] = splitPort(parsed[2]!);
      if (originPort === port && host.endsWith(`.${domain}`)) return true;
    }
  }
  return false;
}

function hostOf(origin: string): string | null {
  const i = origin.indexOf('://');
  return i < 0 ? null : origin.slice(i + 3);
}

function splitPort(hostPort: string): [string, string | undefined] {
  const m = /^(.*?)(?::(\d+))?$/.exec(hostPort)!;
  return [m[1]!, m[2]];
}

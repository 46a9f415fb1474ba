/** What replaces a redacted part of a URL. */
export const REDACTED = 'REDACTED';

/** Query or fragment parameter names whose values are credentials more often than not. */
const SENSITIVE_PARAM =
  /token|secret|passw|pwd|auth|api[-_]?key|access[-_]?key|signature|^sig$|session|^sid$|jwt|^code$|credential|otp|^key$/i;
const EMAIL = /[\w.+-]+(?:@|%40)[\w-]+(?:\.[\w-]+)*\.[a-z]{2,}/gi;
const JWT = /eyJ[\w-]{5,}\.[\w-]{5,}\.[\w-]{5,}/g;
const USERINFO = /^([a-z][a-z\d+.-]*:\/\/)[^/?#@]*@/i;
const PARAM = /([?&#;])([^=&#;]+)=([^&#;]*)/g;

export type UrlRedactor = (url: string) => string;

/**
 * The default URL redaction: user:password@ dropped, values of sensitive query or fragment parameters
 * (tokens, keys, passwords, sessions, OAuth codes, plus `extraParams`) replaced, e-mail addresses and
 * JWTs anywhere replaced. `custom` runs after the defaults, or alone when `defaults` is false.
 */
export function createUrlRedactor(
  defaults: boolean,
  extraParams: string[],
  custom?: UrlRedactor,
): UrlRedactor {
  const extra = new Set(extraParams.map((p) => p.toLowerCase()));
  const sensitive = (name: string) => {
    let decoded = name;
    try {
      decoded = decodeURIComponent(name);
    } catch {
      // keep the raw name
    }
    return SENSITIVE_PARAM.test(decoded) || extra.has(decoded.toLowerCase());
  };
  let lastIn: string | undefined;
  let lastOut = '';
  return (url) => {
    if (url === lastIn) return lastOut;
    let out = url;
    // Each pattern only where its literal part occurs: most URLs need none of them, and a regular
    // expression is compiled at its first use.
    if (defaults) {
      if (out.includes('@')) out = out.replace(USERINFO, '$1');
      if (out.includes('='))
        out = out.replace(PARAM, (m, sep: string, name: string) =>
          sensitive(name) ? `${sep}${name}=${REDACTED}` : m,
        );
      if (out.includes('@') || out.includes('%40')) out = out.replace(EMAIL, REDACTED);
      if (out.includes('eyJ')) out = out.replace(JWT, REDACTED);
    }
    if (custom) out = custom(out);
    lastIn = url;
    lastOut = out;
    return out;
  };
}

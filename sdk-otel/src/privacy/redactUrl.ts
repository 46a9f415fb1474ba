/** What replaces a redacted part of a URL. */
export const REDACTED = 'REDACTED';

/**
 * Query or fragment parameter names whose values are credentials more often than not: names holding
 * one of the parts, or equal to one of the names (case aside). Plain strings rather than a regular
 * expression, which V8 would compile at the first URL with a query.
 */
// prettier-ignore
const SENSITIVE_PARTS = 'token secret passw pwd auth apikey api-key api_key accesskey access-key access_key signature session jwt credential otp'.split(' ');
const SENSITIVE_NAMES = 'sig sid code key'.split(' ');
const EMAIL = /[\w.+-]+(?:@|%40)[\w-]+(?:\.[\w-]+)*\.[a-z]{2,}/gi;
const JWT = /eyJ[\w-]{5,}\.[\w-]{5,}\.[\w-]{5,}/g;
const USERINFO = /^([a-z][a-z\d+.-]*:\/\/)[^/?#@]*@/i;

export type UrlRedactor = (url: string) => string;

/**
 * An absolute URL in free text (a stack frame, an error message), without the `:line:column` a stack
 * frame puts after it: it ends before white space, a bracket or a quote.
 */
const URL_IN_TEXT = /\w+:\/\/[^\s()'"]+?(?=(:\d+)*([\s()'"]|$))/g;

/** `text` with every absolute URL in it passed through `redact`. */
export const redactUrlsIn = (text: string, redact: UrlRedactor): string => text.replace(URL_IN_TEXT, redact);

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
    if (name.includes('%'))
      try {
        decoded = decodeURIComponent(name);
      } catch {
        // keep the raw name
      }
    const lower = decoded.toLowerCase();
    return (
      SENSITIVE_PARTS.some((p) => lower.includes(p)) || SENSITIVE_NAMES.includes(lower) || extra.has(lower)
    );
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
      if (out.includes('=')) out = redactParams(out, sensitive);
      if (out.includes('@') || out.includes('%40')) out = out.replace(EMAIL, REDACTED);
      if (out.includes('eyJ')) out = out.replace(JWT, REDACTED);
    }
    if (custom) out = custom(out);
    lastIn = url;
    lastOut = out;
    return out;
  };
}

const SEPARATORS = '?&#;';

/**
 * Every `name=value` of `url` that follows one of ? & # ; (query, fragment, matrix parameters) with its
 * value replaced when `sensitive(name)`; the name stops at = & # ;, the value at & # ;.
 */
export function redactParams(url: string, sensitive: (name: string) => boolean): string {
  let out = '';
  let done = 0;
  for (let p = 0; p < url.length; p++) {
    if (!SEPARATORS.includes(url[p]!)) continue;
    let eq = p + 1;
    while (eq < url.length && !'=&#;'.includes(url[eq]!)) eq++;
    if (eq === p + 1 || url[eq] !== '=') continue;
    let end = eq + 1;
    while (end < url.length && !SEPARATORS.slice(1).includes(url[end]!)) end++;
    if (sensitive(url.slice(p + 1, eq))) {
      out += url.slice(done, eq + 1) + REDACTED;
      done = end;
    }
    p = end - 1;
  }
  return out + url.slice(done);
}

/*
 * Which frames belong to the application. Errors are grouped by the top frame of the app's own
 * code: a frame in a browser extension, a third-party script from a CDN or tag manager, or a
 * vendor bundle says where the error surfaced, not which of the app's bugs it is.
 */
import type { Frame } from './stack';

const EXTENSION_SCHEMES = [
  'chrome-extension:',
  'moz-extension:',
  'safari-extension:',
  'safari-web-extension:',
  'ms-browser-extension:',
  'edge-extension:',
  'extension:',
  'webkit-masked-url:',
];

/** Hosts that serve third-party or library code, matched on the host and its subdomains. */
const VENDOR_HOSTS = [
  'cdn.jsdelivr.net',
  'unpkg.com',
  'cdnjs.cloudflare.com',
  'ajax.googleapis.com',
  'code.jquery.com',
  'googletagmanager.com',
  'google-analytics.com',
  'googlesyndication.com',
  'doubleclick.net',
  'gstatic.com',
  'connect.facebook.net',
  'static.hotjar.com',
  'script.hotjar.com',
  'js.stripe.com',
  'cdn.segment.com',
  'js-agent.newrelic.com',
  'browser.sentry-cdn.com',
  'static.cloudflareinsights.com',
  'cdn.cookielaw.org',
  'widget.intercom.io',
  'js.intercomcdn.com',
];

/** Paths of library code bundled with or served by the app itself. */
const VENDOR_PATHS = [
  /\/node_modules\//,
  /\/(?:vendors?|chunk-vendors|polyfills?|framework|commons)[.~-][^/]*\.m?js$/i,
  /\/vendors?\.m?js$/i,
  /\/(?:jquery|react-dom|react|vue|angular|lodash|zone)(?:[.-][^/]*)?\.m?js$/i,
];

function hostOf(file: string): string | null {
  const m = /^[a-z][a-z0-9+.-]*:\/\/([^/?#:]+)/i.exec(file);
  return m ? (m[1] as string).toLowerCase() : null;
}

/** True when the frame is in the application's own code. */
export function isInAppFrame(frame: Frame): boolean {
  if (frame.inApp !== undefined) return frame.inApp;
  const file = frame.file;
  if (file === null) return false;
  const lower = file.toLowerCase();
  if (EXTENSION_SCHEMES.some((s) => lower.startsWith(s))) return false;
  const host = hostOf(lower);
  if (host !== null && VENDOR_HOSTS.some((v) => host === v || host.endsWith(`.${v}`))) return false;
  const path = lower.replace(/[?#].*$/, '');
  return !VENDOR_PATHS.some((p) => p.test(path));
}

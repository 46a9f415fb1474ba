import { readCookie, writeCookie } from '../session/sessionStore';

/** The signals whose spill and offline queue are stored, as transport.ts names them. */
const SIGNALS = ['logs', 'traces'];

/**
 * Deletes everything the SDK stored for one application under `prefix` (consent revoked): the session
 * cookie, the page-hide spills (localStorage and their flag cookies) and the offline queues
 * (IndexedDB), whether or not this page created them.
 */
export function forgetStorage(prefix: string, cookieDomain?: string): void {
  try {
    if (readCookie(`${prefix}_session`) !== undefined) writeCookie(`${prefix}_session`, '', 0, cookieDomain);
    for (const signal of SIGNALS) {
      const spill = `${prefix}_${signal}_spill`;
      if (readCookie(spill) !== undefined) writeCookie(spill, '', 0);
      localStorage.removeItem(spill);
      indexedDB?.deleteDatabase(`${prefix}_${signal}_queue`);
    }
  } catch {
    // storage unavailable: nothing was stored there
  }
}

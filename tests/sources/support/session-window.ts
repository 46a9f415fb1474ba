import { DERIVED_SESSION_WINDOW_MS } from '../../../server/src/ingest/normalize/context';

/**
 * Data sent without a session id is grouped into derived sessions of fixed windows. A test that
 * expects one derived session waits, when the window is about to close, until the next one opens, so
 * that its few seconds of browsing never straddle two windows.
 */
export async function awayFromSessionWindowEdge(needMs = 30_000): Promise<void> {
  const left = DERIVED_SESSION_WINDOW_MS - (Date.now() % DERIVED_SESSION_WINDOW_MS);
  if (left < needMs) await new Promise((r) => setTimeout(r, left + 50));
}

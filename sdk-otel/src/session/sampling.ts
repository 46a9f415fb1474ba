/**
 * Session-consistent sampling: the decision is a pure function of the session id, so every tab, every
 * reload and the backend reach the same answer. `salt` picks independent decisions (events, traces).
 */
export function isSampled(sessionId: string, ratePercent: number, salt = 0): boolean {
  if (ratePercent >= 100) return true;
  if (ratePercent <= 0) return false;
  const slice = sessionId.slice(salt * 8, salt * 8 + 8);
  const n = parseInt(slice, 16);
  return (isNaN(n) ? Math.random() * 0x100000000 : n) / 0x100000000 < ratePercent / 100;
}

/* Instants in filter values: ISO 8601 text or epoch milliseconds, read as UTC when no zone is given. */

const ISO =
  /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(Z|[+-]\d{2}:?\d{2})?)?$/;

/** Epoch milliseconds of an ISO 8601 date or date-time, or null when it is not one (or not a real date). */
export function parseInstant(text: string): number | null {
  const m = ISO.exec(text);
  if (!m) return null;
  const [, y, mo, d, h = '00', mi = '00', s = '00', frac = '', zone = 'Z'] = m;
  const ms = (frac + '000').slice(0, 3);
  const zoned = zone === 'Z' ? 'Z' : zone.length === 5 ? `${zone.slice(0, 3)}:${zone.slice(3)}` : zone;
  const epoch = Date.parse(`${y}-${mo}-${d}T${h}:${mi}:${s}.${ms}${zoned}`);
  if (Number.isNaN(epoch)) return null;
  // Date.parse rolls 2024-02-30 over into March; a date that does not exist is refused instead.
  const check = new Date(Date.UTC(Number(y), Number(mo) - 1, Number(d)));
  if (check.getUTCMonth() !== Number(mo) - 1 || check.getUTCDate() !== Number(d)) return null;
  if (Number(h) > 23 || Number(mi) > 59 || Number(s) > 59) return null;
  return epoch;
}

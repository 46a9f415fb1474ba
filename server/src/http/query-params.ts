import { HttpError } from './http-error';

/** Refuses query parameters other than `known`, so that a typo does not silently widen a query. */
export function onlyParams(url: URL, known: readonly string[]): void {
  for (const key of url.searchParams.keys())
    if (!known.includes(key))
      throw new HttpError(400, `unknown query parameter "${key}"; known: ${known.join(', ')}`);
}

/** An instant parameter (ISO 8601 or epoch milliseconds) in epoch milliseconds, or undefined when absent. */
export function timeParam(url: URL, name: string): number | undefined {
  const raw = url.searchParams.get(name);
  if (raw === null || raw === '') return undefined;
  const n = /^\d+$/.test(raw) ? Number(raw) : Date.parse(raw);
  if (!Number.isFinite(n))
    throw new HttpError(
      400,
      `query parameter ${name} must be an ISO time or epoch milliseconds, got "${raw}"`,
    );
  return n;
}

/** `from` and `to` (epoch ms); `to` defaults to now and `from` to `to - defaultSpanMs`; from must be before to. */
export function timeRange(
  url: URL,
  defaultSpanMs: number,
  now = Date.now(),
): { fromMs: number; toMs: number } {
  const toMs = timeParam(url, 'to') ?? now;
  const fromMs = timeParam(url, 'from') ?? toMs - defaultSpanMs;
  if (fromMs >= toMs) throw new HttpError(400, 'query parameter from must be before to');
  return { fromMs, toMs };
}

/** A whole-number parameter within [min, max], or `fallback` when absent. */
export function intParam(url: URL, name: string, min: number, max: number, fallback: number): number {
  const raw = url.searchParams.get(name);
  if (raw === null || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min || n > max)
    throw new HttpError(
      400,
      `query parameter ${name} must be a whole number from ${min} to ${max}, got "${raw}"`,
    );
  return n;
}

import { MAX_SDK_RETRY_DELAY_MS } from '@otel-rum/model';

/** First wait before retrying a refused request; it doubles on each failure up to MAX_SDK_RETRY_DELAY_MS. */
export const FIRST_RETRY_DELAY_MS = 1000;

/** Statuses worth retrying: the server or a proxy is overloaded or briefly away. 0 = network error. */
export function isRetryable(status: number): boolean {
  return (
    status === 0 || status === 408 || status === 429 || (status >= 500 && status !== 501 && status !== 505)
  );
}

/** Milliseconds a Retry-After header asks for (delta seconds or an HTTP date), or undefined. */
export function parseRetryAfter(header: string | null | undefined, nowMs: number): number | undefined {
  if (!header) return undefined;
  // Seconds (Number trims white space; no regular expression to compile), else an HTTP date.
  const seconds = Number(header);
  if (seconds >= 0) return seconds * 1000;
  const date = Date.parse(header);
  return isNaN(date) ? undefined : Math.max(0, date - nowMs);
}

/**
 * Wait before attempt number `failures` (1 for the first retry, never less): exponential with up to 20% jitter,
 * capped at MAX_SDK_RETRY_DELAY_MS; a Retry-After the server gave wins when it is longer.
 */
export function retryDelay(failures: number, retryAfterMs?: number, random = Math.random): number {
  const base = Math.min(MAX_SDK_RETRY_DELAY_MS, FIRST_RETRY_DELAY_MS * 2 ** (failures - 1));
  const jittered = base * (0.8 + 0.2 * random());
  return Math.max(retryAfterMs ?? 0, jittered);
}

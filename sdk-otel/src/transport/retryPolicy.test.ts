import { MAX_SDK_RETRY_DELAY_MS } from '@otel-rum/model';
import { isRetryable, parseRetryAfter, retryDelay } from './retryPolicy';

describe('retry policy', () => {
  it('retries overload and network failures, not client errors', () => {
    for (const s of [0, 408, 429, 500, 502, 503, 504]) expect(isRetryable(s)).toBe(true);
    for (const s of [400, 401, 403, 404, 413, 415, 501]) expect(isRetryable(s)).toBe(false);
  });

  it('reads Retry-After as seconds or an HTTP date', () => {
    const now = Date.parse('2026-01-01T00:00:00Z');
    expect(parseRetryAfter('7', now)).toBe(7000);
    expect(parseRetryAfter('Thu, 01 Jan 2026 00:00:30 GMT', now)).toBe(30_000);
    expect(parseRetryAfter('Wed, 31 Dec 2025 00:00:00 GMT', now)).toBe(0);
    expect(parseRetryAfter('soon', now)).toBeUndefined();
    expect(parseRetryAfter(null, now)).toBeUndefined();
  });

  it('backs off exponentially with jitter, capped, and never sooner than Retry-After', () => {
    const mid = () => 0.5;
    expect(retryDelay(1, undefined, mid)).toBe(900);
    expect(retryDelay(2, undefined, mid)).toBe(1800);
    expect(retryDelay(30, undefined, () => 1)).toBe(MAX_SDK_RETRY_DELAY_MS);
    expect(retryDelay(1, 5000, mid)).toBe(5000);
    expect(retryDelay(10, 5000, () => 1)).toBeGreaterThan(5000);
  });
});

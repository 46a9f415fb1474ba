/*
 * Wall-clock time derived from the performance timeline, so that performance entries
 * (relative to timeOrigin) and events captured now share one monotonic base.
 */
const hasPerf = typeof performance !== 'undefined' && !!performance.timeOrigin;
const origin = hasPerf ? performance.timeOrigin : 0;

/** Epoch milliseconds, sub-millisecond precision where the browser gives it. */
export function now(): number {
  return hasPerf ? origin + performance.now() : Date.now();
}

/** Epoch milliseconds of a performance timestamp (DOMHighResTimeStamp relative to timeOrigin). */
export function fromPerf(relative: number): number {
  return origin + relative;
}

/**
 * Epoch milliseconds as the decimal string of epoch nanoseconds (beyond 2^53, so written as whole
 * microseconds, an exact integer until the year 2255, followed by 000). Kept to the microsecond: a
 * double near 1.7e12 ms holds no more, and browsers clamp timers coarser.
 */
export function toUnixNano(ms: number): string {
  const micros = Math.round(ms * 1e3);
  return micros ? `${micros}000` : '0';
}

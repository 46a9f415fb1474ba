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
 * Epoch milliseconds as the decimal string of epoch nanoseconds (beyond 2^53, so built by hand).
 * Kept to the microsecond: a double near 1.7e12 ms holds no more, and browsers clamp timers coarser.
 */
export function toUnixNano(ms: number): string {
  let whole = Math.floor(ms);
  let micros = Math.round((ms - whole) * 1e3);
  if (micros >= 1e3) {
    whole += 1;
    micros = 0;
  }
  return whole ? `${whole}${String(micros).padStart(3, '0')}000` : `${micros * 1000}`;
}

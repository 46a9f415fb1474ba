import type { Propagator } from '../config/config';

/** The headers that carry a span's context to the backend, per propagator. */
export function propagationHeaders(
  propagators: Propagator[],
  traceId: string,
  spanId: string,
  sampled: boolean,
): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const p of propagators) {
    if (p === 'tracecontext') headers.traceparent = `00-${traceId}-${spanId}-${sampled ? '01' : '00'}`;
    else headers.b3 = `${traceId}-${spanId}-${sampled ? '1' : '0'}`;
  }
  return headers;
}

/** A W3C traceparent's ids, or undefined when the value is not one. */
export function parseTraceparent(value: string | undefined): { traceId: string; spanId: string } | undefined {
  if (!value) return undefined;
  const m = /^([\da-f]{2})-([\da-f]{32})-([\da-f]{16})-[\da-f]{2}/.exec((value || '').trim().toLowerCase());
  if (!m || m[1] === 'ff' || /^0+$/.test(m[2]!) || /^0+$/.test(m[3]!)) return undefined;
  return { traceId: m[2]!, spanId: m[3]! };
}

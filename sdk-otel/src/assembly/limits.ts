import {
  EXCEPTION_STACKTRACE,
  MAX_ATTRIBUTE_KEY_LENGTH,
  MAX_ATTRIBUTE_VALUE_LENGTH,
  MAX_ATTRIBUTES_PER_EVENT,
  MAX_STACKTRACE_LENGTH,
} from '@otel-rum/model';
import type { Attributes } from '../lifecycle/rumEvents';

const cut = (s: string, max: number) => (s.length > max ? s.slice(0, max) : s);

/**
 * One event's attributes within the model's limits, as a new object: undefined values left out, keys
 * longer than MAX_ATTRIBUTE_KEY_LENGTH and attributes past MAX_ATTRIBUTES_PER_EVENT dropped, string
 * values cut to MAX_ATTRIBUTE_VALUE_LENGTH (MAX_STACKTRACE_LENGTH for stack traces). A copy rather than
 * `delete` in place: an object that loses properties becomes a slow dictionary for its encoding.
 */
export function enforceLimits(attributes: Attributes): Attributes {
  const out: Attributes = {};
  let kept = 0;
  for (const key in attributes) {
    const v = attributes[key];
    if (v === undefined || key.length > MAX_ATTRIBUTE_KEY_LENGTH || kept >= MAX_ATTRIBUTES_PER_EVENT)
      continue;
    kept++;
    out[key] =
      typeof v === 'string'
        ? cut(v, key === EXCEPTION_STACKTRACE ? MAX_STACKTRACE_LENGTH : MAX_ATTRIBUTE_VALUE_LENGTH)
        : Array.isArray(v)
          ? v.map((s) => cut(String(s), MAX_ATTRIBUTE_VALUE_LENGTH))
          : v;
  }
  return out;
}

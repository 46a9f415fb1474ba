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
 * Applies the model's limits to one event's attributes, in place: keys longer than
 * MAX_ATTRIBUTE_KEY_LENGTH and attributes past MAX_ATTRIBUTES_PER_EVENT are dropped, string values are cut
 * to MAX_ATTRIBUTE_VALUE_LENGTH (MAX_STACKTRACE_LENGTH for stack traces). Returns how many were dropped.
 */
export function enforceLimits(attributes: Attributes): number {
  let kept = 0;
  let dropped = 0;
  for (const key in attributes) {
    const v = attributes[key];
    if (v === undefined) {
      delete attributes[key];
      continue;
    }
    if (key.length > MAX_ATTRIBUTE_KEY_LENGTH || kept >= MAX_ATTRIBUTES_PER_EVENT) {
      delete attributes[key];
      dropped++;
      continue;
    }
    kept++;
    if (typeof v === 'string')
      attributes[key] = cut(
        v,
        key === EXCEPTION_STACKTRACE ? MAX_STACKTRACE_LENGTH : MAX_ATTRIBUTE_VALUE_LENGTH,
      );
    else if (Array.isArray(v)) attributes[key] = v.map((s) => cut(String(s), MAX_ATTRIBUTE_VALUE_LENGTH));
  }
  return dropped;
}

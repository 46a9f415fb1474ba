import { parseStack } from './stackParser';
import type { CollectedError } from './errorEvent';

/** Identical errors (type, message, first frame) within this window are sent once. */
export const ERROR_DEDUPE_WINDOW_MS = 1000;

const EXTENSION = /^(?:chrome|moz|safari(?:-web)?)-extension:\/\//;

/**
 * Decides whether an error is worth sending: not ignored by the user's rules, not thrown by a
 * browser extension, not a repeat of the one just sent.
 */
export function createErrorFilter(ignore: (string | RegExp)[]) {
  let lastKey = '';
  let lastTime = -Infinity;
  return (e: CollectedError): boolean => {
    const text = `${e.type}: ${e.message}`;
    if (ignore.some((rule) => (typeof rule === 'string' ? text.includes(rule) : rule.test(text))))
      return false;
    const top = parseStack(e.stack)[0];
    if (top && EXTENSION.test(top.url)) return false;
    const key = `${text}\n${top ? `${top.url}:${top.line}:${top.column}` : ''}`;
    if (key === lastKey && e.time - lastTime < ERROR_DEDUPE_WINDOW_MS) return false;
    lastKey = key;
    lastTime = e.time;
    return true;
  };
}

/*
 * Error messages carry the values of the moment: ids, counts, URLs, the quoted name of a missing
 * key. Two occurrences of one bug differ only there, so those parts are replaced by placeholders
 * before messages are compared.
 */
import { MAX_ATTRIBUTE_VALUE_LENGTH } from '@otel-rum/model';

const REPLACEMENTS: [RegExp, string][] = [
  [/\b(?:https?|wss?|file|blob|data|chrome-extension|moz-extension):\/*[^\s'"`<>)\]]*/gi, '<url>'],
  [/[\w.+-]+@[\w-]+(?:\.[\w-]+)+/g, '<email>'],
  [/\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b/gi, '<uuid>'],
  [/"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|`(?:[^`\\]|\\.)*`|“[^”]*”|‘[^’]*’/g, '<str>'],
  [/\b0x[0-9a-f]+\b/gi, '<hex>'],
  // A run of 8+ hex digits with a digit in it: hashes, trace and object ids.
  [/\b(?=[0-9a-f]*\d)[0-9a-f]{8,}\b/gi, '<hex>'],
  [/\d+(?:[.,]\d+)*/g, '<n>'],
];

/** The message with variable parts replaced, browser prefixes dropped and whitespace collapsed. */
export function normaliseMessage(message: string | null | undefined): string {
  if (!message) return '';
  // Messages are stored up to this length; the cut also bounds the work of the patterns below.
  let text = message.slice(0, MAX_ATTRIBUTE_VALUE_LENGTH).trim();
  // window.onerror prefixes; the same error thrown and caught has none.
  text = text.replace(/^Uncaught (?:\(in promise\) )?/, '');
  for (const [pattern, placeholder] of REPLACEMENTS) text = text.replace(pattern, placeholder);
  return text.replace(/\s+/g, ' ').trim();
}

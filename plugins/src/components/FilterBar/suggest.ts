/*
 * Autocomplete for text in the server's filter language (server/src/query/filter/README.md): field
 * names while a word is typed, top values once `field = "` (or !=, contains, ~, !~) is typed. Each
 * suggestion is the whole new text, so applying one is a plain replace.
 */
import { FILTER_FIELDS, ATTRIBUTE_FIELD_PREFIX } from '@otel-rum/model';
import { quote } from '../../datasource/query/filter';

export interface Suggestion {
  label: string;
  detail?: string;
  text: string;
}

/** What is being typed at the end of the text: a field name, or a value of a field. */
export type Context =
  | { kind: 'field'; prefix: string; start: number }
  | { kind: 'value'; field: string; prefix: string; start: number }
  | null;

const KEYWORDS = new Set(['and', 'or', 'not', 'in', 'exists', 'contains']);

export function contextOf(text: string): Context {
  const value = /(attr\."[^"]*"|[a-z_]+)\s*(?:=|!=|contains|~|!~)\s*"((?:[^"\\]|\\.)*)$/.exec(text);
  if (value) {
    const field = value[1]!.startsWith(ATTRIBUTE_FIELD_PREFIX)
      ? `${ATTRIBUTE_FIELD_PREFIX}${value[1]!.slice(ATTRIBUTE_FIELD_PREFIX.length + 1, -1)}`
      : value[1]!;
    return {
      kind: 'value',
      field,
      prefix: value[2]!.replace(/\\(.)/g, '$1'),
      start: text.length - value[2]!.length - 1,
    };
  }
  const word = /(^|[\s(])([a-z_.]+)$/.exec(text);
  if (word) {
    const before = text.slice(0, text.length - word[2]!.length).trimEnd();
    // A word right after a field and an operator is a value; after `)` or a value, a keyword.
    if (/(=|!=|>|<|>=|<=|contains|~|!~)$/.test(before)) return null;
    if (KEYWORDS.has(word[2]!)) return null;
    return { kind: 'field', prefix: word[2]!, start: text.length - word[2]!.length };
  }
  return null;
}

/** Suggestions for the text as typed; `values` are the known top values of the field being typed. */
export function suggest(text: string, values: readonly unknown[] = []): Suggestion[] {
  const ctx = contextOf(text);
  if (!ctx) return [];
  const head = text.slice(0, ctx.start);
  if (ctx.kind === 'field') {
    const fields: Suggestion[] = Object.entries(FILTER_FIELDS)
      .filter(([name]) => name.startsWith(ctx.prefix) && name !== ctx.prefix)
      .map(([name, spec]) => ({ label: name, detail: spec.description, text: `${head}${name} ` }));
    if (ATTRIBUTE_FIELD_PREFIX.startsWith(ctx.prefix) && ctx.prefix !== ATTRIBUTE_FIELD_PREFIX)
      fields.push({ label: 'attr."key"', detail: 'an event attribute', text: `${head}attr."` });
    return fields;
  }
  const lower = ctx.prefix.toLowerCase();
  return values
    .filter((v) => v !== null && v !== undefined && v !== '')
    .map(String)
    .filter((v) => v.toLowerCase().includes(lower) && v !== ctx.prefix)
    .map((v) => ({ label: v, text: `${head}${quote(v)} ` }));
}

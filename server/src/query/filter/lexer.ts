/*
 * Splits a filter expression into tokens. Input is checked whole first (length, control characters,
 * broken UTF-16) so that the parser only ever sees text a person could have typed.
 */
import { MAX_ATTRIBUTE_KEY_LENGTH, MAX_FILTER_LENGTH } from '@otel-rum/model';
import { FilterSyntaxError } from './errors';

export type Token =
  | { type: '(' | ')' | ',' | ':'; position: number }
  | { type: 'op'; op: '=' | '!=' | '<' | '<=' | '>' | '>=' | '~' | '!~'; position: number }
  | { type: 'string'; value: string; position: number; end: number }
  | { type: 'number'; value: number; raw: string; position: number; end: number }
  /** Letters, digits, `_`, `.` and `-`, not starting with `.` or `-`: keywords, fields, free text. */
  | { type: 'word'; value: string; position: number; end: number }
  /** `attr."key"` or `attr.key`. */
  | { type: 'attr'; key: string; position: number; end: number }
  | { type: 'eof'; position: number };

const WORD = /[\p{L}\p{N}_][\p{L}\p{N}_.-]*/uy;
const NUMBER = /-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
const WORD_CHAR = /[\p{L}\p{N}_]/u;
// Tab, line feed and carriage return are whitespace; every other C0/C1 control is refused.
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]/;
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
const ATTR_PREFIX = 'attr.';

function codePoint(ch: string): string {
  return `U+${(ch.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0')}`;
}

/** Refuses what no token can hold: over-long input, control characters, broken UTF-16. */
function checkInput(input: string): void {
  if (input.length > MAX_FILTER_LENGTH) {
    throw new FilterSyntaxError(
      `filter is ${input.length} characters long; at most ${MAX_FILTER_LENGTH} (MAX_FILTER_LENGTH) are accepted`,
      MAX_FILTER_LENGTH,
    );
  }
  const control = CONTROL.exec(input);
  if (control) {
    throw new FilterSyntaxError(
      `control character ${codePoint(control[0])} is not allowed in a filter`,
      control.index,
    );
  }
  const surrogate = LONE_SURROGATE.exec(input);
  if (surrogate) {
    throw new FilterSyntaxError('filter is not valid Unicode text (a lone surrogate half)', surrogate.index);
  }
}

function readString(input: string, start: number): { value: string; end: number } {
  const quote = input[start];
  let value = '';
  let i = start + 1;
  while (i < input.length) {
    const ch = input[i] as string;
    if (ch === quote) return { value, end: i + 1 };
    if (ch === '\\') {
      const next = input[i + 1];
      if (next === undefined) break;
      // \" \' and \\ stand for the character; any other escape is kept as written, so that a glob
      // pattern can say \* and \? for a literal star or question mark.
      value += next === '"' || next === "'" || next === '\\' ? next : ch + next;
      i += 2;
      continue;
    }
    value += ch;
    i += 1;
  }
  throw new FilterSyntaxError(`string starting here is not closed; end it with ${quote}`, start);
}

function readAttr(input: string, start: number, word: string, wordEnd: number): Token {
  let key = word.slice(ATTR_PREFIX.length);
  let end = wordEnd;
  if (key === '') {
    const next = input[wordEnd];
    if (next !== '"' && next !== "'") {
      throw new FilterSyntaxError('expected an attribute name after attr., e.g. attr."http.route"', wordEnd);
    }
    const str = readString(input, wordEnd);
    key = str.value;
    end = str.end;
  }
  if (key === '') throw new FilterSyntaxError('attribute name is empty', start);
  if (key.length > MAX_ATTRIBUTE_KEY_LENGTH) {
    throw new FilterSyntaxError(
      `attribute name is ${key.length} characters long; at most ${MAX_ATTRIBUTE_KEY_LENGTH} (MAX_ATTRIBUTE_KEY_LENGTH)`,
      start,
    );
  }
  return { type: 'attr', key, position: start, end };
}

export function tokenize(input: string): Token[] {
  checkInput(input);
  const tokens: Token[] = [];
  let i = 0;
  while (i < input.length) {
    const ch = input[i] as string;
    if (ch === ' ' || ch === '\t' || ch === '\n' || ch === '\r') {
      i += 1;
      continue;
    }
    const start = i;
    if (ch === '(' || ch === ')' || ch === ',' || ch === ':') {
      tokens.push({ type: ch, position: start });
      i += 1;
      continue;
    }
    if (ch === '"' || ch === "'") {
      const str = readString(input, start);
      tokens.push({ type: 'string', value: str.value, position: start, end: str.end });
      i = str.end;
      continue;
    }
    const two = input.slice(i, i + 2);
    if (two === '!=' || two === '<=' || two === '>=' || two === '!~' || two === '==') {
      tokens.push({ type: 'op', op: two === '==' ? '=' : two, position: start });
      i += 2;
      continue;
    }
    if (ch === '=' || ch === '<' || ch === '>' || ch === '~') {
      tokens.push({ type: 'op', op: ch, position: start });
      i += 1;
      continue;
    }
    NUMBER.lastIndex = i;
    const number = NUMBER.exec(input);
    const afterNumber = input[i + (number?.[0].length ?? 0)] ?? '';
    // 5xx, 1.2.3 and 2024-01-01 are words, not a number followed by something else.
    if (number && !WORD_CHAR.test(afterNumber) && afterNumber !== '.' && afterNumber !== '-') {
      const value = Number(number[0]);
      if (!Number.isFinite(value)) {
        throw new FilterSyntaxError(`number ${number[0]} is too large`, start);
      }
      i += number[0].length;
      tokens.push({ type: 'number', value, raw: number[0], position: start, end: i });
      continue;
    }
    WORD.lastIndex = i;
    const word = WORD.exec(input);
    if (word) {
      i += word[0].length;
      if (word[0].startsWith(ATTR_PREFIX)) {
        const attr = readAttr(input, start, word[0], i);
        tokens.push(attr);
        i = (attr as { end: number }).end;
      } else {
        tokens.push({ type: 'word', value: word[0], position: start, end: i });
      }
      continue;
    }
    const shown = String.fromCodePoint(input.codePointAt(i) ?? 0);
    const hint =
      ch === '!'
        ? "; write 'not' for negation, or '!=' / '!~'"
        : ch === '&' || ch === '|'
          ? "; write 'and' / 'or'"
          : '; put free text in quotes';
    throw new FilterSyntaxError(`unexpected character '${shown}' (${codePoint(shown)})${hint}`, start);
  }
  tokens.push({ type: 'eof', position: input.length });
  return tokens;
}

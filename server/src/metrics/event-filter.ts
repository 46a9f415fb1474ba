/*
 * A filter expression as a predicate over one EventRow, for rules evaluated on data as it is
 * committed. The expression is first compiled for the events table exactly as the query API does
 * (same errors, same types); then the same tree is evaluated here with the meanings the SQL compiler
 * gives it: negation pushed down to the conditions, a condition on a missing value false and its
 * negation true, globs like LIKE, `contains` and free text case-insensitive. event-filter.test.ts
 * checks both agree on real DuckDB.
 */
import {
  compileFilter,
  parseFilter,
  FilterCompileError,
  type FieldMap,
  type FilterAst,
} from '../query/filter';
import type { CompareOp, FieldRef, Literal } from '../query/filter/ast';
import { parseInstant } from '../query/filter/time';
import type { EventRow } from '../store/rows';
import {
  EVENT_VALUES,
  SESSION_LEVEL_FIELDS,
  TEXT_VALUES,
  attributeExists,
  attributeNumber,
  attributeText,
  type FieldValue,
} from './event-values';

export type EventPredicate = (e: EventRow) => boolean;

type Getter = (e: EventRow) => FieldValue;

const NEGATED: Record<CompareOp, CompareOp> = { '=': '=', '<': '>=', '<=': '>', '>': '<=', '>=': '<' };

function compare(a: number | string, op: CompareOp, b: number | string, negatedEq: boolean): boolean {
  switch (op) {
    case '=':
      return negatedEq ? a !== b : a === b;
    case '<':
      return a < b;
    case '<=':
      return a <= b;
    case '>':
      return a > b;
    case '>=':
      return a >= b;
  }
}

/** A glob (`*`, `?`, `\*` `\?` `\\` literal) as an anchored regular expression, as LIKE reads it. */
export function globToRegExp(glob: string): RegExp {
  let re = '';
  for (let i = 0; i < glob.length; i += 1) {
    const ch = glob[i] as string;
    if (ch === '\\' && i + 1 < glob.length) {
      const next = glob[i + 1] as string;
      if (next === '*' || next === '?' || next === '\\') {
        re += `\\${next}`;
        i += 1;
        continue;
      }
    }
    if (ch === '*') re += '[\\s\\S]*';
    else if (ch === '?') re += '[\\s\\S]';
    else re += ch.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${re}$`, 'u');
}

function containsText(haystack: string, needle: string): boolean {
  return haystack.toLowerCase().includes(needle.toLowerCase());
}

class Evaluator {
  constructor(private readonly fields: FieldMap) {}

  /** The value of a field reference, as text (string fields, attributes) or a number. */
  private getter(ref: FieldRef, numericAttribute: boolean): Getter {
    if (ref.attribute !== undefined) {
      const key = ref.attribute;
      return numericAttribute ? (e) => attributeNumber(e, key) : (e) => attributeText(e, key);
    }
    const reason = SESSION_LEVEL_FIELDS[ref.name];
    if (reason !== undefined)
      throw new FilterCompileError(`field '${ref.name}' cannot be used here: ${reason}`, ref.position);
    const get = EVENT_VALUES[ref.name];
    if (!get)
      throw new FilterCompileError(`field '${ref.name}' is not available on arriving events`, ref.position);
    return get;
  }

  private type(ref: FieldRef): string {
    if (ref.attribute !== undefined) return 'attribute';
    return this.fields.fields[ref.name]?.type ?? 'string';
  }

  /** The literal as the SQL compiler binds it against this field. */
  private operand(ref: FieldRef, value: Literal, numericAttribute: boolean): number | string | boolean {
    const type = this.type(ref);
    if (type === 'attribute') {
      if (numericAttribute) return value.value as number;
      return value.type === 'string'
        ? value.value
        : value.type === 'number'
          ? value.raw
          : String(value.value);
    }
    if (type === 'string') return value.type === 'number' ? value.raw : (value.value as string);
    if (type === 'time') {
      const ms = value.type === 'number' ? value.value : parseInstant(String(value.value));
      return Math.trunc(ms ?? 0) * 1000;
    }
    return value.value;
  }

  build(node: FilterAst, negated: boolean): EventPredicate {
    switch (node.kind) {
      case 'all':
        return () => !negated;
      case 'and':
      case 'or': {
        const parts = node.terms.map((t) => this.build(t, negated));
        return (node.kind === 'and') !== negated
          ? (e) => parts.every((p) => p(e))
          : (e) => parts.some((p) => p(e));
      }
      case 'not':
        return this.build(node.term, !negated);
      case 'compare': {
        const numeric = node.field.attribute !== undefined && node.value.type === 'number';
        const get = this.getter(node.field, numeric);
        const x = this.operand(node.field, node.value, numeric) as number | string;
        const op = negated ? NEGATED[node.op] : node.op;
        return (e) => {
          const v = get(e);
          if (v === null) return negated;
          return compare(v, op, x, negated && node.op === '=');
        };
      }
      case 'in': {
        const numeric = node.field.attribute !== undefined && node.values.every((v) => v.type === 'number');
        const get = this.getter(node.field, numeric);
        const list = new Set(node.values.map((v) => this.operand(node.field, v, numeric)));
        return (e) => {
          const v = get(e);
          if (v === null) return negated;
          return list.has(v) !== negated;
        };
      }
      case 'match': {
        const get = this.getter(node.field, false);
        const re = globToRegExp(node.pattern);
        return (e) => {
          const v = get(e);
          if (v === null) return negated;
          return re.test(String(v)) !== negated;
        };
      }
      case 'contains': {
        const get = this.getter(node.field, false);
        return (e) => {
          const v = get(e);
          if (v === null) return negated;
          return containsText(String(v), node.text) !== negated;
        };
      }
      case 'exists': {
        if (node.field.attribute !== undefined) {
          const key = node.field.attribute;
          return (e) => attributeExists(e, key) !== negated;
        }
        const get = this.getter(node.field, false);
        const isText = this.type(node.field) === 'string';
        return (e) => {
          const v = get(e);
          const present = v !== null && !(isText && v === '');
          return present !== negated;
        };
      }
      case 'text':
        return this.text(node.text, node.position, negated);
      case 'word': {
        const spec = this.fields.fields[node.word];
        if (spec?.type === 'boolean') {
          const ref = { name: node.word, position: node.position };
          return this.build(
            {
              kind: 'compare',
              field: ref,
              op: '=',
              value: { type: 'boolean', value: true, position: node.position },
              position: node.position,
            },
            negated,
          );
        }
        return this.text(node.word, node.position, negated);
      }
    }
  }

  private text(text: string, position: number, negated: boolean): EventPredicate {
    const readers = (this.fields.text ?? []).map((column) => {
      const read = TEXT_VALUES[column];
      if (!read) throw new FilterCompileError(`free text is not available on arriving events`, position);
      return read;
    });
    const one = (e: EventRow, read: (e: EventRow) => string | null) => {
      const v = read(e);
      if (v === null) return negated;
      return containsText(v, text) !== negated;
    };
    return negated ? (e) => readers.every((r) => one(e, r)) : (e) => readers.some((r) => one(e, r));
  }
}

/**
 * Parses and checks `filter` against `fields` (throwing the query API's FilterError on bad input),
 * and returns it as a predicate over arriving events.
 */
export function eventPredicate(filter: string, fields: FieldMap): EventPredicate {
  const ast = parseFilter(filter);
  compileFilter(ast, fields, 'duckdb');
  return new Evaluator(fields).build(ast, false);
}

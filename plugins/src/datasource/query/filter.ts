/*
 * Builds the server's filter language (server/src/query/filter/README.md) from the query builder's
 * terms, template variables and ad hoc filters. Every value becomes a quoted string literal (or a
 * number checked to be one), so that no value, whatever it holds, can change the query's meaning.
 */
import {
  ATTRIBUTE_FIELD_PREFIX,
  FILTER_FIELDS,
  MAX_FILTER_IN_VALUES,
  type FilterField,
  type FilterFieldType,
} from '@otel-rum/model';
import type { FilterOperator, FilterTerm } from '../types';

/** A builder term, variable or ad hoc filter that cannot become a filter; the message names it. */
export class FilterBuildError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'FilterBuildError';
  }
}

/** A string literal of the filter language: double quotes, with `\` and `"` escaped. */
export function quote(value: string): string {
  return `"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

/** A glob literal that matches `value` exactly: the glob's own `*`, `?` and `\` escaped. */
export function quoteGlobLiteral(value: string): string {
  return quote(value.replace(/[\\*?]/g, (c) => `\\${c}`));
}

export function isKnownField(field: string): field is FilterField {
  return Object.prototype.hasOwnProperty.call(FILTER_FIELDS, field);
}

/** The type of a field: the model's, or a string for an attribute. */
export function fieldType(field: string): FilterFieldType {
  return isKnownField(field) ? FILTER_FIELDS[field].type : 'string';
}

/** The field as the filter language writes it: a model field, or attr."key" with the key quoted. */
export function fieldRef(field: string): string {
  if (isKnownField(field)) return field;
  if (field.startsWith(ATTRIBUTE_FIELD_PREFIX) && field.length > ATTRIBUTE_FIELD_PREFIX.length) {
    let key = field.slice(ATTRIBUTE_FIELD_PREFIX.length);
    // attr."http.route" as written by a user who already quoted it
    if (key.length >= 2 && key.startsWith('"') && key.endsWith('"'))
      key = key.slice(1, -1).replace(/\\(.)/g, '$1');
    return `${ATTRIBUTE_FIELD_PREFIX}${quote(key)}`;
  }
  throw new FilterBuildError(
    `unknown field "${field}": use one of ${Object.keys(FILTER_FIELDS).join(', ')}, or attr.<key> for an attribute`,
  );
}

/** A value literal for a field of this type. */
export function literal(field: string, value: string): string {
  const type = fieldType(field);
  if (type === 'number') {
    const n = Number(value.trim());
    if (value.trim() === '' || !Number.isFinite(n))
      throw new FilterBuildError(`field "${field}" takes numbers, got ${JSON.stringify(value)}`);
    return String(n);
  }
  if (type === 'boolean') {
    const v = value.trim().toLowerCase();
    if (v !== 'true' && v !== 'false')
      throw new FilterBuildError(`field "${field}" takes true or false, got ${JSON.stringify(value)}`);
    return v;
  }
  return quote(value);
}

/** Joins conditions with `and`, each parenthesised so that an `or` inside one stays inside it. */
export function andAll(conditions: ReadonlyArray<string | null | undefined>): string {
  const parts = conditions.filter((c): c is string => !!c && c.trim() !== '');
  if (parts.length === 1) return parts[0]!;
  return parts.map((c) => `(${c})`).join(' and ');
}

function anyOf(conditions: string[]): string {
  return conditions.length === 1 ? conditions[0]! : conditions.join(' or ');
}

/**
 * One condition. `values` are the term's values after template variables were expanded (a
 * multi-value variable gives several); null when a variable selected everything (no condition).
 */
export function condition(field: string, op: FilterOperator, values: string[] | null): string | null {
  const ref = fieldRef(field);
  if (op === 'exists') return `${ref} exists`;
  if (values === null) return null;
  if (values.length === 0) throw new FilterBuildError(`the condition on "${field}" has no value`);
  if (values.length > MAX_FILTER_IN_VALUES)
    throw new FilterBuildError(
      `the condition on "${field}" has ${values.length} values; the server takes at most ${MAX_FILTER_IN_VALUES} in one list`,
    );
  const list = () => `(${values.map((v) => literal(field, v)).join(', ')})`;
  switch (op) {
    case '=':
      return values.length === 1 ? `${ref} = ${literal(field, values[0]!)}` : `${ref} in ${list()}`;
    case '!=':
      return values.length === 1 ? `${ref} != ${literal(field, values[0]!)}` : `${ref} not in ${list()}`;
    case 'in':
      return `${ref} in ${list()}`;
    case '~':
    case '!~': {
      if (fieldType(field) !== 'string')
        throw new FilterBuildError(`field "${field}" cannot be matched with a glob`);
      const globs = values.map((v) => `${ref} ~ ${quote(v)}`);
      return op === '~' ? anyOf(globs) : `not (${anyOf(globs)})`;
    }
    case 'contains':
      return anyOf(values.map((v) => `${ref} contains ${quote(v)}`));
    case '>':
    case '>=':
    case '<':
    case '<=':
      if (values.length !== 1)
        throw new FilterBuildError(`operator ${op} on "${field}" takes one value, got ${values.length}`);
      return `${ref} ${op} ${literal(field, values[0]!)}`;
  }
}

/**
 * Expands the template variables of one builder value. `replace` is Grafana's templateSrv.replace with
 * a format function; a multi-value variable gives one value each. Glob operators get each variable value
 * escaped so that a `*` in a page path matches a star, not anything.
 */
export type Interpolate = (text: string, format: (value: unknown) => string) => string;

const SEP = '\u0000'; // never in a filter value: the server refuses control characters

/**
 * Grafana's value of "All". A variable whose custom all value is this (the bundled dashboards set it)
 * reaches the query unformatted, as dashboards hand custom all values over as they are: no condition.
 */
export const ALL_VARIABLE_VALUE = '$__all';

export function expandValues(term: FilterTerm, interpolate: Interpolate): string[] | null {
  const raw = term.op === 'in' ? (term.values ?? []) : term.value !== undefined ? [term.value] : [];
  const glob = term.op === '~' || term.op === '!~';
  const out: string[] = [];
  for (const text of raw) {
    let all = false;
    const expanded = interpolate(text, (value) => {
      const vals = Array.isArray(value) ? value.map(String) : [String(value)];
      if (vals.includes(ALL_VARIABLE_VALUE)) all = true;
      return vals.map((v) => (glob ? v.replace(/[\\*?]/g, (c) => `\\${c}`) : v)).join(SEP);
    });
    if (all || expanded === ALL_VARIABLE_VALUE) return null;
    out.push(...expanded.split(SEP));
  }
  return out;
}

/** The builder's terms as one filter (null pieces, from variables set to All, drop out). */
export function termsToFilter(terms: readonly FilterTerm[], interpolate: Interpolate): string {
  return andAll(
    terms.filter((t) => t.field).map((t) => condition(t.field, t.op, expandValues(t, interpolate))),
  );
}

/**
 * Template variables in code mode: one value becomes a quoted string, several (a multi-value or All
 * selection) a parenthesised list, so `browser = $browser` and `browser in $browsers` are both safe.
 */
export function codeFormat(value: unknown): string {
  if (Array.isArray(value)) return `(${value.map((v) => quote(String(v))).join(', ')})`;
  return quote(String(value));
}

/** Grafana's ad hoc filter, as dashboards and Explore pass it. */
export interface AdHocFilter {
  key: string;
  operator: string;
  value: string;
  values?: string[];
}

const ADHOC_OPERATORS: Record<string, FilterOperator> = {
  '=': '=',
  '!=': '!=',
  '=~': '~',
  '!~': '!~',
  '<': '<',
  '>': '>',
  '<=': '<=',
  '>=': '>=',
  '=|': 'in',
};

/** Ad hoc filters become conditions; their values are literal (no variables, no glob from `=`). */
export function adHocToFilter(filters: readonly AdHocFilter[]): string {
  return andAll(
    filters.map((f) => {
      if (f.operator === '!=|') return `not (${condition(f.key, 'in', f.values ?? [f.value])})`;
      const op = ADHOC_OPERATORS[f.operator];
      if (!op)
        throw new FilterBuildError(`ad hoc filter operator "${f.operator}" on "${f.key}" is not supported`);
      return condition(f.key, op, op === 'in' ? (f.values ?? [f.value]) : [f.value]);
    }),
  );
}

import type { SelectableValue } from '@grafana/data';
import { FILTER_FIELDS } from '@otel-rum/model';
import { FILTER_OPERATORS, type FilterOperator, type ListKind } from '../types';

/** Every field of the model with its description; attributes are typed as attr.<key>. */
export const FIELD_OPTIONS: Array<SelectableValue<string>> = Object.entries(FILTER_FIELDS)
  .filter(([name]) => name !== 'time')
  .map(([name, spec]) => ({ label: name, value: name, description: spec.description }));

/** Fields an aggregate can compute over (numbers); any attr.<key> can be typed too. */
export const NUMERIC_FIELD_OPTIONS = FIELD_OPTIONS.filter(
  (o) => FILTER_FIELDS[o.value as keyof typeof FILTER_FIELDS]?.type === 'number',
);

/** Fields worth grouping or faceting by (strings and booleans). */
export const GROUP_FIELD_OPTIONS = FIELD_OPTIONS.filter((o) => {
  const t = FILTER_FIELDS[o.value as keyof typeof FILTER_FIELDS]?.type;
  return t === 'string' || t === 'boolean';
});

export const OPERATOR_OPTIONS: Array<SelectableValue<FilterOperator>> = FILTER_OPERATORS.map((op) => ({
  label: op,
  value: op,
  description: {
    '=': 'equals (several values: any of them)',
    '!=': 'not equal (also where the field has no value)',
    '>': 'greater than',
    '>=': 'at least',
    '<': 'less than',
    '<=': 'at most',
    '~': 'matches a glob: * any characters, ? one',
    '!~': 'does not match the glob',
    contains: 'contains, case-insensitive',
    in: 'one of a list',
    exists: 'has a value',
  }[op],
}));

/** Sort orders each list offers (the server's). */
export function sortOptions(kind: ListKind | undefined): Array<SelectableValue<string>> {
  const fields =
    kind === 'session'
      ? ['start', 'end', 'duration', 'views', 'errors', 'events']
      : ['time', 'duration', 'status', 'value'];
  return fields.flatMap((f) => [
    { label: `${f}, newest or largest first`, value: `-${f}` },
    { label: `${f}, oldest or smallest first`, value: f },
  ]);
}

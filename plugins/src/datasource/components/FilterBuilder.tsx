import React, { useState } from 'react';
import type { SelectableValue } from '@grafana/data';
import { Button, IconButton, Select, Stack } from '@grafana/ui';
import type { FilterOperator, FilterTerm } from '../types';
import { FIELD_OPTIONS, OPERATOR_OPTIONS } from './fieldOptions';

export interface FilterBuilderProps {
  terms: FilterTerm[];
  onChange: (terms: FilterTerm[]) => void;
  /** Values of a field for autocomplete (the server's facets). */
  loadValues: (field: string) => Promise<Array<{ value: string; count: number }>>;
  /** Template variables offered as values, e.g. $browser. */
  variables: string[];
}

function ValueSelect({
  term,
  loadValues,
  variables,
  onChange,
}: {
  term: FilterTerm;
  loadValues: FilterBuilderProps['loadValues'];
  variables: string[];
  onChange: (values: string[]) => void;
}) {
  const [options, setOptions] = useState<Array<SelectableValue<string>>>([]);
  const [loading, setLoading] = useState(false);
  const open = async () => {
    setLoading(true);
    try {
      const values = await loadValues(term.field);
      setOptions([
        ...variables.map((v) => ({ label: v, value: v, description: 'template variable' })),
        ...values.map((v) => ({ label: v.value, value: v.value, description: `${v.count} events` })),
      ]);
    } catch {
      setOptions(variables.map((v) => ({ label: v, value: v })));
    } finally {
      setLoading(false);
    }
  };
  const multi = term.op === 'in';
  const current = multi ? (term.values ?? []) : term.value !== undefined ? [term.value] : [];
  const asOption = (v: string) => options.find((o) => o.value === v) ?? { label: v, value: v };
  return (
    <Select<string>
      aria-label={`value of ${term.field}`}
      width={30}
      isMulti={multi as false}
      allowCustomValue
      isLoading={loading}
      onOpenMenu={open}
      options={options}
      placeholder="value"
      value={
        multi ? (current.map(asOption) as never) : current[0] !== undefined ? asOption(current[0]) : null
      }
      onChange={(v: SelectableValue<string> | Array<SelectableValue<string>> | null) => {
        const list = Array.isArray(v) ? v : v ? [v] : [];
        onChange(list.map((o) => String(o.value ?? '')));
      }}
    />
  );
}

/** The visual filter: conditions joined by and, each a field, an operator and values with autocomplete. */
export function FilterBuilder({ terms, onChange, loadValues, variables }: FilterBuilderProps) {
  const set = (i: number, patch: Partial<FilterTerm>) =>
    onChange(terms.map((t, j) => (j === i ? { ...t, ...patch } : t)));
  return (
    <Stack direction="column" gap={1}>
      {terms.map((term, i) => (
        <Stack key={i} gap={1} alignItems="center">
          <Select<string>
            aria-label="filter field"
            width={24}
            allowCustomValue
            options={FIELD_OPTIONS}
            value={term.field ? { label: term.field, value: term.field } : null}
            placeholder="field or attr.<key>"
            onChange={(v) => set(i, { field: v.value ?? '' })}
          />
          <Select<FilterOperator>
            aria-label="filter operator"
            width={12}
            options={OPERATOR_OPTIONS}
            value={term.op}
            onChange={(v) => {
              const op = v.value ?? '=';
              set(
                i,
                op === 'in'
                  ? { op, values: term.values ?? (term.value ? [term.value] : []), value: undefined }
                  : { op, value: term.value ?? term.values?.[0], values: undefined },
              );
            }}
          />
          {term.op !== 'exists' && (
            <ValueSelect
              term={term}
              loadValues={loadValues}
              variables={variables}
              onChange={(values) => set(i, term.op === 'in' ? { values } : { value: values[0] })}
            />
          )}
          <IconButton
            name="times"
            tooltip="Remove this condition"
            onClick={() => onChange(terms.filter((_, j) => j !== i))}
          />
        </Stack>
      ))}
      <div>
        <Button
          variant="secondary"
          size="sm"
          icon="plus"
          onClick={() => onChange([...terms, { field: '', op: '=' }])}
        >
          Add condition
        </Button>
      </div>
    </Stack>
  );
}

import React from 'react';
import { Field, Input, RadioButtonGroup, Select, Stack } from '@grafana/ui';
import type { RumDataSource } from '../datasource';
import { LIST_KINDS, type ListKind, type RumVariableQuery } from '../types';
import { GROUP_FIELD_OPTIONS } from './fieldOptions';

interface Props {
  datasource: RumDataSource;
  query: RumVariableQuery;
  onChange: (query: RumVariableQuery) => void;
}

/** A variable lists the applications, or the top values of a field (pages, browsers, versions, countries...). */
export function VariableQueryEditor({ query, onChange }: Props) {
  const q: RumVariableQuery = { ...query, type: query.type ?? 'applications' };
  return (
    <Stack direction="column" gap={1}>
      <RadioButtonGroup<RumVariableQuery['type']>
        options={[
          { label: 'Applications', value: 'applications' },
          { label: 'Values of a field', value: 'facet' },
        ]}
        value={q.type}
        onChange={(type) => onChange({ ...q, type })}
      />
      {q.type === 'facet' && (
        <Stack gap={2} wrap="wrap">
          <Field label="Field">
            <Select<string>
              aria-label="variable field"
              width={20}
              allowCustomValue
              options={GROUP_FIELD_OPTIONS}
              value={q.field ? { label: q.field, value: q.field } : null}
              onChange={(v) => onChange({ ...q, field: v.value })}
            />
          </Field>
          <Field label="Kind" description="Empty: all events">
            <Select<ListKind>
              aria-label="variable kind"
              width={18}
              isClearable
              options={LIST_KINDS.filter((k) => k.value !== 'session').map((k) => ({
                label: k.label,
                value: k.value,
              }))}
              value={q.kind ?? null}
              onChange={(v) => onChange({ ...q, kind: v?.value })}
            />
          </Field>
          <Field label="Application" description="App id or $variable">
            <Input
              aria-label="variable application"
              width={20}
              defaultValue={q.appId}
              onBlur={(e) => onChange({ ...q, appId: e.currentTarget.value.trim() || undefined })}
            />
          </Field>
          <Field label="Filter">
            <Input
              aria-label="variable filter"
              width={40}
              defaultValue={q.filter}
              onBlur={(e) => onChange({ ...q, filter: e.currentTarget.value.trim() || undefined })}
            />
          </Field>
        </Stack>
      )}
    </Stack>
  );
}

import React from 'react';
import type { QueryEditorProps } from '@grafana/data';
import { Field, Input, RadioButtonGroup, Stack } from '@grafana/ui';
import type { RumDataSource } from '../datasource';
import type { AnnotationKind, RumJsonData, RumQuery } from '../types';

type Props = QueryEditorProps<RumDataSource, RumQuery, RumJsonData>;

/** Annotations: a new application version first seen, or error spikes. */
export function AnnotationQueryEditor({ query, onChange }: Props) {
  return (
    <Stack direction="column" gap={1}>
      <RadioButtonGroup<AnnotationKind>
        options={[
          { label: 'New version first seen', value: 'version' },
          { label: 'Error spikes', value: 'error_spike' },
        ]}
        value={query.annotation ?? 'version'}
        onChange={(annotation) => onChange({ ...query, annotation })}
      />
      <Field label="Application" description="App id or $variable; empty: the data source's default">
        <Input
          aria-label="annotation application"
          width={24}
          defaultValue={query.appId}
          onBlur={(e) => onChange({ ...query, appId: e.currentTarget.value.trim() || undefined })}
        />
      </Field>
      <Field label="Filter" description='Optional, e.g. env = "prod"'>
        <Input
          aria-label="annotation filter"
          width={40}
          defaultValue={query.filter}
          onBlur={(e) =>
            onChange({ ...query, filter: e.currentTarget.value.trim() || undefined, editorMode: 'code' })
          }
        />
      </Field>
    </Stack>
  );
}

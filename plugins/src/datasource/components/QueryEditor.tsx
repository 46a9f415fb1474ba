import React, { useEffect, useMemo, useState } from 'react';
import type { QueryEditorProps, SelectableValue } from '@grafana/data';
import { getTemplateSrv } from '@grafana/runtime';
import { Field, Input, MultiSelect, RadioButtonGroup, Select, Stack } from '@grafana/ui';
import { MAX_AGGREGATE_GROUP_BY, MAX_PAGE_SIZE } from '@otel-rum/model';
import { lastValueFrom } from 'rxjs';
import type { RumDataSource } from '../datasource';
import { errorParameter } from '../api';
import {
  AGGREGATIONS,
  DEFAULT_QUERY,
  ISSUE_STATUSES,
  LIST_KINDS,
  QUERY_TYPES,
  type Aggregation,
  type IssueStatus,
  type ListKind,
  type QueryType,
  type RumJsonData,
  type RumQuery,
} from '../types';
import { FilterBuilder } from './FilterBuilder';
import { FilterBar } from '../../components/FilterBar/FilterBar';
import { GROUP_FIELD_OPTIONS, NUMERIC_FIELD_OPTIONS, sortOptions } from './fieldOptions';

type Props = QueryEditorProps<RumDataSource, RumQuery, RumJsonData>;

const TYPE_OPTIONS = QUERY_TYPES.map((t) => ({ label: t.label, value: t.value, description: t.description }));
const KIND_OPTIONS = LIST_KINDS.map((k) => ({ label: k.label, value: k.value }));
const EVENT_KIND_OPTIONS: Array<SelectableValue<ListKind | ''>> = [
  { label: 'All kinds', value: '' },
  ...KIND_OPTIONS.filter((k) => k.value !== 'session'),
];

/** The server's 400 for this query, and the editor field it names. */
function useQueryError(props: Props): { field?: string; message?: string } {
  const err = props.data?.errors?.find((e) => !e.refId || e.refId === props.query.refId) ?? props.data?.error;
  if (!err?.message) return {};
  return {
    field: (err as { parameter?: string }).parameter ?? errorParameter(err.message),
    message: err.message,
  };
}

export function QueryEditor(props: Props) {
  const { datasource, onChange, onRunQuery } = props;
  const query: RumQuery = { ...DEFAULT_QUERY, ...props.query };
  const type = query.queryType ?? 'events';
  const error = useQueryError(props);
  const errorFor = (field: string) => (error.field === field ? error.message : undefined);
  const [apps, setApps] = useState<Array<SelectableValue<string>>>([]);
  const [journeys, setJourneys] = useState<Array<SelectableValue<string>>>([]);
  const variables = useMemo(
    () =>
      getTemplateSrv()
        .getVariables()
        .map((v) => `$${v.name}`),
    [],
  );

  useEffect(() => {
    datasource
      .applications()
      .then((list) => setApps(list.map((a) => ({ label: a.appId, value: a.appId, description: a.name }))))
      .catch(() => setApps([]));
  }, [datasource]);
  useEffect(() => {
    if (type !== 'funnel') return;
    lastValueFrom(datasource.api.get<{ items: Array<{ id: string; name: string }> }>('/api/v1/journeys'))
      .then((r) => setJourneys(r.items.map((j) => ({ label: j.name, value: j.id }))))
      .catch(() => setJourneys([]));
  }, [datasource, type]);

  const update = (patch: Partial<RumQuery>, run = true) => {
    onChange({ ...query, ...patch, cursor: undefined });
    if (run) onRunQuery();
  };
  const appOptions = [
    ...variables.map((v) => ({ label: v, value: v, description: 'template variable' })),
    ...apps,
  ];
  // One function per scope, so that the filter bar asks for a field's values once.
  const fromMs = props.range?.from.valueOf();
  const toMs = props.range?.to.valueOf();
  const kind = type === 'events' ? query.kind : undefined;
  const loadValues = useMemo(
    () => (field: string) => datasource.facetValues(field, { appId: query.appId, kind, fromMs, toMs }),
    [datasource, query.appId, kind, fromMs, toMs],
  );

  const filterEditor = (
    <Field
      label="Filter"
      description={
        query.editorMode === 'code'
          ? 'The filter language: browser = "Chrome" and (status >= 500 or path ~ "/checkout*"). Variables: $var becomes a quoted value, or a list for multi-value variables (write field in $var).'
          : 'Conditions joined by and; values complete from the data received.'
      }
      invalid={!!errorFor('filter')}
      error={errorFor('filter')}
    >
      <Stack direction="column" gap={1}>
        <RadioButtonGroup<'builder' | 'code'>
          size="sm"
          options={[
            { label: 'Builder', value: 'builder' },
            { label: 'Code', value: 'code' },
          ]}
          value={query.editorMode ?? 'builder'}
          onChange={(editorMode) => update({ editorMode }, false)}
        />
        {query.editorMode === 'code' ? (
          <FilterBar
            ariaLabel="filter expression"
            value={query.filter ?? ''}
            placeholder='status >= 500 and browser = "Chrome"'
            loadValues={loadValues}
            onApply={(filter) => update({ filter })}
            applyOnBlur
          />
        ) : (
          <FilterBuilder
            terms={query.filters ?? []}
            variables={variables}
            loadValues={loadValues}
            onChange={(filters) => update({ filters })}
          />
        )}
      </Stack>
    </Field>
  );

  const limitField = (
    <Field
      label="Limit"
      description={`Rows, 1 to ${MAX_PAGE_SIZE}`}
      invalid={!!errorFor('limit')}
      error={errorFor('limit')}
    >
      <Input
        aria-label="limit"
        type="number"
        width={12}
        defaultValue={query.limit}
        min={1}
        max={MAX_PAGE_SIZE}
        onBlur={(e) => update({ limit: e.currentTarget.value ? Number(e.currentTarget.value) : undefined })}
      />
    </Field>
  );

  return (
    <Stack direction="column" gap={1}>
      <RadioButtonGroup<QueryType>
        options={TYPE_OPTIONS}
        value={type}
        onChange={(queryType) => update({ queryType })}
      />
      <Stack gap={2} wrap="wrap">
        <Field
          label="Application"
          description="Empty: the data source's default"
          invalid={!!errorFor('appId')}
          error={errorFor('appId')}
        >
          <Select<string>
            aria-label="application"
            width={28}
            isClearable
            allowCustomValue
            options={appOptions}
            value={query.appId ? { label: query.appId, value: query.appId } : null}
            placeholder={datasource.jsonData.defaultAppId ?? 'all applications'}
            onChange={(v) => update({ appId: v?.value || undefined })}
          />
        </Field>
        {(type === 'events' || type === 'facets') && (
          <Field label="Kind">
            <Select<ListKind>
              aria-label="kind"
              width={20}
              options={KIND_OPTIONS}
              value={query.kind}
              onChange={(v) => update({ kind: v.value, sort: undefined })}
            />
          </Field>
        )}
        {type === 'timeseries' && (
          <>
            <Field label="Kind">
              <Select<ListKind | ''>
                aria-label="kind"
                width={20}
                options={EVENT_KIND_OPTIONS}
                value={query.kind === 'session' ? '' : (query.kind ?? '')}
                onChange={(v) => update({ kind: v.value || undefined })}
              />
            </Field>
            <Field label="Aggregation" invalid={!!errorFor('aggregation')} error={errorFor('aggregation')}>
              <Select<Aggregation>
                aria-label="aggregation"
                width={14}
                options={AGGREGATIONS.map((a) => ({ label: a, value: a }))}
                value={query.aggregation ?? 'count'}
                onChange={(v) => update({ aggregation: v.value })}
              />
            </Field>
            {query.aggregation && query.aggregation !== 'count' && query.aggregation !== 'rate' && (
              <Field label="Of field" invalid={!!errorFor('field')} error={errorFor('field')}>
                <Select<string>
                  aria-label="aggregated field"
                  width={20}
                  allowCustomValue
                  options={NUMERIC_FIELD_OPTIONS}
                  value={query.field ? { label: query.field, value: query.field } : null}
                  placeholder="duration"
                  onChange={(v) => update({ field: v.value })}
                />
              </Field>
            )}
            <Field
              label="Group by"
              description={`Up to ${MAX_AGGREGATE_GROUP_BY} fields`}
              invalid={!!errorFor('groupBy')}
              error={errorFor('groupBy')}
            >
              <MultiSelect<string>
                aria-label="group by"
                width={36}
                allowCustomValue
                options={GROUP_FIELD_OPTIONS}
                value={query.groupBy ?? []}
                onChange={(v) =>
                  update({ groupBy: v.map((o) => String(o.value)).slice(0, MAX_AGGREGATE_GROUP_BY) })
                }
              />
            </Field>
          </>
        )}
        {type === 'issues' && (
          <Field label="Status">
            <Select<IssueStatus>
              aria-label="issue status"
              width={16}
              isClearable
              options={ISSUE_STATUSES.map((s) => ({ label: s, value: s }))}
              value={query.status ?? null}
              placeholder="any"
              onChange={(v) => update({ status: v?.value })}
            />
          </Field>
        )}
        {type === 'facets' && (
          <Field label="Field" invalid={!!errorFor('field')} error={errorFor('field')}>
            <Select<string>
              aria-label="facet field"
              width={20}
              allowCustomValue
              options={GROUP_FIELD_OPTIONS}
              value={query.facetField ? { label: query.facetField, value: query.facetField } : null}
              placeholder="browser"
              onChange={(v) => update({ facetField: v.value })}
            />
          </Field>
        )}
        {type === 'timeline' && (
          <Field label="Session id" invalid={!!errorFor('sessionId')} error={errorFor('sessionId')}>
            <Input
              aria-label="session id"
              width={40}
              defaultValue={query.sessionId}
              placeholder="$session or an id"
              onBlur={(e) => update({ sessionId: e.currentTarget.value.trim() })}
            />
          </Field>
        )}
        {type === 'trace' && (
          <Field
            label="Trace id"
            description="32 hex digits"
            invalid={!!errorFor('traceId')}
            error={errorFor('traceId')}
          >
            <Input
              aria-label="trace id"
              width={40}
              defaultValue={query.traceId}
              onBlur={(e) => update({ traceId: e.currentTarget.value.trim() })}
            />
          </Field>
        )}
        {type === 'funnel' && (
          <Field label="Journey" invalid={!!errorFor('journeyId')} error={errorFor('journeyId')}>
            <Select<string>
              aria-label="journey"
              width={30}
              allowCustomValue
              options={journeys}
              value={
                query.journeyId
                  ? (journeys.find((j) => j.value === query.journeyId) ?? {
                      label: query.journeyId,
                      value: query.journeyId,
                    })
                  : null
              }
              onChange={(v) => update({ journeyId: v.value })}
            />
          </Field>
        )}
        {type === 'events' && (
          <Field label="Sort" invalid={!!errorFor('sort')} error={errorFor('sort')}>
            <Select<string>
              aria-label="sort"
              width={32}
              isClearable
              options={sortOptions(query.kind)}
              value={query.sort ?? null}
              placeholder="newest first"
              onChange={(v) => update({ sort: v?.value })}
            />
          </Field>
        )}
        {(type === 'events' || type === 'issues' || type === 'facets') && limitField}
      </Stack>
      {type !== 'trace' && type !== 'timeline' && type !== 'funnel' && filterEditor}
      {error.message && !error.field && <div role="alert">{error.message}</div>}
    </Stack>
  );
}

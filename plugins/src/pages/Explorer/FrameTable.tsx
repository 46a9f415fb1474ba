/*
 * A data source frame as a sortable, paged table with a column chooser: each field's display name,
 * unit and type come from the frame (the data source's frames), links go to the app's pages, and
 * each row opens its details below it.
 */
import React, { useMemo } from 'react';
import {
  FieldType,
  dateTimeFormat,
  formattedValueToString,
  getValueFormat,
  type DataFrame,
  type Field,
} from '@grafana/data';
import { InteractiveTable, MultiSelect, type Column } from '@grafana/ui';
import { appUrl } from '../../shared/location';
import { traceExploreUrl } from '../../shared/explore';

type Row = { index: number; values: Record<string, unknown> };

/** How one value of a field reads in the table. */
export function formatValue(field: Field, value: unknown): string {
  if (value === null || value === undefined || value === '') return '';
  if (field.type === FieldType.time) return dateTimeFormat(value as number);
  if (field.type === FieldType.number && typeof value === 'number') {
    const unit = field.config.unit;
    return unit
      ? formattedValueToString(getValueFormat(unit)(value, 1))
      : String(Math.round(value * 1000) / 1000);
  }
  if (field.type === FieldType.other) return JSON.stringify(value);
  return String(value);
}

function cellOf(field: Field, row: Row, onFilter?: (field: string, value: unknown) => void): React.ReactNode {
  const v = row.values[field.name];
  const text = formatValue(field, v);
  if (!text) return '';
  const app = String(row.values.app ?? '');
  if (field.name === 'session')
    return (
      <a href={appUrl(`sessions/${encodeURIComponent(String(v))}`, { app_id: app })}>{text.slice(0, 12)}</a>
    );
  if (field.name === 'trace') {
    const href = traceExploreUrl(String(v));
    return href ? (
      <a href={href} title="The browser and backend spans of this request">
        {text.slice(0, 12)}
      </a>
    ) : (
      text.slice(0, 12)
    );
  }
  if (field.type === FieldType.time) return <span style={{ whiteSpace: 'nowrap' }}>{text}</span>;
  if (field.name === 'fingerprint')
    return (
      <a href={appUrl(`issues/${encodeURIComponent(String(v))}`, { app_id: app })}>{text.slice(0, 12)}</a>
    );
  if (onFilter && field.type === FieldType.string && field.name !== 'id' && field.name !== 'url')
    return (
      <span
        title={`${text} (click to filter on it)`}
        style={{ cursor: 'pointer' }}
        onClick={() => onFilter(field.name, v)}
      >
        {text.length > 80 ? `${text.slice(0, 80)}…` : text}
      </span>
    );
  return text.length > 80 ? <span title={text}>{text.slice(0, 80)}…</span> : text;
}

export function FrameTable({
  frame,
  visible,
  onColumnsChange,
  onFilter,
}: {
  frame: DataFrame;
  visible: string[];
  onColumnsChange: (names: string[]) => void;
  onFilter?: (field: string, value: unknown) => void;
}) {
  const rows = useMemo<Row[]>(
    () =>
      Array.from({ length: frame.length }, (_, index) => ({
        index,
        values: Object.fromEntries(frame.fields.map((f) => [f.name, f.values[index]])),
      })),
    [frame],
  );
  const fields = frame.fields.filter((f) => f.type !== FieldType.other);
  // In the order the user (or the tab) chose them.
  const shown = visible.map((name) => fields.find((f) => f.name === name)).filter((f): f is Field => !!f);
  const columns: Array<Column<Row>> = shown.map((f) => ({
    id: f.name,
    header: f.config.displayName ?? f.name,
    sortType: f.type === FieldType.number || f.type === FieldType.time ? 'number' : 'string',
    cell: ({ row }) => cellOf(f, row.original, onFilter),
  }));
  const details = (row: Row) => (
    <table style={{ fontSize: 12 }} data-testid="row-details">
      <tbody>
        {frame.fields.map((f) => {
          const text = formatValue(f, row.values[f.name]);
          return text ? (
            <tr key={f.name}>
              <th style={{ textAlign: 'left', paddingRight: 16, verticalAlign: 'top' }}>
                {f.config.displayName ?? f.name}
              </th>
              <td style={{ wordBreak: 'break-all' }}>{text}</td>
            </tr>
          ) : null;
        })}
      </tbody>
    </table>
  );
  return (
    <div data-testid="explorer-table">
      <div style={{ marginBottom: 8, maxWidth: 700 }}>
        <MultiSelect
          aria-label="Columns"
          placeholder="Columns"
          options={fields.map((f) => ({ label: f.config.displayName ?? f.name, value: f.name }))}
          value={visible}
          onChange={(v) => onColumnsChange(v.map((x) => x.value!).filter(Boolean))}
        />
      </div>
      <InteractiveTable
        columns={columns}
        data={rows}
        getRowId={(r) => String(r.index)}
        pageSize={50}
        renderExpandedRow={details}
      />
    </div>
  );
}
